// A view of no heap: no blocks, no lists, zero statistics. The decoder's view of a struct that
// makes no heap (its findings say why), and a live source's view before its first snapshot.
import type { DecodedHeapView, HeapStats } from './types';

/** Statistics with nothing free, allocated or unknown (for a heap of `heapSize` bytes, 0 when there is none). */
export function zeroStats(heapSize = 0): HeapStats {
  return {
    heapSize,
    freeBytes: 0,
    allocatedBytes: 0,
    unknownBytes: 0,
    largestFreeBlock: 0,
    fragmentation: 0,
    largestAllocatable: 0,
    perOrder: [],
  };
}

export function emptyHeapView(at: Pick<DecodedHeapView, 'heapBase' | 'pointerWidth' | 'endianness' | 'findings'>): DecodedHeapView {
  return {
    heapBase: at.heapBase,
    heapSize: 0,
    orders: 0,
    minBlockSize: 0,
    pointerWidth: at.pointerWidth,
    endianness: at.endianness,
    freeLists: [],
    blocks: { count: 0, offsets: new Float64Array(0), orders: new Uint8Array(0), states: new Uint8Array(0) },
    stats: zeroStats(),
    findings: at.findings,
  };
}
