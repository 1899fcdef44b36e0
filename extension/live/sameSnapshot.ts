// Whether two live reads saw the same heap: the struct's fields and every heap byte (known bytes
// equal, unknown where the other is unknown). A re-read at the same stop that changed nothing adds
// no history step; a new stop that changed nothing reuses the decoded view. Pure, so the unit
// tests cover it.
import type { HeapSnapshot } from '../../core/decoder/types';
import { ByteImage } from '../../core/memory/byteImage';
import type { HeapStructFields } from '../../core/model/buddyHeap';

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

/** memcmp through Node's Buffer (no copy): run once per stop, a loop in JS would run interpreted. */
function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));
}

export function sameSnapshot(a: HeapSnapshot, b: HeapSnapshot): boolean {
  if (a.pointerWidth !== b.pointerWidth || a.endianness !== b.endianness || !sameFields(a.fields, b.fields)) return false;
  // Only byte images can be compared byte by byte; anything else counts as changed.
  return a.memory instanceof ByteImage && b.memory instanceof ByteImage && a.memory.sameContent(b.memory, equalBytes);
}
