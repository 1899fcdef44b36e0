// Whether two live reads saw the same heap: the struct's fields and every heap byte (known bytes
// equal, unknown where the other is unknown). A re-read at the same stop that changed nothing adds
// no history step. Pure, so the unit tests cover it.
import type { HeapSnapshot } from '../../core/decoder/types';
import { ByteImage } from '../../core/memory/byteImage';
import type { HeapStructFields } from '../../core/model/buddyHeap';

const WINDOW = 4096;

function sameFields(a: HeapStructFields, b: HeapStructFields): boolean {
  return (
    a.heapBase === b.heapBase &&
    a.heapSize === b.heapSize &&
    a.minBlockSize === b.minBlockSize &&
    a.minBlockSizeLog2 === b.minBlockSizeLog2 &&
    a.freeLists.length === b.freeLists.length &&
    a.freeLists.every((head, k) => head === b.freeLists[k])
  );
}

function sameBytes(a: Uint8Array | undefined, b: Uint8Array | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function sameImage(a: ByteImage, b: ByteImage): boolean {
  if (a.size !== b.size) return false;
  for (let at = 0; at < a.size; at += WINDOW) {
    const n = Math.min(WINDOW, a.size - at);
    const wa = a.read(at, n);
    const wb = b.read(at, n);
    if (wa !== undefined || wb !== undefined) {
      if (!sameBytes(wa, wb)) return false;
      continue;
    }
    // Some bytes of both windows are unknown (a failed or sparse read): compare byte by byte.
    for (let i = at; i < at + n; i++) {
      const known = a.isKnown(i, 1);
      if (known !== b.isKnown(i, 1)) return false;
      if (known && a.read(i, 1)![0] !== b.read(i, 1)![0]) return false;
    }
  }
  return true;
}

export function sameSnapshot(a: HeapSnapshot, b: HeapSnapshot): boolean {
  if (a.pointerWidth !== b.pointerWidth || a.endianness !== b.endianness || !sameFields(a.fields, b.fields)) return false;
  // Only byte images can be compared byte by byte; anything else counts as changed.
  return a.memory instanceof ByteImage && b.memory instanceof ByteImage && sameImage(a.memory, b.memory);
}
