// Heaps for decoder, tree and diff tests: the model driven by explicit or random operations, and
// the snapshot a debugger would read from it.
import * as assert from 'node:assert/strict';
import * as fc from 'fast-check';
import type { HeapSnapshot, HeapStructFields } from '../../../core/decoder/types';
import type { Endianness, HeapLayout, PointerWidth } from '../../../core/layout';
import { BuddyHeap } from '../../../core/model/buddyHeap';

export const BASE = 0x2000_0000n;

export function layoutOf(
  size: number,
  orders: number,
  pointerWidth: PointerWidth = 8,
  endianness: Endianness = 'little',
  base = BASE,
): HeapLayout {
  return { base, size: BigInt(size), orders, pointerWidth, endianness };
}

export function newHeap(layout: HeapLayout): BuddyHeap {
  const created = BuddyHeap.create(layout);
  assert.ok(created.ok, `layout rejected: ${!created.ok && created.error}`);
  return created.heap;
}

/** Allocates `size` bytes aligned to `size` and returns the offset. */
export function alloc(heap: BuddyHeap, size: number): number {
  const result = heap.allocate(size, Math.min(size, 4096));
  assert.ok(result.ok, `allocate ${size} failed: ${!result.ok && result.error}`);
  return result.offset;
}

export function free(heap: BuddyHeap, offset: number): void {
  const allocation = heap.allocationAt(offset);
  assert.ok(allocation, `nothing allocated at ${offset}`);
  const result = heap.deallocate(offset, allocation.size, allocation.align);
  assert.ok(result.ok, `free ${offset} failed: ${!result.ok && result.message}`);
}

export function snapshotOf(heap: BuddyHeap, fields: Partial<HeapStructFields> = {}): HeapSnapshot {
  return {
    fields: { ...heap.structFields(), ...fields },
    pointerWidth: heap.layout.pointerWidth,
    endianness: heap.layout.endianness,
    memory: heap.image,
  };
}

/** The target address of a heap offset. */
export function addressOf(heap: BuddyHeap, offset: number): bigint {
  return heap.layout.base + BigInt(offset);
}

/** One step of a random workload: allocate a size, or free the live allocation at an index (mod count). */
export type Operation = { readonly op: 'alloc'; readonly size: number } | { readonly op: 'free'; readonly pick: number };

export function operationArbitrary(maxSize: number): fc.Arbitrary<Operation> {
  return fc.oneof(
    fc.record({ op: fc.constant('alloc' as const), size: fc.integer({ min: 1, max: maxSize }) }),
    fc.record({ op: fc.constant('free' as const), pick: fc.nat() }),
  );
}

/** Runs the operations; failed allocations (heap exhausted) are part of the workload. */
export function applyOperations(heap: BuddyHeap, operations: readonly Operation[]): void {
  for (const step of operations) {
    if (step.op === 'alloc') {
      heap.allocate(step.size, 1);
      continue;
    }
    const live = heap.liveAllocations();
    if (live.length === 0) continue;
    const victim = live[step.pick % live.length]!;
    const result = heap.deallocate(victim.offset, victim.size, victim.align);
    assert.ok(result.ok, `free of a live allocation failed: ${!result.ok && result.message}`);
  }
}

/** Small layouts of every pointer width and byte order the decoder must read. */
export const layoutArbitrary: fc.Arbitrary<HeapLayout> = fc
  .record({
    pointerWidth: fc.constantFrom<PointerWidth>(4, 8),
    endianness: fc.constantFrom<Endianness>('little', 'big'),
    minBlockLog2: fc.integer({ min: 3, max: 6 }),
    orders: fc.integer({ min: 1, max: 9 }),
    baseHigh: fc.boolean(),
  })
  .map(({ pointerWidth, endianness, minBlockLog2, orders, baseHigh }) => {
    const minBlock = Math.max(2 ** minBlockLog2, pointerWidth);
    const base = pointerWidth === 8 && baseHigh ? 0xffff_8000_0010_0000n : BASE;
    return layoutOf(minBlock * 2 ** (orders - 1), orders, pointerWidth, endianness, base);
  });
