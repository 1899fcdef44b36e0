// Invariants any model state must satisfy, for tests that drive heaps of any size: blocks never
// overlap, free + allocated bytes = heap size, and every free list reads back from the bytes
// exactly (each block's first word is the next block's address, the last one's is null).
import * as assert from 'node:assert/strict';
import { decodeHeap } from '../../core/decoder/decode';
import { MAX_DECODABLE_HEAP_SIZE } from '../../core/decoder/heapGeometry';
import type { BuddyHeap } from '../../core/model/buddyHeap';

export function checkHeapInvariants(heap: BuddyHeap): void {
  const spans: [bigint, bigint, string][] = [];
  heap
    .freeLists()
    .forEach((list, order) =>
      list.forEach(offset => spans.push([BigInt(offset), BigInt(offset) + BigInt(heap.orderSize(order)), `free@${offset}`])),
    );
  const live = heap.liveAllocations();
  for (const a of live) spans.push([BigInt(a.offset), BigInt(a.offset) + BigInt(heap.orderSize(a.order)), `alloc@${a.offset}`]);
  spans.sort((x, y) => (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0));
  for (let i = 1; i < spans.length; i++) assert.ok(spans[i - 1]![1] <= spans[i]![0], `${spans[i - 1]![2]} overlaps ${spans[i]![2]}`);
  // In bigint: sums of block sizes above 2^53 would round as numbers.
  const total = spans.reduce((n, [start, end]) => n + (end - start), 0n);
  assert.equal(total, heap.layout.size, 'free + allocated bytes = heap size');
  assert.equal(heap.allocationCount, live.length);

  heap.freeLists().forEach((list, order) => {
    if (order === heap.orders - 1) return; // the top block's word is never written or read
    list.forEach((offset, i) => {
      const next = list[i + 1];
      assert.equal(
        heap.image.readWord(offset),
        next === undefined ? 0n : heap.address(next),
        `next word of order-${order} block ${offset}`,
      );
    });
  });

  if (heap.layout.size <= MAX_DECODABLE_HEAP_SIZE) {
    // The decoder reads the same lists from the struct and the bytes alone, with no findings.
    const view = decodeHeap({
      fields: heap.structFields(),
      pointerWidth: heap.layout.pointerWidth,
      endianness: heap.layout.endianness,
      memory: heap.image,
    });
    assert.deepEqual(
      view.findings.map(f => f.message),
      [],
    );
    assert.deepEqual(
      view.freeLists.map(l => l.entries.map(e => e.offset)),
      heap.freeLists(),
    );
  }
}
