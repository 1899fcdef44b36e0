// Sparse mode for large heaps: read only the words the free-list walks need (each listed free
// block's first word), in rounds. Each round advances every list as far as known words allow,
// then reads the next word of every list at once, batching nearby words into one chunk. The
// decoder needs nothing else: allocated spans are what the free blocks leave over.
import type { ByteImage } from '../../core/memory/byteImage';
import type { HeapStructFields } from '../../core/model/buddyHeap';
import type { DapSession } from './dapSession';
import { type ChunkOptions, type HeapRange, readRanges } from './memoryReader';
import type { ReadStats } from './readStats';

export interface SparseOptions extends ChunkOptions {
  /** Words closer than this many bytes are read in one chunk (a request costs more than a few bytes). */
  readonly gapBytes: number;
  /** A bound on words read in one refresh, so a corrupt list cannot read a whole huge heap. */
  readonly maxWords: number;
}

/** Groups sorted word offsets into ranges no longer than maxChunkBytes and with gaps under gapBytes. */
export function groupWords(offsets: readonly number[], width: number, options: Pick<SparseOptions, 'maxChunkBytes' | 'gapBytes'>): HeapRange[] {
  const sorted = [...offsets].sort((a, b) => a - b);
  const ranges: HeapRange[] = [];
  let start = -1;
  let end = -1;
  for (const offset of sorted) {
    if (start >= 0 && offset - end <= options.gapBytes && offset + width - start <= options.maxChunkBytes) {
      end = Math.max(end, offset + width);
      continue;
    }
    if (start >= 0) ranges.push({ offset: start, length: end - start });
    start = offset;
    end = offset + width;
  }
  if (start >= 0) ranges.push({ offset: start, length: end - start });
  return ranges;
}

interface Walk {
  cursor: bigint;
  readonly visited: Set<number>;
  done: boolean;
}

/** Reads every free list's chain of next words into `image` (offsets from heap_base). */
export async function readFreeListWords(
  session: DapSession, fields: HeapStructFields, image: ByteImage, options: SparseOptions, stats: ReadStats, signal?: AbortSignal,
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
    await readRanges(session, base, image, groupWords([...needed], width, options), options, stats, signal);
  }
}
