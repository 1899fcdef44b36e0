// Reads the Heap<N> struct in one request and decodes each field at its own offset.
import * as l10n from '@vscode/l10n';
import { decodeWord } from '../../core/memory/byteImage';
import type { HeapStructFields } from '../../core/model/buddyHeap';
import { type DapChannel, readMemory } from './dapSession';
import type { HeapLocation } from './heapSpec';
import { LiveReadError } from './liveErrors';
import { readablePart } from './readableBytes';
import type { ReadStats } from './readStats';

/** Decodes the five fields from the struct's bytes (`bytes[0]` is the struct's first byte). */
export function decodeHeapStruct(bytes: Uint8Array, location: HeapLocation): HeapStructFields {
  const little = location.endianness === 'little';
  const width = location.pointerWidth;
  // One DataView read per word (a bigint shifted in byte by byte costs ~10 bigint operations per
  // word, and this runs at every stop); a word cut off by the end of the bytes reads as before.
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const word = (at: number) =>
    at + width > bytes.length
      ? decodeWord(bytes.subarray(at, at + width), width, little)
      : width === 4
        ? BigInt(view.getUint32(at, little))
        : view.getBigUint64(at, little);
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

/**
 * Every field zero: a struct not initialised yet (a static in .bss before Heap::new), or memory
 * some probes report as zeros when nothing is mapped there. Neither is an empty heap.
 */
export function isZeroStruct(fields: HeapStructFields): boolean {
  return (
    fields.heapBase === 0n &&
    fields.heapSize === 0n &&
    fields.minBlockSize === 0n &&
    fields.minBlockSizeLog2 === 0 &&
    fields.freeLists.every(head => head === 0n)
  );
}

/**
 * The error for a struct that reads as zeros: what it may mean and what to do. `evaluated` is
 * heap_size as the debugger printed it: non-zero, the zeros cannot be an uninitialised struct.
 */
export function zeroStructError(location: HeapLocation, evaluated?: bigint): LiveReadError {
  const address = `0x${location.address.toString(16)}`;
  if (evaluated !== undefined && evaluated !== 0n) {
    return new LiveReadError(
      'zeroed',
      l10n.t(
        'The heap struct "{0}" at {1} reads as zeros (heap_size 0, no free lists), yet the debugger evaluates heap_size as {2}: the adapter reports memory it cannot read as zeros (unmapped, or another address space). Check the heap\'s expression or address, and that the debug adapter reads target memory there.',
        location.label,
        address,
        String(evaluated),
      ),
    );
  }
  return new LiveReadError(
    'zeroed',
    l10n.t(
      'The heap struct "{0}" at {1} reads as zeros (heap_size 0, no free lists): not initialised yet, or unmapped memory the adapter reports as zeros. It is read again at the next stop; if it stays zero once the heap is set up, check that the heap\'s expression or address names the Heap<N> the program uses.',
      location.label,
      address,
    ),
  );
}

/** The struct's bytes (`span` of them from its address); throws LiveReadError('unreadable') when any is missing. */
export async function readStructBytes(
  session: DapChannel,
  location: HeapLocation,
  stats: ReadStats,
  signal?: AbortSignal,
): Promise<Uint8Array> {
  stats.readMemoryRequests++;
  stats.bytesRequested += location.span;
  const where = `0x${location.address.toString(16)}`;
  let answer;
  try {
    answer = await readMemory(session, location.address, location.span, stats, signal);
  } catch (error) {
    if (error instanceof LiveReadError && error.kind === 'adapter') {
      throw new LiveReadError(
        'unreadable',
        l10n.t('The heap struct "{0}" at {1} cannot be read: {2}', location.label, where, error.message),
      );
    }
    throw error;
  }
  const flagged = answer.unreadableBytes > 0 ? `; ${l10n.t('the adapter marked {0} bytes unreadable', answer.unreadableBytes)}` : '';
  const readable = readablePart(answer, location.address, location.span);
  stats.bytesRead += readable.data.length;
  if (readable.address !== location.address || readable.data.length < location.span) {
    throw new LiveReadError(
      'unreadable',
      l10n.t(
        'The heap struct "{0}" at {1} could be read only in part ({2} of {3} bytes from {4}{5}).',
        location.label,
        where,
        readable.data.length,
        location.span,
        `0x${readable.address.toString(16)}`,
        flagged,
      ),
    );
  }
  return readable.data;
}
