// Finding blocks of a view's table by address. The table covers the heap in address order with
// buddy-aligned blocks, so any aligned region either lies inside one table block or is exactly
// tiled by a run of them: a binary search for its first byte and one for its last say which.
import type { HeapView } from '../decoder/types';
import { POW2 } from '../util/powersOfTwo';

/** A block of the buddy tree: `order` counts doublings of the minimum block. */
export interface BlockRef {
  readonly offset: number;
  readonly order: number;
}

/** A region's state: its table block's, or Split when several table blocks tile it. */
export const enum RegionState {
  Free = 0,
  Allocated = 1,
  Unknown = 2,
  Split = 3,
}

export interface BlockRegion extends BlockRef {
  readonly state: RegionState;
  /** Index of the first table block overlapping the region. */
  readonly firstBlock: number;
  /** Table blocks overlapping the region (1 when it lies inside one). */
  readonly blockCount: number;
}

/** Index of the table block holding byte `offset` (which must lie inside the heap). */
export function blockIndexAt(view: HeapView, offset: number): number {
  const offsets = view.blocks.offsets;
  let low = 0;
  let high = view.blocks.count - 1;
  while (low < high) {
    const middle = (low + high + 1) >>> 1;
    if (offsets[middle]! <= offset) low = middle;
    else high = middle - 1;
  }
  return low;
}

export function blockSize(view: HeapView, order: number): number {
  return view.minBlockSize * POW2[order]!;
}

/** True when (offset, order) names a block of this heap's buddy tree. */
export function isTreeBlock(view: HeapView, offset: number, order: number): boolean {
  if (!Number.isInteger(order) || order < 0 || order >= view.orders || view.blocks.count === 0) return false;
  const size = blockSize(view, order);
  return Number.isSafeInteger(offset) && offset >= 0 && offset < view.heapSize && offset % size === 0;
}

/** The state of a tree block and the table blocks it overlaps; undefined when it is not a tree block. */
export function regionOf(view: HeapView, offset: number, order: number): BlockRegion | undefined {
  if (!isTreeBlock(view, offset, order)) return undefined;
  const first = blockIndexAt(view, offset);
  const firstOrder = view.blocks.orders[first]!;
  if (firstOrder >= order) {
    // Inside one table block (or exactly it): the region has that block's state.
    return { offset, order, state: view.blocks.states[first]! as number as RegionState, firstBlock: first, blockCount: 1 };
  }
  const last = blockIndexAt(view, offset + blockSize(view, order) - 1);
  return { offset, order, state: RegionState.Split, firstBlock: first, blockCount: last - first + 1 };
}
