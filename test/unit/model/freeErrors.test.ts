// Frees the seed would treat as undefined behaviour: each is refused with the right name, a message
// naming the address as given and what lies there, and the heap (lists and bytes) untouched.
import * as assert from 'node:assert/strict';
import type { HeapLayout } from '../../../core/layout';
import { BuddyHeap, type DeallocateResult } from '../../../core/model/buddyHeap';

const LAYOUT: HeapLayout = { base: 0x2000_0000n, size: 256n, orders: 5, pointerWidth: 4, endianness: 'little' };

function heapOf(layout: HeapLayout = LAYOUT, denseLeafLimit?: number): BuddyHeap {
  const created = BuddyHeap.create(layout, denseLeafLimit === undefined ? {} : { denseLeafLimit });
  assert.ok(created.ok);
  return created.heap;
}

function allocate(heap: BuddyHeap, size: number | bigint, align: number | bigint): bigint {
  const result = heap.allocate(size, align);
  assert.ok(result.ok, `allocate ${size} ${align}: ${!result.ok && result.error}`);
  return heap.address(result.offset);
}

/** Frees and checks the refusal left lists and bytes exactly as they were. */
function refused(
  heap: BuddyHeap,
  address: bigint,
  size: number | bigint,
  align: number | bigint,
): Extract<DeallocateResult, { ok: false }> {
  const lists = heap.freeLists();
  const bytes = heap.image.read(0, Math.min(heap.size, 1 << 16));
  const live = heap.liveAllocations();
  const result = heap.deallocateAt(address, size, align);
  assert.ok(!result.ok, `free ${address.toString(16)} ${size} ${align} must be refused`);
  assert.deepEqual(heap.freeLists(), lists, 'lists untouched');
  assert.deepEqual(heap.image.read(0, Math.min(heap.size, 1 << 16)), bytes, 'bytes untouched');
  assert.deepEqual(heap.liveAllocations(), live, 'allocations untouched');
  return result;
}

describe('refused frees', () => {
  for (const denseLeafLimit of [undefined, 0]) {
    const form = denseLeafLimit === 0 ? ' (map bookkeeping)' : '';

    it(`the same size with another alignment is a layout mismatch${form}`, () => {
      const heap = heapOf(LAYOUT, denseLeafLimit);
      const a = allocate(heap, 16, 16);
      // Same block size (16) either way: the crate would even free the right block, but the
      // layout differs from the allocation's, which deallocate's contract forbids.
      const sameBlock = refused(heap, a, 16, 8);
      assert.equal(sameBlock.error, 'LayoutMismatch');
      assert.equal(
        sameBlock.message,
        '0x20000000 was allocated with size 16 align 16, not size 16 align 8; deallocate needs the same layout',
      );
      // A larger alignment rounds to a larger block: the crate would merge at the wrong order.
      assert.equal(refused(heap, a, 16, 64).error, 'LayoutMismatch');
      // An alignment no allocation can have.
      assert.equal(refused(heap, a, 16, 3).error, 'InvalidLayout');
      assert.ok(heap.deallocateAt(a, 16, 16).ok, "the allocation's own layout frees it");
    });

    it(`an address inside a live larger allocation names that allocation, not a stale free${form}`, () => {
      // The audit's repro: 16@0x20000010 was freed, then 32@0x20000000 was allocated over it.
      const heap = heapOf(LAYOUT, denseLeafLimit);
      const a = allocate(heap, 16, 16);
      const b = allocate(heap, 16, 16);
      assert.ok(heap.deallocateAt(a, 16, 16).ok);
      assert.ok(heap.deallocateAt(b, 16, 16).ok);
      assert.equal(allocate(heap, 32, 32), 0x2000_0000n);
      const inside = refused(heap, 0x2000_0010n, 16, 16);
      assert.equal(inside.error, 'NotAllocated');
      assert.equal(
        inside.message,
        '0x20000010 is not the start of an allocated block: it lies inside the 32 B block allocated at 0x20000000 (size 32 align 32); free 0x20000000 instead',
      );
      // Any byte inside, aligned or not.
      assert.match(refused(heap, 0x2000_0005n, 8, 8).message, /inside the 32 B block allocated at 0x20000000/);
    });

    it(`a second free of the same block is a double free${form}`, () => {
      const heap = heapOf(LAYOUT, denseLeafLimit);
      const a = allocate(heap, 8, 8);
      allocate(heap, 8, 8); // keeps a from merging away
      assert.ok(heap.deallocateAt(a, 8, 8).ok);
      const again = refused(heap, a, 8, 8);
      assert.equal(again.error, 'DoubleFree');
      assert.equal(again.message, '0x20000000 was already freed; freeing it again would put it on a free list twice');
    });

    it(`an address in free memory says which free block holds it${form}`, () => {
      const heap = heapOf(LAYOUT, denseLeafLimit);
      allocate(heap, 8, 8);
      const free = refused(heap, 0x2000_0048n, 8, 8);
      assert.equal(free.error, 'NotAllocated');
      assert.equal(free.message, '0x20000048 is not the start of an allocated block: it lies in the free 64 B block at 0x20000040');
    });

    it(`addresses outside the heap are named exactly as given${form}`, () => {
      const heap = heapOf(LAYOUT, denseLeafLimit);
      for (const address of [0x10n, 0x1fff_ffffn, 0x2000_0100n, 0xffff_ffff_ffffn, 1n << 64n, (1n << 80n) + 5n]) {
        const outside = refused(heap, address, 8, 8);
        assert.equal(outside.error, 'OutOfHeap');
        assert.equal(outside.message, `0x${address.toString(16)} is outside the heap 0x20000000..0x20000100`);
      }
    });
  }

  it('an address a double cannot hold exactly is not rounded onto a block start (2^63-byte heap)', () => {
    const layout: HeapLayout = { base: 1n << 63n, size: 1n << 63n, orders: 32, pointerWidth: 8, endianness: 'little' };
    const heap = heapOf(layout);
    const blocks = [allocate(heap, 8, 8), allocate(heap, 8, 8)];
    // 2^63 + 2^32 + 1 rounds to 2^63 + 2^32 (the second block) as a double.
    const near = blocks[1]! + 1n;
    const result = refused(heap, near, 8, 8);
    assert.equal(result.error, 'NotAllocated');
    assert.match(
      result.message,
      /^0x8000000100000001 is not the start of an allocated block: it lies inside the 4 GiB block allocated at 0x8000000100000000/,
    );
    assert.ok(heap.deallocateAt(blocks[1]!, 8, 8).ok);
  });
});
