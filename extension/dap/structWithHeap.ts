// The struct and what lies close to it in one readMemory: the wrapper's lock flag (a sibling field,
// a few bytes away) and, from the second stop on, a small heap region where the last stop found
// it (a static Heap<N> next to its static arena is a common embedded layout). One round trip per
// stop instead of two or three. Any doubt (a failed or short answer, the struct not wholly
// readable) hands the refresh back to the separate reads, so errors and unknown bytes stay exactly
// as they were.
import type { ByteImage } from '../../core/memory/byteImage';
import { type DapChannel, type MemoryBody, readMemory } from './dapSession';
import type { HeapLocation } from './heapSpec';
import { LiveReadError, isFatal } from './liveErrors';
import { placeAnswer } from './memoryReader';
import { type ReadablePart, readablePart } from './readableBytes';
import type { ReadStats } from './readStats';

/** Where the heap region is expected (from the last stop). */
export interface HeapRegion {
  readonly heapBase: bigint;
  readonly heapSize: number;
}

/** A few bytes to read beside the struct (the wrapper's lock flag). */
export interface NearbyBytes {
  readonly address: bigint;
  readonly size: number;
}

/** What may join the struct's read. */
export interface Companions {
  readonly lock?: NearbyBytes | undefined;
  readonly region?: HeapRegion | undefined;
}

/** The one request and what it covers besides the struct. */
export interface MergedSpan {
  readonly address: bigint;
  readonly length: number;
  readonly lock: boolean;
  readonly region: boolean;
}

export interface MergeOptions {
  readonly maxChunkBytes: number;
  /** The most bytes read between two of the parts that nobody asked for. */
  readonly mergeGapBytes: number;
}

/** The bytes of one request covering the struct and its companions. */
export interface StructTogether {
  readonly structBytes: Uint8Array;
  /** Whether the lock flag was part of the request, and its bytes when they were all readable. */
  readonly lockIncluded: boolean;
  readonly lockBytes: Uint8Array | undefined;
  /** The heap region read with the struct, if any. */
  readonly region: HeapRegion | undefined;
  /** Writes the heap's part of the answer into a fresh image of the region (same rules as a chunk read). */
  fill(image: ByteImage, stats: ReadStats): void;
}

interface Span {
  readonly start: bigint;
  readonly end: bigint;
}

/** The union of two spans when the bytes between them are few and the whole fits one request. */
function join(span: Span, part: Span, options: MergeOptions): Span | undefined {
  const gap = part.start >= span.end ? part.start - span.end : span.start >= part.end ? span.start - part.end : 0n;
  if (gap > BigInt(options.mergeGapBytes)) return undefined;
  const start = span.start < part.start ? span.start : part.start;
  const end = span.end > part.end ? span.end : part.end;
  return end - start <= BigInt(options.maxChunkBytes) ? { start, end } : undefined;
}

/**
 * The one request to send, or undefined when nothing joins the struct. A companion joins when it
 * lies within mergeGapBytes of what is read already and the whole stays within one chunk
 * (maxChunkBytes is a promise to probes that fail on larger reads); a heap region overlapping the
 * struct never joins. The lock is tried first: it is a few bytes, read at every stop.
 */
export function mergedSpan(
  location: Pick<HeapLocation, 'address' | 'span'>,
  parts: Companions,
  options: MergeOptions,
): MergedSpan | undefined {
  let span: Span = { start: location.address, end: location.address + BigInt(location.span) };
  let lock = false;
  let region = false;
  if (parts.lock && parts.lock.size > 0) {
    const joined = join(span, { start: parts.lock.address, end: parts.lock.address + BigInt(parts.lock.size) }, options);
    if (joined) [span, lock] = [joined, true];
  }
  const heap = parts.region;
  if (heap && heap.heapSize > 0) {
    const part = { start: heap.heapBase, end: heap.heapBase + BigInt(heap.heapSize) };
    const structEnd = location.address + BigInt(location.span);
    const overlapsStruct = part.start < structEnd && location.address < part.end;
    const joined = overlapsStruct ? undefined : join(span, part, options);
    if (joined) [span, region] = [joined, true];
  }
  if (!lock && !region) return undefined;
  return { address: span.start, length: Number(span.end - span.start), lock, region };
}

/** The bytes [address, address + size) of a trusted answer, or undefined when any is missing. */
function slice(trusted: ReadablePart, address: bigint, size: number): Uint8Array | undefined {
  const from = address - trusted.address;
  if (from < 0n || from + BigInt(size) > BigInt(trusted.data.length)) return undefined;
  return trusted.data.subarray(Number(from), Number(from) + size);
}

/**
 * Reads the struct with its companions in the one request `span` (from mergedSpan); undefined
 * (the request counted, nothing kept) when the answer does not hold the whole struct or the
 * adapter refused: the caller then reads each part on its own, as it would have anyway.
 */
export async function readStructTogether(
  session: DapChannel,
  location: HeapLocation,
  parts: Companions,
  span: MergedSpan,
  stats: ReadStats,
  signal?: AbortSignal,
): Promise<StructTogether | undefined> {
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
  const structBytes = slice(trusted, location.address, location.span);
  if (!structBytes) return undefined;
  stats.bytesRead += location.span;
  const lockBytes = span.lock && parts.lock ? slice(trusted, parts.lock.address, parts.lock.size) : undefined;
  if (lockBytes) stats.bytesRead += lockBytes.length;
  const region = span.region ? parts.region : undefined;
  return {
    structBytes,
    lockIncluded: span.lock,
    lockBytes,
    region,
    fill(image, fillStats) {
      if (!region) return;
      // The heap's part, as its own chunk would have been placed; what is missing stays unknown.
      if (placeAnswer(image, { offset: 0, length: region.heapSize }, region.heapBase, trusted, fillStats) < region.heapSize)
        fillStats.shortReads++;
    },
  };
}
