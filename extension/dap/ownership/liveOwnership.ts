// Who owns each block of a device's heap, from a halted target: the program's statics (their
// pointer words, from DWARF), the stopped threads' stacks and frame-0 registers are the roots; the
// heap's allocated spans are read and scanned like a conservative garbage collector would
// (core/ownership). Only what the scan needs is read, within a byte budget, with the heap read's
// chunking and the same capability gate; nothing is written and no target code runs.
import * as l10n from '@vscode/l10n';
import type { DecodedHeapView } from '../../../core/decoder/types';
import { BlockState } from '../../../core/decoder/blockState';
import { formatBytes } from '../../../core/layout';
import { ByteImage } from '../../../core/memory/byteImage';
import { notPointerRegister } from '../../../core/ownership/registerRoots';
import type { OwnershipResult } from '../../../core/ownership/ownershipResult';
import { scanOwnership } from '../../../core/ownership/scanOwnership';
import { type MemorySegment, SegmentedMemory } from '../../../core/ownership/segmentedMemory';
import type { MemoryRoot, RootRegion } from '../../../core/ownership/types';
import { POW2 } from '../../../core/util/powersOfTwo';
import type { DapChannel } from '../dapSession';
import type { LiveHeapRead } from '../liveHeapReader';
import type { ChunkOptions, HeapRange } from '../memoryReader';
import { readRanges } from '../memoryReader';
import { type ReadStats, emptyStats } from '../readStats';
import type { StopContext } from '../stopContext';
import { type ImageFormat, type TargetRange, mergeRanges, readStackUpward, readTargetRanges } from './targetRegions';
import { readThreadRegisters } from './threadRegisters';

/** What the program's debug info gives the scan, at the addresses the running program uses. */
export interface OwnershipProgram {
  /** Statics (with their pointer members) and data symbols without debug info. */
  readonly roots: readonly MemoryRoot[];
  /** The top of the initial stack of a bare-metal program (`_estack`, the vector table's first word). */
  readonly stackTop: bigint | undefined;
}

export interface OwnershipScanSettings {
  /** Bytes read for the scan at one stop (statics, stacks, allocated spans), beyond the heap read. */
  readonly maxReadBytes: number;
  /** A native thread's stack is read up to this many bytes above its stack pointer. */
  readonly maxStackBytes: number;
  readonly chunks: ChunkOptions;
}

export const DEFAULT_OWNERSHIP_SETTINGS: OwnershipScanSettings = {
  maxReadBytes: 4 * 1024 * 1024,
  maxStackBytes: 1024 * 1024,
  chunks: { maxChunkBytes: 64 * 1024, concurrency: 4 },
};

export interface LiveOwnership {
  readonly result: OwnershipResult;
  readonly stats: ReadStats;
  /** What the user should know about this scan (what was cut, what could not be read). */
  readonly notes: readonly string[];
  /** What the scan read, kept so a saved snapshot can be scanned again without the target. */
  readonly inputs: OwnershipInputs;
}

export interface OwnershipInputs {
  readonly roots: readonly RootRegion[];
  readonly rootMemory: readonly MemorySegment[];
  readonly heapStruct: { readonly address: bigint; readonly size: number };
  /** The heap bytes the scan saw: the heap read's and the allocated blocks it read itself. */
  readonly heapMemory: ByteImage;
}

/** Words near each other are read in one request when no more than this apart. */
const MERGE_GAP = 256;

export async function scanLiveOwnership(
  channel: DapChannel,
  program: OwnershipProgram,
  read: LiveHeapRead,
  view: DecodedHeapView,
  stop: StopContext,
  settings: OwnershipScanSettings,
  signal?: AbortSignal,
): Promise<LiveOwnership> {
  const started = Date.now();
  const stats = emptyStats('sparse');
  const notes: string[] = [];
  const { location } = read;
  const format: ImageFormat = { pointerWidth: location.pointerWidth, endianness: location.endianness };
  const width = location.pointerWidth;
  const arena = { address: view.heapBase, size: view.heapSize };
  const struct = { address: location.address, size: location.span };
  let budget = settings.maxReadBytes;

  // Statics: only their pointer words (and fat pointers' lengths); conservative roots whole.
  const statics = program.roots.filter(root => !inside(root, arena) && !inside(root, struct));
  const staticRanges = mergeRanges(
    statics.flatMap(root => rootWords(root, width)),
    MERGE_GAP,
  );
  const staticBytes = staticRanges.reduce((n, r) => n + r.length, 0);
  const segments: MemorySegment[] = [];
  if (staticBytes <= budget) {
    segments.push(...(await readTargetRanges(channel, staticRanges, format, settings.chunks, stats, signal)));
    budget -= staticBytes;
  } else
    notes.push(
      l10n.t("The program's statics hold {0} of pointer words, more than the scan's budget: none were read.", formatBytes(staticBytes)),
    );

  // Stacks and registers of the stopped threads.
  const roots: RootRegion[] = [...statics];
  const threads = await readThreadRegisters(channel, stop.threadId, width, stats, signal).catch(() => []);
  if (threads.length === 0) notes.push(l10n.t('The debugger showed no registers, so no stack was scanned.'));
  for (const thread of threads) {
    const name = `thread ${thread.threadId}${thread.threadName ? ` (${thread.threadName})` : ''}`;
    for (const [register, value] of thread.registers)
      if (!notPointerRegister(register)) roots.push({ kind: 'register', label: `${name} ${register}`, value });
    const sp = thread.stackPointer;
    if (sp === undefined || budget <= 0) continue;
    const stack = await readStack(channel, sp, program.stackTop, Math.min(budget, settings.maxStackBytes), format, settings, stats, signal);
    if (!stack || overlapsAny(stack, segments)) continue;
    segments.push(stack.segment);
    budget -= stack.bytes;
    roots.push({ kind: 'stack', label: `${name} stack`, address: sp, size: stack.bytes });
  }

  // The allocated spans the heap read did not already bring.
  const heapMemory = heapBytes(read);
  const wanted = allocatedUnknown(view, heapMemory);
  const wantedBytes = wanted.reduce((n, r) => n + r.length, 0);
  const taken = takeWithin(wanted, Math.max(0, budget));
  if (taken.bytes < wantedBytes)
    notes.push(
      l10n.t(
        '{0} of allocated blocks were not read (the scan reads at most {1} per stop: buddyHeap.live.ownership.maxReadBytes); pointers there are not seen.',
        formatBytes(wantedBytes - taken.bytes),
        formatBytes(settings.maxReadBytes),
      ),
    );
  await readRanges(channel, view.heapBase, heapMemory, taken.ranges, settings.chunks, stats, signal);
  if (stats.failedReads > 0)
    notes.push(
      l10n.t('{0} reads for the scan failed (first: {1}); their bytes are unknown.', stats.failedReads, stats.firstFailure ?? '?'),
    );

  const result = scanOwnership({ heap: view, heapMemory, roots, rootMemory: new SegmentedMemory(segments), heapStruct: struct });
  stats.elapsedMs = Date.now() - started;
  return { result, stats, notes: [...notes, ...result.notes], inputs: { roots, rootMemory: segments, heapStruct: struct, heapMemory } };
}

