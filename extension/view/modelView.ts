// The view of a simulated heap. The simulation's bytes are what a device would hold, so the view
// comes from the same decoder a live heap goes through: decodeHeap(snapshotOfModel(heap)).
// INTERIM: until core/decoder/decode.ts lands, the view is read from the model's own lists.
import { BlockState, BlockTable, FreeListView, HeapSnapshot, HeapStats, HeapView } from '../../core/decoder/types';
import type { BuddyHeap } from '../../core/model/buddyHeap';

/** The snapshot a debugger would read from this heap: the struct's fields and the heap bytes. */
export function snapshotOfModel(heap: BuddyHeap): HeapSnapshot {
  return { fields: heap.structFields(), pointerWidth: heap.layout.pointerWidth, endianness: heap.layout.endianness, memory: heap.image };
}

export function viewOfModel(heap: BuddyHeap): HeapView {
  const freeLists: FreeListView[] = [];
  const heads = heap.structFields().freeLists;
  const free: { offset: number; order: number }[] = [];
  for (let order = 0; order < heap.orders; order++) {
    const offsets = heap.freeList(order);
    freeLists.push({
      order,
      blockSize: heap.orderSize(order),
      head: heads[order] ?? 0n,
      broken: false,
      entries: offsets.map(offset => ({ offset, next: order === heap.orders - 1 ? undefined : heap.image.readWord(offset) })),
    });
    for (const offset of offsets) free.push({ offset, order });
  }
  const used = heap.liveAllocations().map(a => ({ offset: a.offset, order: a.order }));
  const all = [...free.map(b => ({ ...b, state: BlockState.Free })), ...used.map(b => ({ ...b, state: BlockState.Allocated }))]
    .sort((a, b) => a.offset - b.offset);
  const blocks: BlockTable = {
    count: all.length,
    offsets: Float64Array.from(all, b => b.offset),
    orders: Uint8Array.from(all, b => b.order),
    states: Uint8Array.from(all, b => b.state),
  };
  return {
    heapBase: heap.layout.base,
    heapSize: heap.size,
    orders: heap.orders,
    minBlockSize: heap.minBlock,
    pointerWidth: heap.layout.pointerWidth,
    endianness: heap.layout.endianness,
    freeLists,
    blocks,
    stats: statsOf(heap, free, used),
    findings: [],
  };
}

function statsOf(heap: BuddyHeap, free: { order: number }[], used: { order: number }[]): HeapStats {
  const perOrder = Array.from({ length: heap.orders }, (_, order) => ({ order, blockSize: heap.orderSize(order), freeBlocks: 0, allocatedBlocks: 0 }));
  let freeBytes = 0;
  let largest = 0;
  for (const b of free) {
    perOrder[b.order]!.freeBlocks++;
    freeBytes += heap.orderSize(b.order);
    largest = Math.max(largest, heap.orderSize(b.order));
  }
  for (const b of used) perOrder[b.order]!.allocatedBlocks++;
  return {
    heapSize: heap.size,
    freeBytes,
    allocatedBytes: heap.size - freeBytes,
    unknownBytes: 0,
    largestFreeBlock: largest,
    fragmentation: freeBytes === 0 ? 0 : 1 - largest / freeBytes,
    largestAllocatable: largest,
    perOrder,
  };
}
