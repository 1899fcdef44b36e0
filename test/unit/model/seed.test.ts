// Every assertion of the seed's own tests (buddyalloc heap.rs `mod test`), against the model.
import * as assert from 'node:assert/strict';
import { allocationOrder, allocationSize } from '../../../core/model/allocationSize';
import { BuddyHeap } from '../../../core/model/buddyHeap';
import type { HeapLayout } from '../../../core/layout';

const BASE = 0x2000_0000n;
const layout: HeapLayout = { base: BASE, size: 256n, orders: 5, pointerWidth: 8, endianness: 'little' };

function newHeap(): BuddyHeap {
  const created = BuddyHeap.create(layout);
  assert.ok(created.ok, 'the seed accepts Heap<5> of 256 bytes');
  return created.heap;
}

function alloc(heap: BuddyHeap, size: number, align: number): number {
  const result = heap.allocate(size, align);
  assert.ok(result.ok, `alloc ${size} ${align} failed: ${!result.ok && result.error}`);
  return result.offset;
}

describe('seed tests (buddyalloc heap.rs)', () => {
  it('test_allocation_size_and_order', () => {
    const size = (s: number, a: number) => allocationSize(BigInt(s), BigInt(a), 256n, 16n);
    const order = (s: number, a: number) => allocationOrder(BigInt(s), BigInt(a), 256n, 4);
    // Can't align beyond MIN_HEAP_ALIGN.
    assert.deepEqual(size(256, 8192), { ok: false, error: 'BadAlignment' });
    // Can't align beyond heap_size.
    assert.deepEqual(size(256, 256 * 2), { ok: false, error: 'TooLarge' });
    // Simple allocations just round up to next block size.
    assert.deepEqual(size(0, 1), { ok: true, size: 16n });
    assert.deepEqual(size(1, 1), { ok: true, size: 16n });
    assert.deepEqual(size(16, 1), { ok: true, size: 16n });
    assert.deepEqual(size(17, 1), { ok: true, size: 32n });
    assert.deepEqual(size(32, 32), { ok: true, size: 32n });
    assert.deepEqual(size(256, 256), { ok: true, size: 256n });
    // Aligned allocations use alignment as block size.
    assert.deepEqual(size(16, 64), { ok: true, size: 64n });
    // Block orders.
    assert.deepEqual(order(0, 1), { ok: true, order: 0 });
    assert.deepEqual(order(1, 1), { ok: true, order: 0 });
    assert.deepEqual(order(16, 16), { ok: true, order: 0 });
    assert.deepEqual(order(32, 32), { ok: true, order: 1 });
    assert.deepEqual(order(64, 64), { ok: true, order: 2 });
    assert.deepEqual(order(128, 128), { ok: true, order: 3 });
    assert.deepEqual(order(256, 256), { ok: true, order: 4 });
    assert.deepEqual(order(512, 512), { ok: false, error: 'TooLarge' });
  });

  it('test_buddy', () => {
    // The seed's assertions one for one, on the offsets of Heap<5> of 256 bytes (mem = offset 0).
    const heap = newHeap();
    const block_16_0 = 0;
    const block_16_1 = 16;
    assert.equal(heap.buddyOffset(0, block_16_0), block_16_1);
    assert.equal(heap.buddyOffset(0, block_16_1), block_16_0);

    const block_32_0 = 0;
    const block_32_1 = 32;
    assert.equal(heap.buddyOffset(1, block_32_0), block_32_1);
    assert.equal(heap.buddyOffset(1, block_32_1), block_32_0);

    const block_32_2 = 64;
    const block_32_3 = 96;
    assert.equal(heap.buddyOffset(1, block_32_2), block_32_3);
    assert.equal(heap.buddyOffset(1, block_32_3), block_32_2);

    const block_256_0 = 0;
    assert.equal(heap.buddyOffset(4, block_256_0), undefined);
  });

  it('test_buddy, as deallocate uses it: a freed block merges exactly with its xor buddy', () => {
    // 16@0 ↔ 16@16, 32@0 ↔ 32@32, 32@64 ↔ 32@96, and the 256 block has no buddy (it goes on the top list).
    const heap = newHeap();
    const a = alloc(heap, 16, 16); // 0
    const b = alloc(heap, 16, 16); // 16
    assert.deepEqual([a, b], [0, 16]);
    const freed = heap.deallocate(a, 16, 16);
    assert.ok(freed.ok);
    assert.equal(freed.mergedOrder, 0, 'the buddy at 16 is allocated: no merge');
    const whole = heap.deallocate(b, 16, 16);
    assert.ok(whole.ok);
    assert.deepEqual([whole.mergedOffset, whole.mergedOrder], [0, 4], 'everything merges back to the 256 block');
    const c = alloc(heap, 32, 32); // 0, splitting leaves 32@32, 64@64, 128@128
    assert.equal(c, 0);
    assert.deepEqual(heap.freeLists(), [[], [32], [64], [128], []]);
    const d = alloc(heap, 32, 32); // takes 32@32
    const e = alloc(heap, 32, 32); // splits 64@64 → 32@64 allocated, 32@96 free
    assert.deepEqual([d, e], [32, 64]);
    const freedE = heap.deallocate(e, 32, 32);
    assert.ok(freedE.ok);
    assert.deepEqual([freedE.mergedOffset, freedE.mergedOrder], [64, 2], '32@64 merges with its buddy 32@96');
  });

  it('test_alloc_and_dealloc', () => {
    const heap = newHeap();
    const block_16_0 = alloc(heap, 8, 8);
    assert.equal(block_16_0, 0);

    assert.deepEqual(heap.allocate(256, 4096), { ok: false, error: 'InvalidSize(TooLarge)' });
    assert.deepEqual(heap.allocate(256, 256), { ok: false, error: 'HeapExhausted' });

    const block_16_1 = alloc(heap, 8, 8);
    assert.equal(block_16_1, 16);
    const block_16_2 = alloc(heap, 8, 8);
    assert.equal(block_16_2, 32);
    const block_32_2 = alloc(heap, 32, 32);
    assert.equal(block_32_2, 64);
    const block_16_3 = alloc(heap, 8, 8);
    assert.equal(block_16_3, 48);
    const block_128_1 = alloc(heap, 128, 128);
    assert.equal(block_128_1, 128);

    assert.deepEqual(heap.allocate(64, 64), { ok: false, error: 'HeapExhausted' });

    for (const [offset, size, align] of [
      [block_32_2, 32, 32],
      [block_16_0, 8, 8],
      [block_16_3, 8, 8],
      [block_16_1, 8, 8],
      [block_16_2, 8, 8],
    ] as const) {
      assert.ok(heap.deallocate(offset, size, align).ok);
    }

    const block_128_0 = alloc(heap, 128, 128);
    assert.equal(block_128_0, 0);

    assert.ok(heap.deallocate(block_128_1, 128, 128).ok);
    assert.ok(heap.deallocate(block_128_0, 128, 128).ok);

    // And allocate the whole heap, just to make sure everything got cleaned up correctly.
    assert.equal(alloc(heap, 256, 256), 0);
  });
});
