// Invariants of the model over random operation sequences (fast-check): blocks never overlap,
// free + allocated bytes = heap size, every free list decodes cleanly from the bytes, and
// freeing everything returns a single top-order block.
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { type Allocation, BuddyHeap } from '../../../core/model/buddyHeap';
import { decodeHeap } from '../../../core/decoder/decode';
import type { HeapLayout } from '../../../core/layout';
import { validLayoutArb } from '../../support/layoutArbitrary';

type Op = { kind: 'alloc'; size: number; alignLog2: number; owner: string } | { kind: 'free'; pick: number };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('alloc' as const),
      size: fc.oneof(
        { weight: 4, arbitrary: fc.integer({ min: 0, max: 64 }) },
        { weight: 1, arbitrary: fc.integer({ min: 0, max: 1 << 17 }) },
      ),
      alignLog2: fc.integer({ min: 0, max: 13 }),
      owner: fc.constantFrom('net/rx', 'task:logger', 'fs'),
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('free' as const), pick: fc.nat() }) },
);

const layoutArb = validLayoutArb(14, 8);

function run(layout: HeapLayout, ops: readonly Op[]): BuddyHeap {
  const created = BuddyHeap.create(layout);
  assert.ok(created.ok, `layout must be valid: ${!created.ok && created.error}`);
  const heap = created.heap;
  for (const op of ops) {
    if (op.kind === 'alloc') heap.allocate(op.size, 1 << op.alignLog2, op.owner);
    else {
      const live = heap.liveAllocations();
      const victim = live[op.pick % Math.max(1, live.length)];
      if (victim) assert.ok(heap.deallocate(victim.offset, victim.size, victim.align).ok);
    }
  }
  return heap;
}

function checkInvariants(heap: BuddyHeap): void {
  // Free blocks and allocations tile part of the heap without overlapping.
  const spans: [number, number, string][] = [];
  heap.freeLists().forEach((list, order) => list.forEach(offset => spans.push([offset, offset + heap.orderSize(order), `free@${offset}`])));
  for (const a of heap.liveAllocations()) spans.push([a.offset, a.offset + heap.orderSize(a.order), `alloc@${a.offset}`]);
  spans.sort((x, y) => x[0] - y[0]);
  for (let i = 1; i < spans.length; i++) assert.ok(spans[i - 1]![1] <= spans[i]![0], `${spans[i - 1]![2]} overlaps ${spans[i]![2]}`);
  const allocated = heap.liveAllocations().reduce((n, a) => n + heap.orderSize(a.order), 0);
  assert.equal(heap.freeBytes() + allocated, heap.size, 'free + allocated bytes = heap size');

  // The bytes alone (struct fields + image) decode to exactly the model's lists, with no findings.
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
    view.freeLists.map(list => list.entries.map(e => e.offset)),
    heap.freeLists(),
  );
  assert.equal(view.stats.freeBytes, heap.freeBytes());
}

