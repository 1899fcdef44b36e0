// The heap as it crosses from the extension host to the webview: columnar typed arrays instead of
// one object per block, so a million-block heap is a few megabytes and one structured clone.
// Block offsets are not sent: blocks cover the heap exactly once in address order, so the webview
// recovers them with a prefix sum over block sizes.
import type { Endianness, PointerWidth } from '../layout';

export const PROTOCOL_VERSION = 1;

import type { HeapStats, OrderStats } from '../decoder/types';
import { BlockState } from '../decoder/blockState';
import { POW2 } from '../util/powersOfTwo';

/** The decoder's BlockState, sent as is (a leaf module: the webview imports no decoding code). */
export { BlockState as WireBlockState };
type WireBlockState = BlockState;

/** A block's order and state in one byte: order in the low 5 bits (N ≤ 32), state above. */
export function blockCode(order: number, state: WireBlockState): number {
  return (order & 31) | (state << 5);
}
export function codeOrder(code: number): number {
  return code & 31;
}
export function codeState(code: number): WireBlockState {
  return (code >> 5) as WireBlockState;
}

// Read once: esbuild's CommonJS exports are getters, too slow to call per block.
const LEAVES_OF_ORDER: Float64Array = POW2;

/** The first leaf (minimum block) of each block: prefix sums of the block sizes, as offsets are not sent. */
export function blockLeafStarts(codes: Uint8Array, count: number): Float64Array {
  const starts = new Float64Array(count);
  let leaf = 0;
  for (let i = 0; i < count; i++) {
    starts[i] = leaf;
    leaf += LEAVES_OF_ORDER[codes[i]! & 31]!;
  }
  return starts;
}

export interface WireLayout {
  /** Target address of the first heap byte, lowercase `0x` hex (may exceed 2^53). */
  readonly base: string;
  readonly size: number;
  readonly orders: number;
  readonly minBlockSize: number;
  readonly pointerWidth: PointerWidth;
  readonly endianness: Endianness;
}

/** Every block in address order. */
export interface WireBlocks {
  readonly count: number;
  /** blockCode(order, state) per block. */
  readonly codes: Uint8Array;
  /** 0 = no owner, otherwise 1 + index into HeapViewModel.ownerLabels. */
  readonly owners: Uint16Array;
}

/** Special values of WireFreeList.lastNext (real values are heap offsets ≥ 0). */
export const NEXT_NULL = -1;
export const NEXT_UNREADABLE = -2;
/** The word points outside the heap: its raw value is in WireFreeList.lastRaw. */
export const NEXT_RAW = -3;

/**
 * One free list as walked from the struct's head. Entry i's `next` word is entry i+1's address
 * (the walk follows it), so only the last entry's word is sent: null at a proper end, or where
 * the walk stopped (a bad pointer, a loop back, an unreadable word).
 */
export interface WireFreeList {
  readonly order: number;
  readonly blockSize: number;
  /** The struct's head word as stored, hex (0x0 for null). */
  readonly head: string;
  readonly broken: boolean;
  /** Entry offsets in list order, head first. */
  readonly offsets: Float64Array;
  /** The last entry's `next` word: a heap offset, or NEXT_NULL / NEXT_UNREADABLE / NEXT_RAW. */
  readonly lastNext: number;
  /** Hex of the last entry's `next` word when it points outside the heap (NEXT_RAW). */
  readonly lastRaw?: string;
}

/** The `next` word of entry i as the wire implies it. */
export function nextOf(list: WireFreeList, i: number): number {
  return i + 1 < list.offsets.length ? list.offsets[i + 1]! : list.lastNext;
}

/** The decoder's statistics cross to the webview as they are. */
export type WireOrderStats = OrderStats;

export type WireStats = HeapStats;

export interface WireFinding {
  readonly kind: string;
  readonly severity: 'error' | 'warning';
  readonly order?: number;
  readonly address?: string;
  readonly offset?: number;
  /** For a bad pointer: the free block whose `next` word holds it (heap offset), where to look. */
  readonly linkedOffset?: number;
  readonly message: string;
}

/**
 * Known allocations (simulation: from the model; live: none unless a tracker supplies them), as
 * references into the block table (which already holds their offset, order and owner) plus the
 * layout each was requested with.
 */
export interface WireAllocations {
  readonly count: number;
  /** Index of each allocation's block in WireBlocks, in address order. */
  readonly blocks: Uint32Array;
  /** Requested size. */
  readonly sizes: Float64Array;
  /** log2 of the requested alignment (a served alignment is a power of two ≤ 4096). */
  readonly alignLog2: Uint8Array;
}

export interface HeapViewModel {
  readonly layout: WireLayout;
  readonly blocks: WireBlocks;
  readonly freeLists: readonly WireFreeList[];
  readonly stats: WireStats;
  readonly findings: readonly WireFinding[];
  readonly allocations: WireAllocations;
  readonly ownerLabels: readonly string[];
  /** Who owns what, found by the ownership scan (device heaps, core dumps); absent in simulation. */
  readonly ownership?: WireOwnership;
}

/** How sure an allocation's extent is: CONFIDENCES[code]. */
export const CONFIDENCES = ['exact', 'likely', 'span-only'] as const;
export type WireConfidence = (typeof CONFIDENCES)[number];
/** WireOwnership.parent: owned straight from a root word; no root reaches it. */
export const PARENT_ROOT = -1;
export const PARENT_NONE = -2;
/** WireOwnership.referrerBlock for a root word (its path is paths[referrerWord]). */
export const REFERRER_ROOT = -1;
/** Referrers sent per allocation; the total is sent too. */
export const MAX_WIRE_REFERRERS = 16;

