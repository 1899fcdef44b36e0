// Statistics of a decoded heap. Byte counts come from the block table (so an overlapping block is
// never counted twice); what would succeed now comes from the list heads, because allocate only
// ever pops a head.
import type { HeapGeometry } from './heapGeometry';
import { BlockState, BlockTable, DecodedFreeList, HeapStats, OrderStats } from './types';

// Read once: esbuild's CommonJS exports are getters, too slow to call per block.
const FREE: number = BlockState.Free;
const ALLOCATED: number = BlockState.Allocated;

export function heapStats(geometry: HeapGeometry, blocks: BlockTable, lists: readonly DecodedFreeList[]): HeapStats {
  const freeBlocks = new Float64Array(geometry.orders);
  const allocatedBlocks = new Float64Array(geometry.orders);
  let freeBytes = 0;
  let allocatedBytes = 0;
  let unknownBytes = 0;
  let largestFreeBlock = 0;
  const { orders, states } = blocks;
  const sizes = new Float64Array(geometry.orders).map((_, order) => geometry.minBlock * 2 ** order);
  for (let i = 0; i < blocks.count; i++) {
    const order = orders[i]!;
    const size = sizes[order]!;
    const state = states[i];
    if (state === FREE) {
      freeBytes += size;
      freeBlocks[order]!++;
      if (size > largestFreeBlock) largestFreeBlock = size;
    } else if (state === ALLOCATED) {
      allocatedBytes += size;
      allocatedBlocks[order]!++;
    } else {
      unknownBytes += size;
    }
  }
  const perOrder: OrderStats[] = [];
  for (let order = 0; order < geometry.orders; order++) {
    perOrder.push({
      order,
      blockSize: geometry.minBlock * 2 ** order,
      freeBlocks: freeBlocks[order]!,
      allocatedBlocks: allocatedBlocks[order]!,
    });
  }
  return {
    heapSize: geometry.size,
    freeBytes,
    allocatedBytes,
    unknownBytes,
    largestFreeBlock,
    fragmentation: freeBytes === 0 ? 0 : 1 - largestFreeBlock / freeBytes,
    largestAllocatable: largestAllocatable(lists),
    perOrder,
  };
}

/** The largest block size whose list starts with a valid block: a request that size pops it. */
function largestAllocatable(lists: readonly DecodedFreeList[]): number {
  let largest = 0;
  for (const list of lists) {
    if (list.columns.count > 0 && list.blockSize > largest) largest = list.blockSize;
  }
  return largest;
}