describe('model properties (fast-check)', function () {
  this.timeout(120_000);

  it('never overlaps, conserves bytes and decodes cleanly after every operation sequence', () => {
    let busy = 0;
    fc.assert(
      fc.property(layoutArb, fc.array(opArb, { maxLength: 200, size: 'large' }), (layout, ops) => {
        const heap = run(layout, ops);
        if (heap.liveAllocations().length >= 5) busy++;
        checkInvariants(heap);
      }),
      { seed: 0x5eed, numRuns: 300 },
    );
    assert.ok(busy > 100, `the generator must build busy heaps, only ${busy} of 300 runs held 5+ allocations`);
  });

  it('returns to a single top-order block when everything is freed, in any order', () => {
    fc.assert(
      fc.property(layoutArb, fc.array(opArb, { maxLength: 200, size: 'large' }), fc.nat(), (layout, ops, shuffleSeed) => {
        const heap = run(layout, ops);
        const live = heap.liveAllocations();
        // A deterministic shuffle from the seed: free order matters for list order, not for the end state.
        for (let i = live.length - 1; i > 0; i--) {
          const j = (shuffleSeed + i * 7919) % (i + 1);
          [live[i], live[j]] = [live[j]!, live[i]!];
        }
        for (const a of live) assert.ok(heap.deallocate(a.offset, a.size, a.align).ok);
        const expected = heap.freeLists().map((_, order) => (order === heap.orders - 1 ? [0] : []));
        assert.deepEqual(heap.freeLists(), expected);
      }),
      { seed: 0xf2ee, numRuns: 300 },
    );
  });

  it('without its heap bytes (keepImage: false, as replay --json runs it) gives the same results, lists and errors', () => {
    fc.assert(
      fc.property(layoutArb, fc.array(opArb, { maxLength: 200, size: 'large' }), (layout, ops) => {
        const full = BuddyHeap.create(layout);
        const bare = BuddyHeap.create(layout, { keepImage: false });
        assert.ok(full.ok && bare.ok);
        for (const op of ops) {
          if (op.kind === 'alloc') {
            assert.deepEqual(bare.heap.allocate(op.size, 1 << op.alignLog2), full.heap.allocate(op.size, 1 << op.alignLog2));
          } else {
            const live: Allocation[] = full.heap.liveAllocations();
            const victim = live[op.pick % Math.max(1, live.length)];
            const free = (offset: number, size: bigint, align: bigint) =>
              assert.deepEqual(bare.heap.deallocate(offset, size, align), full.heap.deallocate(offset, size, align));
            // A live block, the same block again (a double free), and a stray offset.
            if (victim) free(victim.offset, victim.size, victim.align);
            if (victim) free(victim.offset, victim.size, victim.align);
            free(op.pick % full.heap.size, 8n, 8n);
          }
          assert.deepEqual(bare.heap.freeLists(), full.heap.freeLists());
        }
        assert.deepEqual(bare.heap.clone().freeLists(), full.heap.freeLists());
        assert.throws(() => bare.heap.image, /without its heap bytes/);
      }),
      { seed: 0x1b7e, numRuns: 200 },
    );
  });

  it('rejects what the seed leaves undefined and leaves the heap untouched', () => {
    fc.assert(
      fc.property(layoutArb, fc.array(opArb, { minLength: 1, maxLength: 60 }), (layout, ops) => {
        const heap = run(layout, ops);
        const before = { lists: heap.freeLists(), bytes: heap.image.read(0, Math.min(heap.size, 1 << 16)) };
        const live = heap.liveAllocations();
        const first = live[0];
        const bad: [number, bigint, bigint, string][] = [
          [-16, 8n, 8n, 'OutOfHeap'],
          [heap.size, 8n, 8n, 'OutOfHeap'],
        ];
        if (first) {
          bad.push([first.offset, (first.size + 1n) << 20n, first.align, 'LayoutMismatch']);
          if (heap.minBlock > 1 && first.offset + 1 < heap.size) bad.push([first.offset + 1, first.size, first.align, 'NotAllocated']);
          const copy = heap.clone();
          assert.ok(copy.deallocate(first.offset, first.size, first.align).ok);
          assert.equal(copy.deallocate(first.offset, first.size, first.align).ok ? 'ok' : 'DoubleFree', 'DoubleFree');
        }
        for (const [offset, size, align, error] of bad) {
          const result = heap.deallocate(offset, size, align);
          assert.ok(!result.ok);
          if (error !== 'LayoutMismatch') assert.equal(result.error, error);
          else assert.ok(['LayoutMismatch', 'InvalidLayout'].includes(result.error));
        }
        assert.deepEqual(heap.freeLists(), before.lists);
        assert.deepEqual(heap.image.read(0, Math.min(heap.size, 1 << 16)), before.bytes);
      }),
      { seed: 0xbad, numRuns: 200 },
    );
  });
});
