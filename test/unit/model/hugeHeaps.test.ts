// Every valid layout simulates: N up to 32 (2^31 minimum blocks, beyond the typed arrays) and heap
// sizes up to 2^63 (beyond an array of pages and beyond exact doubles), in bounded memory.
import * as assert from 'node:assert/strict';
import type { HeapLayout } from '../../../core/layout';
import { BuddyHeap, DENSE_LEAF_LIMIT, MAX_SIMULATED_LEAVES } from '../../../core/model/buddyHeap';
import { parseLayout } from '../../../extension/config/layoutInput';
import { checkHeapInvariants } from '../../support/heapInvariants';
import { Random } from '../../support/random';

function create(layout: HeapLayout): BuddyHeap {
  const created = BuddyHeap.create(layout);
  assert.ok(created.ok, `rejected: ${!created.ok && created.error}`);
  return created.heap;
}

const HUGE: readonly [string, HeapLayout][] = [
  ['N = 32, 2^34 bytes, 8-byte blocks', { base: 0x2000_0000n, size: 1n << 34n, orders: 32, pointerWidth: 8, endianness: 'little' }],
  [
    'N = 32 on a kernel base, big endian',
    { base: 0xffff_8000_0000_0000n, size: 1n << 40n, orders: 32, pointerWidth: 8, endianness: 'big' },
  ],
  [
    'N = 30, 2^31 bytes ending at 2^32, 4-byte pointers',
    { base: 0x8000_0000n, size: 1n << 31n, orders: 30, pointerWidth: 4, endianness: 'little' },
  ],
  ['N = 20, 2^48 bytes (2^32 pages of 64 KiB)', { base: 0x1000n, size: 1n << 48n, orders: 20, pointerWidth: 8, endianness: 'little' }],
  ['N = 24, 2^53 bytes', { base: 0x1000n, size: 1n << 53n, orders: 24, pointerWidth: 8, endianness: 'little' }],
  ['N = 28, 2^60 bytes', { base: 1n << 60n, size: 1n << 60n, orders: 28, pointerWidth: 8, endianness: 'little' }],
  [
    'N = 32, 2^63 bytes: the top half of the 64-bit address space',
    { base: 1n << 63n, size: 1n << 63n, orders: 32, pointerWidth: 8, endianness: 'little' },
  ],
];

/** Random allocations (small, huge, beyond the heap) and frees of live ones, checked as it goes. */
function churn(heap: BuddyHeap, seed: number, ops: number): void {
  const random = new Random(seed);
  const live: { offset: number; size: bigint; align: number }[] = [];
  for (let i = 0; i < ops; i++) {
    if (live.length > 0 && random.chance(0.4)) {
      const [a] = live.splice(random.int(0, live.length - 1), 1);
      const freed = heap.deallocate(a!.offset, a!.size, a!.align);
      assert.ok(freed.ok, `free ${a!.offset}: ${!freed.ok && freed.message}`);
    } else {
      const size = random.chance(0.7) ? BigInt(random.int(0, 4096)) : heap.layout.size >> BigInt(random.int(0, heap.orders + 2));
      const align = 2 ** random.int(0, 12);
      const result = heap.allocate(size + BigInt(random.int(0, 1)), align);
      if (result.ok) live.push({ offset: result.offset, size: heap.liveAllocations().find(x => x.offset === result.offset)!.size, align });
    }
    if (i % 25 === 0) checkHeapInvariants(heap);
  }
  checkHeapInvariants(heap);
  for (const a of live) assert.ok(heap.deallocate(a.offset, a.size, a.align).ok);
  assert.deepEqual(
    heap.freeLists(),
    heap.freeLists().map((_, k) => (k === heap.orders - 1 ? [0] : [])),
    'one top-order block again',
  );
}

describe('huge heaps', function () {
  this.timeout(60_000);

  for (const [name, layout] of HUGE) {
    it(`simulates ${name} exactly, in bounded memory`, () => {
      const heap = create(layout);
      assert.equal(heap.leaves, 2 ** (layout.orders - 1));
      churn(heap, layout.orders, 300);
      assert.ok(heap.image.residentBytes < 64 << 20, `${heap.image.residentBytes} bytes of pages`);
    });
  }

  it('splits a 2^34-byte N = 32 heap all the way down, with full addresses in every next word', () => {
    const heap = create(HUGE[0]![1]);
    const first = heap.allocate(1, 1);
    assert.deepEqual(first, { ok: true, offset: 0, order: 0, splitFrom: 31 });
    // One upper half per order below the top, each alone on its list.
    assert.deepEqual(
      heap.freeLists(),
      Array.from({ length: 32 }, (_, k) => (k === 31 ? [] : [8 * 2 ** k])),
    );
    const second = heap.allocate(1, 1);
    assert.ok(second.ok && second.offset === 8);
    assert.ok(heap.deallocate(0, 1, 1).ok);
    assert.deepEqual(heap.freeList(0), [0]);
    assert.equal(heap.image.readWord(0), 0n);
    const big = heap.allocate(1n << 33n, 1);
    assert.ok(big.ok && big.offset === 2 ** 33, 'the upper 8 GiB half');
    assert.equal(heap.address(big.offset), 0x2_2000_0000n);
    checkHeapInvariants(heap);
  });

  it('simulates both sides of the typed-array limit (N = 23 and 24)', () => {
    assert.equal(DENSE_LEAF_LIMIT, 1 << 22);
    for (const orders of [23, 24]) {
      const heap = create({ base: 0x1000n, size: 8n << BigInt(orders - 1), orders, pointerWidth: 8, endianness: 'little' });
      churn(heap, orders, 100);
    }
  });

  it("the panel's limit names the most orders it takes", () => {
    const largest = Math.log2(MAX_SIMULATED_LEAVES) + 1;
    assert.equal(parseLayout({ size: '1G', orders: largest }).ok, true);
    const refused = parseLayout({ size: '1G', orders: largest + 1 });
    assert.ok(!refused.ok);
    assert.match(refused.message, new RegExp(`use at most ${largest} orders`));
  });
});
