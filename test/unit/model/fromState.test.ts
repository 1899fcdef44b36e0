// BuddyHeap.fromState (a model over a snapshot's list heads and bytes) and the top-order quirk:
// free_list_pop empties the top list without reading the block's `next`, so whatever the first
// word of a whole-heap free block holds (the crate never initialises it) changes nothing.
import * as assert from 'node:assert/strict';
import type { HeapLayout } from '../../../core/layout';
import { BuddyHeap } from '../../../core/model/buddyHeap';
import { Random } from '../../support/random';

const LAYOUT: HeapLayout = { base: 0x2000_0000n, size: 0x1000n, orders: 8, pointerWidth: 4, endianness: 'little' };
const KERNEL: HeapLayout = { base: 0xffff_8000_0000_0000n, size: 1n << 16n, orders: 10, pointerWidth: 8, endianness: 'big' };

function fresh(layout: HeapLayout, denseLeafLimit?: number): BuddyHeap {
  const created = BuddyHeap.create(layout, denseLeafLimit === undefined ? {} : { denseLeafLimit });
  assert.ok(created.ok);
  return created.heap;
}

/** Allocation results of a fixed mix of requests, then the lists: what must not depend on garbage. */
function allocationsOf(heap: BuddyHeap): unknown[] {
  const results: unknown[] = [];
  for (const [size, align] of [
    [heap.size, 1],
    [16, 16],
    [100, 8],
    [1, 1],
    [heap.size / 4, 4096],
    [24, 8],
    [heap.size, 1],
  ] as const) {
    const result = heap.allocate(size, align);
    results.push(result.ok ? result.offset : result.error);
  }
  return [results, heap.freeLists()];
}

describe('model over existing state (fromState) and the top-order quirk', () => {
  for (const [name, layout] of [
    ['32-bit little endian', LAYOUT],
    ['64-bit big endian kernel heap', KERNEL],
  ] as const) {
    for (const denseLeafLimit of [undefined, 0]) {
      const form = denseLeafLimit === 0 ? 'map bookkeeping' : 'typed arrays';
      it(`${name}, ${form}: garbage in the top block's next word changes no allocation`, () => {
        const expected = allocationsOf(fresh(layout, denseLeafLimit));
        const garbage = [1n, 0xdead_beefn, layout.base + layout.size / 2n, layout.base + 16n, layout.base];
        for (const word of garbage) {
          // On the model's own image: the crate never reads that word.
          const heap = fresh(layout, denseLeafLimit);
          heap.image.writeWord(0, word);
          assert.deepEqual(allocationsOf(heap), expected, `model image holding ${word.toString(16)}`);
          // On a snapshot whose top list holds the whole heap: fromState must not follow the word either.
          const image = fresh(layout).image.clone();
          image.writeWord(0, word);
          const top = Array.from({ length: layout.orders }, (_, k) => (k === layout.orders - 1 ? layout.base : 0n));
          const restored = BuddyHeap.fromState(layout, top, image, denseLeafLimit === undefined ? {} : { denseLeafLimit });
          assert.deepEqual(restored.freeLists(), fresh(layout).freeLists());
          assert.deepEqual(allocationsOf(restored), expected, `snapshot image holding ${word.toString(16)}`);
        }
      });

      it(`${name}, ${form}: allocating the whole heap leaves every list empty whatever next points at`, () => {
        const heap = fresh(layout, denseLeafLimit);
        // A plausible pointer: the upper half. Reading it would make a phantom free block.
        heap.image.writeWord(0, layout.base + layout.size / 2n);
        const whole = heap.allocate(heap.size, 1);
        assert.ok(whole.ok);
        assert.deepEqual(
          heap.freeLists(),
          heap.freeLists().map(() => []),
        );
        assert.deepEqual(heap.allocate(1, 1), { ok: false, error: 'HeapExhausted' });
        assert.equal(heap.freeBytes(), 0);
      });

      it(`${name}, ${form}: a busy heap's struct and bytes rebuild the same lists and the same future`, () => {
        const random = new Random(layout.orders * 31 + (denseLeafLimit ?? 1));
        const original = fresh(layout, denseLeafLimit);
        const live: { offset: number; size: number; align: number }[] = [];
        for (let i = 0; i < 300; i++) {
          if (live.length > 0 && random.chance(0.4)) {
            const [a] = live.splice(random.int(0, live.length - 1), 1);
            assert.ok(original.deallocate(a!.offset, a!.size, a!.align).ok);
          } else {
            const size = random.int(0, 300);
            const align = 2 ** random.int(0, 6);
            const result = original.allocate(size, align);
            if (result.ok) live.push({ offset: result.offset, size, align });
          }
        }
        const fields = original.structFields();
        const restored = BuddyHeap.fromState(
          layout,
          fields.freeLists,
          original.image,
          denseLeafLimit === undefined ? {} : { denseLeafLimit },
        );
        assert.deepEqual(restored.freeLists(), original.freeLists());
        assert.deepEqual(restored.structFields(), fields);
        assert.equal(restored.freeBytes(), original.freeBytes());
        // The same requests get the same blocks and leave the same bytes.
        for (let i = 0; i < 40; i++) {
          const size = random.int(0, 200);
          assert.deepEqual(restored.allocate(size, 8), original.allocate(size, 8));
        }
        assert.deepEqual(restored.freeLists(), original.freeLists());
        assert.deepEqual(restored.image.read(0, restored.size), original.image.read(0, original.size));
        // Allocations made before the snapshot are not known to it: freeing one is refused.
        const before = live[0];
        if (before) assert.equal(restored.deallocateAt(layout.base + BigInt(before.offset), before.size, before.align).ok, false);
      });
    }
  }

  it('rejects lists it cannot model, naming the list and the address', () => {
    const heap = fresh(LAYOUT);
    const lists = (order: number, address: bigint) => Array.from({ length: LAYOUT.orders }, (_, k) => (k === order ? address : 0n));
    assert.throws(() => BuddyHeap.fromState(LAYOUT, lists(0, 0x1000n), heap.image), /free list 0: 0x1000 lies outside the heap/);
    assert.throws(
      () => BuddyHeap.fromState(LAYOUT, lists(2, LAYOUT.base + 16n), heap.image),
      /free list 2: 0x20000010 is not aligned to its order/,
    );
    const looped = heap.image.clone();
    looped.writeWord(0, LAYOUT.base); // a block whose next is itself
    assert.throws(() => BuddyHeap.fromState(LAYOUT, lists(0, LAYOUT.base), looped), /free list 0: 0x20000000 is listed twice/);
    assert.throws(() => BuddyHeap.fromState({ ...LAYOUT, size: 0x1001n }, lists(0, 0n), heap.image), /layout rejected: BadSizeAlignment/);
  });
});
