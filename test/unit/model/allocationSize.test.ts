import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { allocationOrder, allocationOrderFast } from '../../../core/model/allocationSize';

describe('allocation size rounding', () => {
  it('the number fast path agrees with the bigint rounding everywhere it is used', () => {
    const sizeArb = fc.oneof(
      fc.integer({ min: 0, max: 5000 }),
      fc.integer({ min: 0, max: 2 ** 40 }),
      fc.constantFrom(0, 1, 2 ** 31, 2 ** 31 + 1, 2 ** 32, 2 ** 52),
    );
    const alignArb = fc.oneof(
      fc.integer({ min: 0, max: 13 }).map(k => 2 ** k),
      fc.integer({ min: 0, max: 10_000 }),
    );
    fc.assert(
      fc.property(sizeArb, alignArb, fc.integer({ min: 0, max: 52 }), fc.integer({ min: 0, max: 31 }), (size, align, heapLog2, n) => {
        const minLog2 = Math.max(0, heapLog2 - n);
        const slow = allocationOrder(BigInt(size), BigInt(align), 2n ** BigInt(heapLog2), minLog2);
        const fast = allocationOrderFast(size, align, 2 ** heapLog2, 2 ** minLog2, minLog2);
        assert.equal(fast, slow.ok ? slow.order : slow.error === 'BadAlignment' ? -1 : -2);
      }),
      { seed: 42, numRuns: 20_000 },
    );
  });
});
