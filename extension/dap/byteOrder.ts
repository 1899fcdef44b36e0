// The target's byte order, read from the target rather than assumed: debuggers do not report it,
// but the debugger prints heap_size's value and readMemory gives its bytes, and only one byte
// order turns those bytes into that value (unless it is 0). Without that value (an address heap,
// or a value that tells nothing) the struct itself can tell: only one order reads heap_size as a
// power of two with min_block_size = heap_size >> (N - 1) = 2^min_block_size_log2. The setting is
// used only when neither tells; a setting the target contradicts is reported and overruled.
import * as l10n from '@vscode/l10n';
import { type Endianness, isPowerOfTwo, log2Floor } from '../../core/layout';
import { decodeWord } from '../../core/memory/byteImage';
import type { HeapLocation } from './heapSpec';
import type { ReadNote } from './readNote';
import { decodeHeapStruct } from './structReader';

const ORDERS: readonly Endianness[] = ['little', 'big'];

/** The order that makes `word` equal `value`; undefined when both do (0, palindromes), 'neither' when none does. */
export function orderOfValue(word: Uint8Array, value: bigint): Endianness | 'neither' | undefined {
  const width = word.length as 4 | 8;
  const matching = ORDERS.filter(order => decodeWord(word, width, order === 'little') === value);
  return matching.length === 1 ? matching[0] : matching.length === 0 ? 'neither' : undefined;
}

/** The only order in which the struct's fields agree with each other, if exactly one does. */
export function orderOfStruct(structBytes: Uint8Array, location: HeapLocation): Endianness | undefined {
  const consistent = consistentOrders(structBytes, location);
  return consistent.length === 1 ? consistent[0] : undefined;
}

/** The byte orders in which heap_size, min_block_size and min_block_size_log2 agree (none: not a set-up heap). */
export function consistentOrders(structBytes: Uint8Array, location: HeapLocation): Endianness[] {
  return ORDERS.filter(endianness => {
    const fields = decodeHeapStruct(structBytes, { ...location, endianness });
    if (fields.heapSize === 0n || !isPowerOfTwo(fields.heapSize)) return false;
    const minBlock = fields.heapSize >> BigInt(location.orders - 1);
    return minBlock > 0n && fields.minBlockSize === minBlock && fields.minBlockSizeLog2 === log2Floor(minBlock);
  });
}

function hexBytes(bytes: Uint8Array): string {
  return Array.from(bytes, b => b.toString(16).padStart(2, '0')).join(' ');
}

export interface SettledOrder {
  readonly location: HeapLocation;
  readonly notes: readonly ReadNote[];
}

/**
 * Settles the location's byte order from the struct's bytes, once per location: the evaluated
 * heap_size is used at the read that located the heap only (it is stale later). `configured`
 * names where the location's current order came from, for the note.
 */
export function settleByteOrder(
  location: HeapLocation,
  structBytes: Uint8Array,
  /** Where the configured order comes from, and how to set it to the detected one (in words for a note). */
  configured: { readonly from: string; readonly fix: (detected: Endianness) => string },
): SettledOrder {
  if (location.endiannessFromTarget) return { location, notes: [] };
  const { heapSizeValue, ...rest } = location;
  const notes: ReadNote[] = [];
  const at = location.offsets.heapSize;
  const word = structBytes.subarray(at, at + location.pointerWidth);
  let detected: Endianness | undefined;
  let evidence = '';
  if (heapSizeValue !== undefined && word.length === location.pointerWidth) {
    const order = orderOfValue(word, heapSizeValue);
    if (order === 'neither') {
      notes.push({
        level: 'warning',
        message: l10n.t(
          'heap_size evaluates to {0}, but its bytes at {1} read {2} in either byte order: the memory the adapter returns is not what the debugger sees (unmapped memory reported as zeros?), so this snapshot may be wrong.',
          String(heapSizeValue),
          `0x${(location.address + BigInt(at)).toString(16)}`,
          hexBytes(word),
        ),
      });
    } else if (order) {
      detected = order;
      evidence = l10n.t('heap_size evaluates to {0} and its bytes read {1}', String(heapSizeValue), hexBytes(word));
    }
  }
  if (!detected) {
    detected = orderOfStruct(structBytes, location);
    if (detected)
      evidence = l10n.t('only {0}-endian reads heap_size, min_block_size and min_block_size_log2 consistently', endiannessWord(detected));
  }
  if (!detected) return { location: rest, notes };
  if (detected !== location.endianness) {
    notes.push({
      level: 'warning',
      message: `${l10n.t(
        'The target is {0}-endian ({1}), but {2} says {3}; reading it as {0}-endian.',
        endiannessWord(detected),
        evidence,
        configured.from,
        endiannessWord(location.endianness),
      )} ${configured.fix(detected)}`,
    });
  }
  return { location: { ...rest, endianness: detected, endiannessFromTarget: true }, notes };
}

/** A byte order as the notes say it. */
function endiannessWord(order: Endianness): string {
  return order === 'little' ? l10n.t('little') : l10n.t('big');
}
