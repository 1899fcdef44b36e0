// Reads the Heap<N> struct in one request and decodes each field at its own offset.
import { decodeWord } from '../../core/memory/byteImage';
import type { HeapStructFields } from '../../core/model/buddyHeap';
import { type DapSession, readMemory } from './dapSession';
import type { HeapLocation } from './heapSource';
import { LiveReadError } from './liveErrors';
import { readablePart } from './readableBytes';
import type { ReadStats } from './readStats';

/** Decodes the five fields from the struct's bytes (`bytes[0]` is the struct's first byte). */
export function decodeHeapStruct(bytes: Uint8Array, location: HeapLocation): HeapStructFields {
  const little = location.endianness === 'little';
  const width = location.pointerWidth;
  const word = (at: number) => decodeWord(bytes.subarray(at, at + width), width, little);
  const { offsets } = location;
  let log2 = 0n;
  const log2Bytes = bytes.subarray(offsets.minBlockSizeLog2, offsets.minBlockSizeLog2 + location.log2Bytes);
  for (let i = 0; i < log2Bytes.length; i++) log2 = (log2 << 8n) | BigInt(log2Bytes[little ? log2Bytes.length - 1 - i : i] ?? 0);
  return {
    heapBase: word(offsets.heapBase),
    heapSize: word(offsets.heapSize),
    freeLists: Array.from({ length: location.orders }, (_, k) => word(offsets.freeLists + k * width)),
    minBlockSize: word(offsets.minBlockSize),
    // A u8 in the crate; a corrupt wider field is clamped so it stays a plain number.
    minBlockSizeLog2: Number(log2 > 255n ? 255n : log2),
  };
}

export async function readHeapStruct(session: DapSession, location: HeapLocation, stats: ReadStats, signal?: AbortSignal): Promise<HeapStructFields> {
  stats.readMemoryRequests++;
  stats.bytesRequested += location.span;
  const where = `0x${location.address.toString(16)}`;
  let answer;
  try {
    answer = await readMemory(session, location.address, location.span, stats, signal);
  } catch (error) {
    if (error instanceof LiveReadError && error.kind === 'adapter') {
      throw new LiveReadError('unreadable', `The heap struct "${location.label}" at ${where} cannot be read: ${error.message}`);
    }
    throw error;
  }
  const flagged = answer.unreadableBytes > 0 ? `; the adapter marked ${answer.unreadableBytes} bytes unreadable` : '';
  const readable = readablePart(answer, location.address, location.span);
  stats.bytesRead += readable.data.length;
  if (readable.address !== location.address || readable.data.length < location.span) {
    throw new LiveReadError('unreadable', `The heap struct "${location.label}" at ${where} could be read only in part (${readable.data.length} of ${location.span} bytes from 0x${readable.address.toString(16)}${flagged}).`);
  }
  return decodeHeapStruct(readable.data, location);
}
