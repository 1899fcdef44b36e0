// Why a free is one the seed would treat as undefined behaviour, in words that name the address
// exactly as given and, when it is not a block start, what lies there instead. Only the error
// paths come here, so this reads the model through its public lookups and builds strings freely.
import { formatBytes, hex } from '../layout';
import { allocationOrder } from './allocationSize';
import type { HeapLayout } from '../layout';

export type FreeErrorName = 'OutOfHeap' | 'NotAllocated' | 'DoubleFree' | 'LayoutMismatch' | 'InvalidLayout';

/** The model's lookups a free problem is described with (BuddyHeap has them). */
export interface HeapLookups {
  readonly layout: HeapLayout;
  readonly minBlock: number;
  readonly minBlockLog2: number;
  allocationAt(offset: number): { readonly size: bigint; readonly align: bigint } | undefined;
  allocationContaining(
    offset: number,
  ): { readonly offset: number; readonly order: number; readonly size: bigint; readonly align: bigint } | undefined;
  freedAt(offset: number): boolean;
  freeBlockContaining(offset: number): { readonly offset: number; readonly order: number } | undefined;
  address(offset: number): bigint;
  orderSize(order: number): number;
}

export interface FreeProblem {
  readonly error: FreeErrorName;
  readonly message: string;
}

/**
 * The problem with freeing `address` with this layout. Checks in this order: outside the heap,
 * a layout no allocation could have had, a live allocation freed with another layout, an address
 * inside a live allocation, a second free, anything else that is not an allocation's start.
 */
export function freeProblem(heap: HeapLookups, address: bigint, size: bigint | number, align: bigint | number): FreeProblem {
  const { base, size: heapSize } = heap.layout;
  const offset = address - base;
  if (offset < 0n || offset >= heapSize) {
    return { error: 'OutOfHeap', message: `${hex(address)} is outside the heap ${hex(base)}..${hex(base + heapSize)}` };
  }
  // Leaf indexes are below 2^31, so the leaf start is an exact number even in a 2^63-byte heap.
  const start = Number(offset / BigInt(heap.minBlock)) * heap.minBlock;
  const isStart = BigInt(start) === offset;
  const live = isStart ? heap.allocationAt(start) : undefined;
  const sized = allocationOrder(BigInt(size), BigInt(align), heapSize, heap.minBlockLog2);
  if (!sized.ok) {
    return {
      error: 'InvalidLayout',
      message: `size ${size} align ${align} is not a layout the heap could have allocated (${sized.error}); the crate panics on it`,
    };
  }
  if (live) {
    return {
      error: 'LayoutMismatch',
      message: `${hex(address)} was allocated with size ${live.size} align ${live.align}, not size ${size} align ${align}; deallocate needs the same layout`,
    };
  }
  const container = heap.allocationContaining(start);
  if (container) {
    const at = heap.address(container.offset);
    return {
      error: 'NotAllocated',
      message: `${hex(address)} is not the start of an allocated block: it lies inside the ${formatBytes(heap.orderSize(container.order))} block allocated at ${hex(at)} (size ${container.size} align ${container.align}); free ${hex(at)} instead`,
    };
  }
  if (isStart && heap.freedAt(start)) {
    return { error: 'DoubleFree', message: `${hex(address)} was already freed; freeing it again would put it on a free list twice` };
  }
  const free = heap.freeBlockContaining(start);
  const where = free ? `: it lies in the free ${formatBytes(heap.orderSize(free.order))} block at ${hex(heap.address(free.offset))}` : '';
  return { error: 'NotAllocated', message: `${hex(address)} is not the start of an allocated block${where}` };
}
