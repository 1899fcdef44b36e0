// The view of a simulated heap. The simulation's bytes are what a device would hold, so its view
// comes from the same decoder a live heap goes through: decodeHeap(snapshotOfModel(heap)).
import { decodeHeap } from '../../core/decoder/decode';
import type { DecodedHeapView, HeapSnapshot } from '../../core/decoder/types';
import type { BuddyHeap } from '../../core/model/buddyHeap';

/** The snapshot a debugger would read from this heap: the struct's fields and the heap bytes. */
export function snapshotOfModel(heap: BuddyHeap): HeapSnapshot {
  return { fields: heap.structFields(), pointerWidth: heap.layout.pointerWidth, endianness: heap.layout.endianness, memory: heap.image };
}

export function viewOfModel(heap: BuddyHeap): DecodedHeapView {
  return decodeHeap(snapshotOfModel(heap));
}