/** The byte ranges of a root the scan reads. */
function rootWords(root: MemoryRoot, width: number): TargetRange[] {
  if (!root.slots) return [{ address: root.address, length: root.size }];
  return root.slots.flatMap(slot => [
    { address: root.address + BigInt(slot.offset), length: width },
    ...(slot.fat ? [{ address: root.address + BigInt(slot.fat.lengthOffset), length: width }] : []),
  ]);
}

function inside(root: { address: bigint; size: number }, range: { address: bigint; size: number }): boolean {
  return root.address >= range.address && root.address + BigInt(root.size) <= range.address + BigInt(range.size);
}

function overlapsAny(stack: { segment: MemorySegment }, segments: readonly MemorySegment[]): boolean {
  const a = stack.segment.address;
  const b = a + BigInt(stack.segment.image.size);
  return segments.some(s => s.address < b && a < s.address + BigInt(s.image.size));
}

/** A bare-metal stack is [sp, top) from the ELF (reads past the top may succeed); a native one is read until it ends. */
async function readStack(
  channel: DapChannel,
  sp: bigint,
  top: bigint | undefined,
  limit: number,
  format: ImageFormat,
  settings: OwnershipScanSettings,
  stats: ReadStats,
  signal?: AbortSignal,
): Promise<{ segment: MemorySegment; bytes: number } | undefined> {
  if (top !== undefined && top > sp && top - sp <= BigInt(limit)) {
    const length = Number(top - sp);
    const [segment] = await readTargetRanges(channel, [{ address: sp, length }], format, settings.chunks, stats, signal);
    return segment ? { segment, bytes: length } : undefined;
  }
  if (top !== undefined) return undefined; // a stack pointer outside the stack the program declares: not a stack to scan
  const segment = await readStackUpward(channel, sp, limit, format, settings.chunks.maxChunkBytes, stats, signal);
  return segment ? { segment, bytes: segment.image.size } : undefined;
}

/** A copy of the heap read's bytes that the scan can add allocated spans to (the history keeps the original). */
function heapBytes(read: LiveHeapRead): ByteImage {
  const memory = read.snapshot.memory;
  if (memory instanceof ByteImage) return memory.clone();
  const { pointerWidth, endianness } = read.location;
  return new ByteImage(memory.size, { pointerWidth, endianness, unknownUntilWritten: true });
}

/** The allocated spans' bytes not known yet, as heap ranges. */
function allocatedUnknown(view: DecodedHeapView, image: ByteImage): HeapRange[] {
  const out: HeapRange[] = [];
  const { blocks, minBlockSize } = view;
  for (let i = 0; i < blocks.count; i++) {
    if (blocks.states[i] !== BlockState.Allocated) continue;
    const offset = blocks.offsets[i]!;
    const length = minBlockSize * POW2[blocks.orders[i]!]!;
    if (!image.isKnown(offset, length)) out.push({ offset, length });
  }
  return out;
}

/** The first ranges (address order) that fit in `budget` bytes, the last one cut to fit. */
function takeWithin(ranges: readonly HeapRange[], budget: number): { ranges: HeapRange[]; bytes: number } {
  const out: HeapRange[] = [];
  let bytes = 0;
  for (const range of ranges) {
    if (bytes >= budget) break;
    const length = Math.min(range.length, budget - bytes);
    out.push({ offset: range.offset, length });
    bytes += length;
  }
  return { ranges: out, bytes };
}
