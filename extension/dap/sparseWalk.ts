// Sparse mode for large heaps: read only the words the free-list walks need (each listed free
// block's first word), in rounds. Each round advances every list as far as known words allow,
// then reads the next word of every list at once, batching nearby words into one chunk. The
// decoder needs nothing else: allocated spans are what the free blocks leave over.
import type { ByteImage } from '../../core/memory/byteImage';
import type { HeapStructFields } from '../../core/model/buddyHeap';
import type { DapChannel } from './dapSession';
import { type ChunkOptions, type HeapRange, readRanges } from './memoryReader';
import type { ReadStats } from './readStats';

export interface SparseOptions extends ChunkOptions {
  /** Words closer than this many bytes are read in one chunk (a request costs more than a few bytes). */
  readonly gapBytes: number;
  /**
   * Each needed word is read with the aligned window of this many bytes around it: blocks of one
   * list tend to sit close together, so the window often holds the next links too and saves rounds.
   */
  readonly windowBytes: number;
  /** A bound on words read in one refresh, so a corrupt list cannot read a whole huge heap. */
  readonly maxWords: number;
}

/** Merges ranges into ranges no longer than maxChunkBytes (unless one already is) and with gaps under gapBytes. */
export function groupRanges(input: readonly HeapRange[], options: Pick<SparseOptions, 'maxChunkBytes' | 'gapBytes'>): HeapRange[] {
  const sorted = [...input].sort((a, b) => a.offset - b.offset);
  const ranges: HeapRange[] = [];
  let start = -1;
  let end = -1;
  for (const range of sorted) {
    const rangeEnd = range.offset + range.length;
    if (start >= 0 && range.offset - end <= options.gapBytes && Math.max(end, rangeEnd) - start <= options.maxChunkBytes) {
      end = Math.max(end, rangeEnd);
      continue;
    }
    if (start >= 0) ranges.push({ offset: start, length: end - start });
    start = range.offset;
    end = rangeEnd;
  }
  if (start >= 0) ranges.push({ offset: start, length: end - start });
  return ranges;
}

/** The ranges to read for some words: each word's aligned window (clipped to the heap), merged. */
export function wordWindows(
  offsets: Iterable<number>,
  width: number,
  size: number,
  options: Pick<SparseOptions, 'maxChunkBytes' | 'gapBytes' | 'windowBytes'>,
): HeapRange[] {
  const window = Math.max(width, Math.min(options.windowBytes, options.maxChunkBytes));
  const ranges: HeapRange[] = [];
  for (const at of offsets) {
    const start = Math.floor(at / window) * window;
    // A misaligned word may cross the window's end: stretch the window to hold it.
    const end = Math.min(size, Math.max(start + window, at + width));
    ranges.push({ offset: start, length: end - start });
  }
  return groupRanges(ranges, options);
}

interface Walk {
  cursor: bigint;
  readonly visited: Set<number>;
  done: boolean;
}

/** Reads every free list's chain of next words into `image` (offsets from heap_base). */
export async function readFreeListWords(
  session: DapChannel,
  fields: HeapStructFields,
  image: ByteImage,
  options: SparseOptions,
  stats: ReadStats,
  signal?: AbortSignal,
): Promise<void> {
  const width = image.pointerWidth;
  const base = fields.heapBase;
  const walks: Walk[] = fields.freeLists.map(head => ({ cursor: head, visited: new Set<number>(), done: false }));
  const attempted = new Set<number>();
  for (;;) {
    const needed = new Set<number>();
    for (const walk of walks) {
      while (!walk.done) {
        const offset = walk.cursor - base;
        // A null, a pointer outside the heap, a loop: the walk ends there, as the decoder's does.
        if (walk.cursor === 0n || offset < 0n || offset + BigInt(width) > BigInt(image.size) || walk.visited.has(Number(offset))) {
          walk.done = true;
          break;
        }
        const at = Number(offset);
        const next = image.readWord(at);
        if (next !== undefined) {
          walk.visited.add(at);
          walk.cursor = next;
          continue;
        }
        // Already asked for and still unknown: unreadable, the walk stops.
        if (attempted.has(at) || attempted.size >= options.maxWords) walk.done = true;
        else needed.add(at);
        break;
      }
    }
    if (needed.size === 0) return;
    stats.rounds++;
    for (const at of needed) attempted.add(at);
    await readRanges(session, base, image, wordWindows(needed, width, image.size, options), options, stats, signal);
  }
}
