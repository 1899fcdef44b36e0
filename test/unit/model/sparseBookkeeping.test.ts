// The map bookkeeping (heaps of more than DENSE_LEAF_LIMIT leaves) must behave exactly as the
// typed arrays: the same results, messages, list order, bytes and allocations after every
// operation. Forcing it on small heaps lets random traces compare the two forms step by step.
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import type { HeapLayout } from '../../../core/layout';
import { validLayoutArb } from '../../support/layoutArbitrary';
import { BuddyHeap } from '../../../core/model/buddyHeap';

type Op =
  | { kind: 'alloc'; size: number; alignLog2: number; owner: string | undefined }
  | { kind: 'free'; pick: number; sizeDelta: number; alignDelta: number }
  | { kind: 'stray'; offset: number };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('alloc' as const),
      size: fc.oneof(fc.integer({ min: 0, max: 64 }), fc.integer({ min: 0, max: 1 << 16 })),
      alignLog2: fc.integer({ min: 0, max: 13 }),
      owner: fc.constantFrom(undefined, 'net/rx', 'fs'),
    }),
  },
  // Mostly the allocation's own layout; sometimes another size or alignment (refused).
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('free' as const),
      pick: fc.nat(),
      sizeDelta: fc.oneof({ weight: 5, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.integer({ min: -8, max: 8 }) }),
      alignDelta: fc.oneof({ weight: 5, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.integer({ min: -2, max: 2 }) }),
    }),
  },
  // Anywhere, in or out of the heap: double frees, interiors, free memory.
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('stray' as const), offset: fc.integer({ min: -64, max: 1 << 14 }) }) },
);

const layoutArb = validLayoutArb(12, 4);

function both(layout: HeapLayout): [BuddyHeap, BuddyHeap] {
  const dense = BuddyHeap.create(layout);
  const sparse = BuddyHeap.create(layout, { denseLeafLimit: 0 });
  assert.ok(dense.ok && sparse.ok);
  return [dense.heap, sparse.heap];
}

function apply(heap: BuddyHeap, op: Op): unknown {
  switch (op.kind) {
    case 'alloc':
      return heap.allocate(op.size, 2 ** op.alignLog2, op.owner);
    case 'free': {
      const live = heap.liveAllocations();
      const victim = live[op.pick % Math.max(1, live.length)];
      if (!victim) return 'nothing live';
      const align = op.alignDelta === 0 ? victim.align : BigInt(2 ** Math.max(0, Math.log2(Number(victim.align)) + op.alignDelta));
      return heap.deallocate(victim.offset, victim.size + BigInt(op.sizeDelta) < 0n ? 0n : victim.size + BigInt(op.sizeDelta), align);
    }
    case 'stray':
      return heap.deallocateAt(heap.layout.base + BigInt(op.offset), 8, 8);
  }
}

function sameState(dense: BuddyHeap, sparse: BuddyHeap): void {
  assert.deepEqual(sparse.freeLists(), dense.freeLists());
  assert.deepEqual(sparse.structFields(), dense.structFields());
  assert.deepEqual(sparse.liveAllocations(), dense.liveAllocations());
  assert.equal(sparse.freeBytes(), dense.freeBytes());
  assert.deepEqual(sparse.image.read(0, sparse.size), dense.image.read(0, dense.size), 'the same bytes');
}

describe('map bookkeeping matches the typed arrays', function () {
  this.timeout(120_000);

  it('gives the same results, lists, bytes and allocations on random traces with refused frees', () => {
    fc.assert(
      fc.property(layoutArb, fc.array(opArb, { maxLength: 150, size: 'large' }), (layout, ops) => {
        const [dense, sparse] = both(layout);
        for (const op of ops) assert.deepEqual(apply(sparse, op), apply(dense, op), JSON.stringify(op));
        sameState(dense, sparse);
        // Clones are deep: changing one leaves the other as it was.
        const copy = sparse.clone();
        const copyOfDense = dense.clone();
        for (const op of ops.slice(0, 20)) assert.deepEqual(apply(copy, op), apply(copyOfDense, op));
        sameState(copyOfDense, copy);
        // Freeing everything gives back the single top-order block in both.
        for (const heap of [dense, sparse]) {
          for (const a of heap.liveAllocations()) assert.ok(heap.deallocate(a.offset, a.size, a.align).ok);
          assert.deepEqual(
            heap.freeLists(),
            heap.freeLists().map((_, k) => (k === heap.orders - 1 ? [0] : [])),
          );
        }
        sameState(dense, sparse);
      }),
      { seed: 0x5a25e, numRuns: 300 },
    );
  });
});
