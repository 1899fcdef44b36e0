// Target memory outside the heap that the ownership scan reads: the words of statics that hold
// pointers and the stopped threads' stacks. Nearby ranges are read as one (fewer requests; a
// struct's pointer members are usually close together), each into its own image placed at its
// address, so an unread byte stays unknown, never zero.
import type { Endianness, PointerWidth } from '../../../core/layout';
import { ByteImage } from '../../../core/memory/byteImage';
import type { MemorySegment } from '../../../core/ownership/segmentedMemory';
import { type DapChannel, readMemory } from '../dapSession';
import { LiveReadError, isFatal } from '../liveErrors';
import { type ChunkOptions, readRanges } from '../memoryReader';
import { readablePart } from '../readableBytes';
import type { ReadStats } from '../readStats';

export interface TargetRange {
  readonly address: bigint;
  readonly length: number;
}

export interface ImageFormat {
  readonly pointerWidth: PointerWidth;
  readonly endianness: Endianness;
}

/** Sorted, overlapping and near (within `gap` bytes) ranges joined. */
export function mergeRanges(ranges: readonly TargetRange[], gap: number): TargetRange[] {
  const sorted = ranges.filter(r => r.length > 0).sort((a, b) => (a.address < b.address ? -1 : a.address > b.address ? 1 : 0));
  const out: { address: bigint; end: bigint }[] = [];
  for (const range of sorted) {
    const end = range.address + BigInt(range.length);
    const last = out[out.length - 1];
    if (last && range.address <= last.end + BigInt(gap)) {
      if (end > last.end) last.end = end;
    } else out.push({ address: range.address, end });
  }
  return out.map(r => ({ address: r.address, length: Number(r.end - r.address) }));
}

/** Reads each (merged, disjoint) range into a segment; failed chunks leave their bytes unknown. */
export async function readTargetRanges(
  channel: DapChannel,
  ranges: readonly TargetRange[],
  format: ImageFormat,
  chunks: ChunkOptions,
  stats: ReadStats,
  signal?: AbortSignal,
): Promise<MemorySegment[]> {
  const segments: MemorySegment[] = [];
  for (const range of ranges) {
    const image = new ByteImage(range.length, { ...format, unknownUntilWritten: true });
    await readRanges(channel, range.address, image, [{ offset: 0, length: range.length }], chunks, stats, signal);
    segments.push({ address: range.address, image });
  }
  return segments;
}

/**
 * A stack whose top is unknown (a native thread): read upward from the stack pointer chunk by
 * chunk until the first chunk that fails or comes back short (the end of the mapping) or `limit`.
 */
export async function readStackUpward(
  channel: DapChannel,
  stackPointer: bigint,
  limit: number,
  format: ImageFormat,
  chunkBytes: number,
  stats: ReadStats,
  signal?: AbortSignal,
): Promise<MemorySegment | undefined> {
  const parts: Uint8Array[] = [];
  let read = 0;
  while (read < limit) {
    const length = Math.min(chunkBytes, limit - read);
    const at = stackPointer + BigInt(read);
    stats.readMemoryRequests++;
    stats.bytesRequested += length;
    let data: Uint8Array;
    try {
      const answer = readablePart(await readMemory(channel, at, length, stats, signal), at, length);
      data = answer.address === at ? answer.data.subarray(0, Math.min(answer.data.length, length)) : new Uint8Array(0);
    } catch (error) {
      if (error instanceof LiveReadError && !isFatal(error)) break;
      throw error;
    }
    // gdb answers a read crossing the end of a mapping with one byte too many: trust whole words only.
    const whole = data.length - (data.length % format.pointerWidth);
    if (whole > 0) parts.push(data.slice(0, whole));
    stats.bytesRead += whole;
    read += whole;
    if (data.length < length) break;
  }
  if (read === 0) return undefined;
  const image = new ByteImage(read, { ...format, unknownUntilWritten: true });
  let at = 0;
  for (const part of parts) {
    image.write(at, part);
    at += part.length;
  }
  return { address: stackPointer, image };
}
