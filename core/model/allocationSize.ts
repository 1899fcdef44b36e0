// The crate's `allocation_size` and `allocation_order`: the rounding every allocation and every
// free goes through. Sizes are bigint because a request may be larger than any JS number holds.
import { POW2 } from '../util/powersOfTwo';
import { MIN_HEAP_ALIGN, isPowerOfTwo, log2Floor } from '../layout';

export type AllocationSizeError = 'BadAlignment' | 'TooLarge';
export type AllocationError = 'HeapExhausted' | `InvalidSize(${AllocationSizeError})`;

export type SizeResult = { readonly ok: true; readonly size: bigint } | { readonly ok: false; readonly error: AllocationSizeError };
export type OrderResult = { readonly ok: true; readonly order: number } | { readonly ok: false; readonly error: AllocationSizeError };

/** `allocation_size(size, align)`: the block size an allocation gets, or why it gets none. */
export function allocationSize(size: bigint, align: bigint, heapSize: bigint, minBlockSize: bigint): SizeResult {
  // Weird alignments are not supported, nor alignments beyond the heap base's.
  if (!isPowerOfTwo(align) || align > MIN_HEAP_ALIGN) return { ok: false, error: 'BadAlignment' };
  // Blocks are aligned to their own size, so a larger alignment costs a larger block.
  let rounded = align > size ? align : size;
  if (rounded < minBlockSize) rounded = minBlockSize;
  // Anything above the heap cannot fit whatever its rounding, and comparing first keeps
  // next_power_of_two off sizes no usize request reaches (Layout caps sizes at isize::MAX).
  if (rounded > heapSize) return { ok: false, error: 'TooLarge' };
  rounded = nextPowerOfTwo(rounded);
  if (rounded > heapSize) return { ok: false, error: 'TooLarge' };
  return { ok: true, size: rounded };
}

/** `allocation_order`: log2(allocation_size) - log2(min block), the free-list index. */
export function allocationOrder(size: bigint, align: bigint, heapSize: bigint, minBlockSizeLog2: number): OrderResult {
  const sized = allocationSize(size, align, heapSize, 1n << BigInt(minBlockSizeLog2));
  return sized.ok ? { ok: true, order: log2Floor(sized.size) - minBlockSizeLog2 } : sized;
}

/**
 * The same rounding with JS numbers, for the hot path (replay of millions of operations): valid
 * when size and align are safe integers and the heap is at most 2^52. Returns the order, or -1 for
 * BadAlignment and -2 for TooLarge. Agrees with allocationOrder (a unit test checks it).
 */
export function allocationOrderFast(size: number, align: number, heapSize: number, minBlock: number, minBlockSizeLog2: number): number {
  if (align > 4096 || align < 1 || (align & (align - 1)) !== 0) return -1;
  let rounded = align > size ? align : size;
  if (rounded < minBlock) rounded = minBlock;
  if (rounded > heapSize) return -2;
  let log2: number;
  if (rounded <= 0x8000_0000) {
    log2 = rounded <= 1 ? 0 : 32 - Math.clz32(rounded - 1);
  } else {
    log2 = 31;
    while (POW2[log2]! < rounded) log2++;
  }
  // A table, not 2 ** k: V8 compiles ** with a variable exponent to a Math.pow call.
  if (POW2[log2]! > heapSize) return -2;
  return log2 - minBlockSizeLog2;
}

/** `usize::next_power_of_two` for values that do not overflow (0 → 1). */
export function nextPowerOfTwo(n: bigint): bigint {
  if (n <= 1n) return 1n;
  let p = 1n;
  while (p < n) p <<= 1n;
  return p;
}
