// The buddy tree of a decoded heap, expanded on demand for a collapsible tree UI. Nodes are the
// table's blocks (leaves: a listed free block, an allocated span or an unknown span) and every
// block that encloses more than one of them (split nodes). Nothing is built per node up front:
// construction costs two prefix sums over the table, and each node is found by binary search, so
// a million-leaf heap opens as fast as a small one.
import { BlockState, HeapView } from '../decoder/types';
import { BlockRegion, RegionState, blockIndexAt, blockSize, regionOf } from './blockLookup';
import { POW2 as POW2_TABLE } from '../util/powersOfTwo';

export { ancestors, buddyOf, buddyPairs, NO_BUDDY, NO_BUDDY_STATE } from './buddyRelations';
export type { BuddyInfo, BuddyPairs } from './buddyRelations';
export { RegionState } from './blockLookup';
export type { BlockRef, BlockRegion } from './blockLookup';

export interface BuddyTreeNode extends BlockRegion {
  readonly size: number;
  /** True for a table block; false for a split node, which has two children. */
  readonly isLeaf: boolean;
  readonly freeBytes: number;
  readonly allocatedBytes: number;
  readonly unknownBytes: number;
}

// Read once: esbuild's CommonJS exports are getters, too slow to call per block.
const POW2: Float64Array = POW2_TABLE;
const FREE: number = BlockState.Free;
const UNKNOWN: number = BlockState.Unknown;

export class BuddyTree {
  /** Bytes of the given state in table blocks [0, i). */
  private readonly freeBefore: Float64Array;
  private readonly unknownBefore: Float64Array;

  constructor(private readonly view: HeapView) {
    const { count, orders, states } = view.blocks;
    this.freeBefore = new Float64Array(count + 1);
    this.unknownBefore = new Float64Array(count + 1);
    for (let i = 0; i < count; i++) {
      const size = view.minBlockSize * POW2[orders[i]!]!;
      const state = states[i];
      this.freeBefore[i + 1] = this.freeBefore[i]! + (state === FREE ? size : 0);
      this.unknownBefore[i + 1] = this.unknownBefore[i]! + (state === UNKNOWN ? size : 0);
    }
  }

  /** The whole-heap node; undefined for a view with no blocks (a refused snapshot). */
  root(): BuddyTreeNode | undefined {
    return this.node(0, this.view.orders - 1);
  }

  /** The node at (offset, order), or undefined when that block is not in this tree (it lies inside a leaf, or is no block). */
  node(offset: number, order: number): BuddyTreeNode | undefined {
    const region = regionOf(this.view, offset, order);
    if (!region) return undefined;
    const size = blockSize(this.view, order);
    if (region.state !== RegionState.Split) {
      if (this.view.blocks.offsets[region.firstBlock] !== offset || this.view.blocks.orders[region.firstBlock] !== order) return undefined;
      return {
        ...region,
        size,
        isLeaf: true,
        freeBytes: region.state === RegionState.Free ? size : 0,
        allocatedBytes: region.state === RegionState.Allocated ? size : 0,
        unknownBytes: region.state === RegionState.Unknown ? size : 0,
      };
    }
    const end = region.firstBlock + region.blockCount;
    const freeBytes = this.freeBefore[end]! - this.freeBefore[region.firstBlock]!;
    const unknownBytes = this.unknownBefore[end]! - this.unknownBefore[region.firstBlock]!;
    return { ...region, size, isLeaf: false, freeBytes, unknownBytes, allocatedBytes: size - freeBytes - unknownBytes };
  }

  /** The two halves of a split node, lower first; [] for a leaf. */
  children(node: BuddyTreeNode): BuddyTreeNode[] {
    if (node.isLeaf) return [];
    const half = node.size / 2;
    const lower = this.node(node.offset, node.order - 1);
    const upper = this.node(node.offset + half, node.order - 1);
    return lower && upper ? [lower, upper] : [];
  }

  /** Root to leaf, the nodes holding byte `offset` (to reveal a block in the tree); [] outside the heap. */
  pathTo(offset: number): BuddyTreeNode[] {
    if (!Number.isSafeInteger(offset) || offset < 0 || offset >= this.view.heapSize) return [];
    const leafIndex = blockIndexAt(this.view, offset);
    const leafOrder = this.view.blocks.orders[leafIndex]!;
    const path: BuddyTreeNode[] = [];
    for (let order = this.view.orders - 1; order >= leafOrder; order--) {
      const size = blockSize(this.view, order);
      const node = this.node(offset - (offset % size), order);
      if (node) path.push(node);
    }
    return path;
  }
}
