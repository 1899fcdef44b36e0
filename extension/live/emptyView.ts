// What a live source shows before its first snapshot: no blocks, no lists, no findings (the
// source's notice says why it is empty). Same shape as the decoder's refused view.
import type { DecodedHeapView } from '../../core/decoder/types';
import type { PointerWidth } from '../../core/layout';

export function emptyView(pointerWidth: PointerWidth = 4): DecodedHeapView {
  return {
    heapBase: 0n,
    heapSize: 0,
    orders: 0,
    minBlockSize: 0,
    pointerWidth,
    endianness: 'little',
    freeLists: [],
    blocks: { count: 0, offsets: new Float64Array(0), orders: new Uint8Array(0), states: new Uint8Array(0) },
    stats: {
      heapSize: 0,
      freeBytes: 0,
      allocatedBytes: 0,
      unknownBytes: 0,
      largestFreeBlock: 0,
      fragmentation: 0,
      largestAllocatable: 0,
      perOrder: [],
    },
    findings: [],
  };
}
