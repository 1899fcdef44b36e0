// What the ownership scan takes and gives. The scan works like a conservative garbage collector:
// roots (statics, stacks, registers) and the heap's allocated spans are read as pointer-sized words,
// every word pointing into an allocated span is a reference, and each block is owned by the root at
// the start of its shortest path. The DWARF root walker and the stack reader fill RootRegion; the
// decoder gives the heap. Heap offsets are numbers (the decoder's heaps are below 2^52 bytes);
// target addresses and raw words stay bigint.
import type { HeapView } from '../decoder/types';
import type { HeapWordReader } from '../memory/byteImage';

/**
 * A pointer-typed member of a root, from debug info: only these words of the root are references
 * when a root has slots, each with a precise path.
 */
export interface PointerSlot {
  /** Byte offset of the pointer word from the root's address. */
  readonly offset: number;
  /** The member's path inside the root, e.g. `entries[3]` or `name.vec.buf.ptr` (empty for the root itself). */
  readonly path: string;
  /**
   * A fat pointer (a slice, `Vec`, `String`): the data pointer at `offset` and a length word at
   * `lengthOffset` (from the root's address) counting `elementSize`-byte elements. The bytes it
   * covers lie in one allocation, so no allocation is inferred to start inside them.
   */
  readonly fat?: { readonly lengthOffset: number; readonly elementSize: number };
}

/** Memory that holds pointers: a static, a stack range, or an ELF data symbol without debug info. */
export interface MemoryRoot {
  readonly kind: 'static' | 'stack' | 'symbol';
  /** How the user names it: `app::CACHE`, `thread 1 frame #2 main`, `buf`. */
  readonly label: string;
  readonly address: bigint;
  readonly size: number;
  /**
   * Typed pointer members. Absent: every aligned pointer-sized word is scanned conservatively and
   * attributed as `label+0xOFF`.
   */
  readonly slots?: readonly PointerSlot[];
}

/** A register value as the debugger shows it (registers have no address to read). */
export interface RegisterRoot {
  readonly kind: 'register';
  /** e.g. `thread 1 r4`. */
  readonly label: string;
  readonly value: bigint;
}

export type RootRegion = MemoryRoot | RegisterRoot;

/** Reads pointer-sized words at target addresses (statics, stacks): undefined when any byte is unknown. */
export interface TargetMemory {
  readWord(address: bigint): bigint | undefined;
}

/** The heap's bytes by heap offset; `read` (ByteImage has it) lets the scan take whole chunks at once. */
export interface HeapMemory extends HeapWordReader {
  read?(offset: number, length: number): Uint8Array | undefined;
}

export interface OwnershipInput {
  /** The decoded heap: its Allocated spans are scanned and owned; Free and Unknown ones are not. */
  readonly heap: HeapView;
  readonly heapMemory: HeapMemory;
  readonly roots: readonly RootRegion[];
  /** Where root regions are read; words it cannot read count as unreadable, never as references. */
  readonly rootMemory: TargetMemory;
  /** The `Heap<N>` struct: its list heads point into the heap by design, so it is never a root. */
  readonly heapStruct?: { readonly address: bigint; readonly size: number };
}

export interface OwnershipOptions {
  /** Root and span bytes read before the scan stops (and says so). Default DEFAULT_MAX_SCAN_BYTES. */
  readonly maxBytes?: number;
}

export type Confidence = 'exact' | 'likely' | 'span-only';

/** Why a block is where it is, as stored per block (the sentence is built on request). */
export const enum InferenceReason {
  /** A minimum block: exactly one allocation. */
  MinimumBlock = 0,
  /** A whole span with no pointer to a block boundary inside it. */
  WholeSpan = 1,
  /** The start of a span that pointers split: its end is where the next pointed-to block starts. */
  SpanStart = 2,
  /** A pointer points at its start. */
  PointedTo = 3,
  /** Allocated, but no pointer to its start: the tail of an allocation before it, or unreferenced allocations. */
  Remainder = 4,
}

export interface ScanStats {
  /** Root bytes read (words of memory roots; registers are not counted). */
  readonly rootBytesScanned: number;
  readonly rootBytesUnreadable: number;
  /** Root bytes skipped because they are the heap arena or the heap struct. */
  readonly rootBytesExcluded: number;
  readonly spanBytesScanned: number;
  readonly spanBytesUnreadable: number;
  /** Allocated span bytes left unread because the byte budget ran out. */
  readonly spanBytesUnscanned: number;
  readonly references: number;
  readonly interiorReferences: number;
}

/** One step of an owning chain after the root: the block reached and the word in it that points on. */
export interface ChainStep {
  readonly block: number;
  readonly address: bigint;
  /** Where the pointer into this block pointed, from the block's start (0 unless interior). */
  readonly enteredAt: number;
  /** Offset in this block of the word pointing to the next step (undefined for the last step). */
  readonly wordOffset: number | undefined;
}

export interface OwnerChain {
  readonly rootIndex: number;
  /** The root word's path: `app::CACHE.entries[3]`, `thread 1 frame #0 main+0x8`, `r4`. */
  readonly rootPath: string;
  /** From the first block after the root to the block asked about (last). */
  readonly steps: readonly ChainStep[];
}

export type Referrer =
  | { readonly kind: 'root'; readonly rootIndex: number; readonly path: string; readonly interior: number }
  | {
      readonly kind: 'block';
      readonly block: number;
      readonly address: bigint;
      /** Offset of the referring word in that block. */
      readonly wordOffset: number;
      /** Where the pointer points from the referenced block's start (0 = its start). */
      readonly interior: number;
    };

export interface LeakSuspect {
  readonly block: number;
  readonly address: bigint;
  readonly size: number;
  readonly confidence: Confidence;
  /** 'unreferenced': no word the scan read points to it; 'unreachable': only blocks no root reaches do. */
  readonly why: 'unreferenced' | 'unreachable';
}

export interface LeakSummary {
  readonly count: number;
  readonly bytes: number;
  readonly unreferenced: number;
  readonly unreachable: number;
  /** What the scan cannot see, in words: always shown beside the suspects. */
  readonly caveat: string;
}

export const DEFAULT_MAX_SCAN_BYTES = 64 * 1024 * 1024;

export type { HeapView };
