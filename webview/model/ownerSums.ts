// Per-owner sums over a view's allocations (count, block bytes, requested bytes). A patched view
// keeps its predecessor's sums: the allocations in the patched block are taken out before the
// patch and counted again after it, so an operation costs the allocations in its block, not the
// heap's half a million.
import { lowerBound } from '../../core/util/typedArrays';
import type { HeapViewModel } from '../../core/protocol/viewModel';
import { POW2 } from '../../core/util/powersOfTwo';

export class OwnerSums {
  /** Indexed by owner: 0 = no owner, else 1 + index into ownerLabels. */
  readonly counts: Float64Array;
  readonly blockBytes: Float64Array;
  readonly requestedBytes: Float64Array;

  constructor(readonly owners: number) {
    this.counts = new Float64Array(owners);
    this.blockBytes = new Float64Array(owners);
    this.requestedBytes = new Float64Array(owners);
  }

  /** The sums over every allocation of a view. */
  static of(view: HeapViewModel): OwnerSums {
    const sums = new OwnerSums(view.ownerLabels.length + 1);
    sums.add(view, 0, view.blocks.count);
    return sums;
  }

  /** Adds the allocations whose blocks are blocks [firstBlock, endBlock) of the view. */
  add(view: HeapViewModel, firstBlock: number, endBlock: number): void {
    const { count, blocks, sizes } = view.allocations;
    const { owners, codes } = view.blocks;
    const minBlock = view.layout.minBlockSize;
    // Allocations are in address order, so those of a run of blocks are a run too.
    const end = lowerBound(blocks, count, endBlock);
    for (let i = lowerBound(blocks, count, firstBlock); i < end; i++) {
      const block = blocks[i]!;
      const owner = owners[block]!;
      this.counts[owner]!++;
      this.blockBytes[owner]! += minBlock * POW2[codes[block]! & 31]!;
      this.requestedBytes[owner]! += sizes[i]!;
    }
  }

  /** Takes out what `other` (sums over fewer allocations of the same owners) counted. */
  subtract(other: OwnerSums): void {
    for (let owner = 0; owner < this.owners; owner++) {
      this.counts[owner]! -= other.counts[owner]!;
      this.blockBytes[owner]! -= other.blockBytes[owner]!;
      this.requestedBytes[owner]! -= other.requestedBytes[owner]!;
    }
  }
}
