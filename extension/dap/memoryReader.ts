// Reads heap ranges into a ByteImage in chunks no larger than the configured size, a few
// requests in flight. A failed or short chunk, and bytes the adapter flags as unreadable, leave
// their bytes unknown (the image was made with unknownUntilWritten), so unreadable memory never
// shows up as zeros or as free space.
import type { ByteImage } from '../../core/memory/byteImage';
import { type DapChannel, readMemory } from './dapSession';
import { LiveReadError, isFatal } from './liveErrors';
import { type ReadablePart, readablePart } from './readableBytes';
import type { ReadStats } from './readStats';

/** A byte range of the heap region, by offset from heap_base. */
export interface HeapRange {
  readonly offset: number;
  readonly length: number;
}

export interface ChunkOptions {
  readonly maxChunkBytes: number;
  readonly concurrency: number;
}

/** Splits ranges into chunks of at most maxChunkBytes, each aligned to the chunk size when it can be. */
export function chunkRanges(ranges: readonly HeapRange[], maxChunkBytes: number): HeapRange[] {
  const chunks: HeapRange[] = [];
  for (const range of ranges) {
    let at = range.offset;
    const end = range.offset + range.length;
    while (at < end) {
      const next = Math.min(end, (Math.floor(at / maxChunkBytes) + 1) * maxChunkBytes);
      chunks.push({ offset: at, length: next - at });
      at = next;
    }
  }
  return chunks;
}

/**
 * Writes the trusted bytes of an answer that fall inside `range` (offsets from `heapBase`) into
 * the image: the adapter may start the data elsewhere than asked, so it goes where it says.
 * Returns how many bytes were placed.
 */
export function placeAnswer(image: ByteImage, range: HeapRange, heapBase: bigint, answer: ReadablePart, stats: ReadStats): number {
  const shift = Number(answer.address - heapBase) - range.offset;
  const from = Math.max(0, -shift);
  const to = Math.min(answer.data.length, range.length - shift);
  if (to <= from) return 0;
  image.write(range.offset + shift + from, answer.data.subarray(from, to));
  stats.bytesRead += to - from;
  return to - from;
}

/** Reads the ranges (offsets from `heapBase`) into `image`; rejects only on fatal errors (cancelled, running, gone). */
export async function readRanges(
  session: DapChannel,
  heapBase: bigint,
  image: ByteImage,
  ranges: readonly HeapRange[],
  options: ChunkOptions,
  stats: ReadStats,
  signal?: AbortSignal,
): Promise<void> {
  const chunks = chunkRanges(ranges, options.maxChunkBytes);
  let next = 0;
  let stopped = false;
  const worker = async (): Promise<void> => {
    while (!stopped && next < chunks.length) {
      const chunk = chunks[next++]!;
      stats.readMemoryRequests++;
      stats.bytesRequested += chunk.length;
      try {
        const at = heapBase + BigInt(chunk.offset);
        const answer = readablePart(await readMemory(session, at, chunk.length, stats, signal), at, chunk.length);
        if (stopped) return;
        placeAnswer(image, chunk, heapBase, answer, stats);
        if (answer.address !== at || answer.data.length < chunk.length) stats.shortReads++;
      } catch (error) {
        if (error instanceof LiveReadError && !isFatal(error)) {
          stats.failedReads++;
          stats.firstFailure ??= `0x${(heapBase + BigInt(chunk.offset)).toString(16)}: ${error.message}`;
          continue;
        }
        stopped = true;
        throw error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(options.concurrency, chunks.length)) }, worker));
}