/**
 * The ownership scan's answer, per allocation of WireAllocations (the scan's inferred blocks),
 * in columns. The owning chain is followed through `parent` in the webview: each step is the
 * allocation whose word at `parentWord` points `enteredAt` bytes into this one.
 */
export interface WireOwnership {
  /** Per allocation: index into CONFIDENCES. */
  readonly confidence: Uint8Array;
  /** Per allocation: why its extent is what it is (core's InferenceReason). */
  readonly reason: Uint8Array;
  /** Per allocation: the allocation whose word owns it, PARENT_ROOT or PARENT_NONE. */
  readonly parent: Int32Array;
  readonly parentWord: Float64Array;
  readonly enteredAt: Float64Array;
  /** Per allocation with an owner: index into `paths` of the root word at the start of its chain. */
  readonly rootPath: Uint32Array;
  /** Per allocation: consecutive stops it has been a leak suspect (0 = not a suspect). */
  readonly leakStops: Uint16Array;
  /** Referrers of allocation i are entries referrerStart[i] .. referrerStart[i+1] (at most MAX_WIRE_REFERRERS each). */
  readonly referrerStart: Uint32Array;
  /** Per allocation: how many words refer to it in all. */
  readonly referrerTotal: Uint32Array;
  /** The referring allocation, or REFERRER_ROOT. */
  readonly referrerBlock: Int32Array;
  /** A root referrer's index into `paths`; a block referrer's word offset in that block. */
  readonly referrerWord: Float64Array;
  /** Where the referring pointer points, from the referenced allocation's start. */
  readonly referrerInterior: Float64Array;
  /** Root word paths (`app::CACHE.entries[3]`, `thread 1 (main) stack+0x18`). */
  readonly paths: readonly string[];
  readonly summary: WireOwnershipSummary;
}

export interface WireOwnershipSummary {
  readonly roots: number;
  readonly rootBytes: number;
  readonly spanBytes: number;
  readonly references: number;
  readonly leakCount: number;
  readonly leakBytes: number;
  /** Suspect bytes grew while earlier suspects persisted (compared with the previous stop). */
  readonly leaksGrowing: boolean;
  /** The comparison with the previous stop, in words, when there was one. */
  readonly leakTrend?: string;
  /** What the scan cannot see (shown beside leak suspects). */
  readonly caveat: string;
  /** Why the scan was cut short, when it was. */
  readonly truncated?: string;
  readonly notes: readonly string[];
}

/** Same order as core/diff's ChangeKind (allocated is shown as "new"). */
export type WireChangeKind = 'new' | 'freed' | 'split' | 'merged' | 'uncertain';
export const CHANGE_KINDS: readonly WireChangeKind[] = ['new', 'freed', 'split', 'merged', 'uncertain'];

export interface WireChange {
  readonly kind: WireChangeKind;
  readonly offset: number;
  readonly order: number;
}

/** What changed between two steps, for highlighting on the map and lists (columns: no object per change). */
export interface WireDiff {
  readonly fromStep: number;
  readonly toStep: number;
  readonly count: number;
  readonly offsets: Float64Array;
  readonly orders: Uint8Array;
  /** Index into CHANGE_KINDS per change. */
  readonly kinds: Uint8Array;
  /** One line: what happened and how free memory moved. */
  readonly summary: string;
}

export type HistoryOp = 'heap' | 'alloc' | 'free' | 'dump' | 'snapshot';

export interface WireHistoryEntry {
  readonly step: number;
  readonly op: HistoryOp;
  /** The operation as a trace line (`alloc 64 8 owner=net/rx`). */
  readonly text: string;
  readonly ok: boolean;
  /** Outcome in words: the address, the error, the split and merge. */
  readonly detail: string;
  readonly changes: readonly WireChange[];
}

/** Statistics after each step, for the chart (index = step). */
export interface WireSeries {
  readonly freeBytes: Float64Array;
  readonly largestFree: Float64Array;
  readonly fragmentation: Float64Array;
}

export interface WireHistory {
  /** Steps in the history; step 0 is the fresh heap. */
  readonly total: number;
  /** The step whose view is shown. */
  readonly current: number;
  /** Step of entries[0]: a long history sends only a window of entries around the current step. */
  readonly windowStart: number;
  readonly entries: readonly WireHistoryEntry[];
  readonly series: WireSeries;
}

/**
 * The end of a history, for a webview that holds the history before it: steps from `from` on are
 * replaced (a new step appends; a step after stepping back also drops the later ones).
 */
export interface WireHistoryTail {
  readonly total: number;
  readonly current: number;
  readonly windowStart: number;
  /** Steps in the window (entries windowStart .. windowStart + windowLength - 1). */
  readonly windowLength: number;
  readonly from: number;
  /** Entries of the window's steps from `from` (or the window's start, if later) to its end. */
  readonly entries: readonly WireHistoryEntry[];
  /** Statistics of steps from..total-1. */
  readonly series: WireSeries;
}

export interface WireSource {
  readonly kind: 'simulated' | 'live';
  /** Shown in the panel title (e.g. "Simulated heap" or the debug session's name). */
  readonly label: string;
  readonly detail: string;
  /** True when allocate/free/reset intents make sense (simulation). */
  readonly canSimulate: boolean;
}

export interface WireNotice {
  readonly level: 'info' | 'warning' | 'error';
  readonly title: string;
  readonly message: string;
  /** Blocks the message is about (e.g. the allocations standing in the way of a large block). */
  readonly blocks: readonly { readonly offset: number; readonly order: number }[];
}
