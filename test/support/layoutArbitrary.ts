// Random valid heap layouts for property tests: the smallest heap whose minimum block holds a
// pointer, times 2^sizeLog2, either width and byte order, at a 32-bit base or a 64-bit kernel one.
import fc from 'fast-check';
import type { Endianness, HeapLayout, PointerWidth } from '../../core/layout';

export function validLayoutArb(maxOrders: number, maxSizeLog2: number): fc.Arbitrary<HeapLayout> {
  return fc
    .record({
      orders: fc.integer({ min: 1, max: maxOrders }),
      sizeLog2: fc.integer({ min: 0, max: maxSizeLog2 }),
      pointerWidth: fc.constantFrom<PointerWidth>(4, 8),
      endianness: fc.constantFrom<Endianness>('little', 'big'),
      high: fc.boolean(),
    })
    .map(({ orders, sizeLog2, pointerWidth, endianness, high }) => ({
      size: BigInt(pointerWidth) << BigInt(orders - 1 + sizeLog2),
      orders,
      pointerWidth,
      endianness,
      base: high && pointerWidth === 8 ? 0xffff_8000_0000_0000n : 0x2000_0000n,
    }));
}
