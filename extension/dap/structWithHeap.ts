// The struct and a small heap region in one readMemory when they lie close together (a static
// Heap<N> next to its static arena is the common embedded layout): one round trip per stop
// instead of two. Any doubt (a failed or short answer, the struct not wholly readable) hands the
// refresh back to the separate reads, so errors and unknown bytes stay exactly as they were.
import type { ByteImage } from '../../core/memory/byteImage';
import { type DapChannel, type MemoryBody, readMemory } from './dapSession';
import type { HeapLocation } from './heapSpec';
import { LiveReadError, isFatal } from './liveErrors';
import { placeAnswer } from './memoryReader';
import { readablePart } from './readableBytes';
import type { ReadStats } from './readStats';

/** Where the heap region is expected (from the last stop). */
export interface HeapRegion {
  readonly heapBase: bigint;
  readonly heapSize: number;
}

/** The bytes of one request covering both. */
export interface StructWithHeap {
  readonly structBytes: Uint8Array;
  readonly region: HeapRegion;
  /** Writes the heap's part of the answer into a fresh image of the region (same rules as a chunk read). */
  fill(image: ByteImage, stats: ReadStats): void;
}

export interface MergeOptions {
  readonly maxChunkBytes: number;
  readonly gapBytes: number;
}

/**
 * The one request to send, or undefined when the two should be read apart: together they are more
 * than one chunk (maxChunkBytes is a promise to probes that fail on larger reads), or the struct is
 * more than gapBytes away from the heap (or inside it).
 */
export function mergedSpan(
  location: Pick<HeapLocation, 'address' | 'span'>,
  region: HeapRegion,
  options: MergeOptions,
): { readonly address: bigint; readonly length: number } | undefined {
  if (region.heapSize <= 0 || region.heapSize > options.maxChunkBytes) return undefined;
  const structEnd = location.address + BigInt(location.span);
  const heapEnd = region.heapBase + BigInt(region.heapSize);
  let gap: bigint;
  if (region.heapBase >= structEnd) gap = region.heapBase - structEnd;
  else if (location.address >= heapEnd) gap = location.address - heapEnd;
  else return undefined;
  if (gap > BigInt(options.gapBytes)) return undefined;
  const address = location.address < region.heapBase ? location.address : region.heapBase;
  const end = structEnd > heapEnd ? structEnd : heapEnd;
  const length = Number(end - address);
  return length <= options.maxChunkBytes ? { address, length } : undefined;
}

/**
 * Reads struct and heap in one request; undefined (nothing kept, the request counted) when the
 * answer does not hold the whole struct or the adapter refused: the caller reads them apart.
 */
export async function readStructWithHeap(
  session: DapChannel,
  location: HeapLocation,
  region: HeapRegion,
  options: MergeOptions,
  stats: ReadStats,
  signal?: AbortSignal,
): Promise<StructWithHeap | undefined> {
  const span = mergedSpan(location, region, options);
  if (!span) return undefined;
  stats.readMemoryRequests++;
  stats.bytesRequested += span.length;
  let answer: MemoryBody;
  try {
    answer = await readMemory(session, span.address, span.length, stats, signal);
  } catch (error) {
    if (error instanceof LiveReadError && !isFatal(error)) return undefined;
    throw error;
  }
  const trusted = readablePart(answer, span.address, span.length);
  const from = location.address - trusted.address;
  if (from < 0n || from + BigInt(location.span) > BigInt(trusted.data.length)) return undefined;
  const structBytes = trusted.data.subarray(Number(from), Number(from) + location.span);
  stats.bytesRead += location.span;
  return {
    structBytes,
    region,
    fill(image, fillStats) {
      // The heap's part, as its own chunk would have been placed; what is missing stays unknown.
      if (placeAnswer(image, { offset: 0, length: region.heapSize }, region.heapBase, trusted, fillStats) < region.heapSize)
        fillStats.shortReads++;
    },
  };
}
