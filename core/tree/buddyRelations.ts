// Buddy relations of a decoded heap: a block's buddy (the other half of its parent, found by
// flipping the block-size bit of its offset, as the crate's `buddy` does), its ancestors, and the
// buddy of every table block at once in columnar form.
import type { HeapView } from '../decoder/types';
import { BlockRef, RegionState, blockSize, isTreeBlock, regionOf } from './blockLookup';
import { POW2 as POW2_TABLE } from '../util/powersOfTwo';

export interface BuddyInfo extends BlockRef {
  /** The buddy's table state, or Split when the buddy has been split into smaller blocks. */
  readonly state: RegionState;
}

/** The buddy of a tree block, or undefined for the whole-heap block and for what is not a tree block. */
export function buddyOf(offset: number, order: number, view: HeapView): BuddyInfo | undefined {
  if (!isTreeBlock(view, offset, order) || order === view.orders - 1) return undefined;
  const buddyOffset = xorOffset(offset, blockSize(view, order));
  const region = regionOf(view, buddyOffset, order);
  return region && { offset: buddyOffset, order, state: region.state };
}

/** The enclosing blocks of a tree block, parent first, the whole heap last ([] for the root or a non-block). */
export function ancestors(offset: number, order: number, view: HeapView): BlockRef[] {
  if (!isTreeBlock(view, offset, order)) return [];
  const out: BlockRef[] = [];
  for (let up = order + 1; up < view.orders; up++) {
    const size = blockSize(view, up);
    out.push({ offset: offset - (offset % size), order: up });
  }
  return out;
}

/** Marks a table block with no buddy (the whole-heap block) in BuddyPairs. */
export const NO_BUDDY = -1;
export const NO_BUDDY_STATE = 255;

/** For table block i: its buddy's offset (same order as block i) and state. */
export interface BuddyPairs {
  readonly count: number;
  /** NO_BUDDY for the whole-heap block. */
  readonly buddyOffsets: Float64Array;
  /** RegionState of the buddy; NO_BUDDY_STATE where there is none. */
  readonly buddyStates: Uint8Array;
}

// Read once: esbuild's CommonJS exports are getters, too slow to call per block.
const POW2: Float64Array = POW2_TABLE;
const SPLIT: number = RegionState.Split;

/**
 * Every table block's buddy in one pass. Blocks tile the heap in order, so a lower half's buddy
 * starts at the next table block and an upper half's buddy ends at the previous one; the buddy is
 * that neighbour exactly when the orders match, and split into smaller blocks otherwise.
 */
export function buddyPairs(view: HeapView): BuddyPairs {
  const { count, offsets, orders, states } = view.blocks;
  const buddyOffsets = new Float64Array(count);
  const buddyStates = new Uint8Array(count);
  const top = view.orders - 1;
  const minBlock = view.minBlockSize;
  for (let i = 0; i < count; i++) {
    const order = orders[i]!;
    if (order === top) {
      buddyOffsets[i] = NO_BUDDY;
      buddyStates[i] = NO_BUDDY_STATE;
      continue;
    }
    const size = minBlock * POW2[order]!;
    const offset = offsets[i]!;
    // Leaf indexes are below 2^31 and orders below the top below 31: exact int32 bit tests.
    const isLower = ((offset / minBlock) & POW2[order]!) === 0;
    const neighbour = isLower ? i + 1 : i - 1;
    buddyOffsets[i] = isLower ? offset + size : offset - size;
    buddyStates[i] = orders[neighbour] === order ? states[neighbour]! : SPLIT;
  }
  return { count, buddyOffsets, buddyStates };
}

/** `offset ^ size` for offsets beyond 32 bits, where `^` would truncate. */
function xorOffset(offset: number, size: number): number {
  return (offset / size) % 2 === 0 ? offset + size : offset - size;
}
