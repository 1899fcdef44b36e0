// Per-owner totals of the allocations (count, block bytes, requested bytes; kept by the index, see
// ownerSums.ts) and the blocks of one owner, computed over the view model's columns: no object per
// allocation, so a heap of half a million allocations costs one pass.
import { POW2 } from '../../core/util/powersOfTwo';
import type { HeapIndex } from './heapIndex';

export interface OwnerTotal {
  /** 0 = no owner, else 1 + index into ownerLabels. */
  readonly owner: number;
  readonly count: number;
  readonly blockBytes: number;
  readonly requestedBytes: number;
}

/** One entry per owner that holds at least one allocation, in owner order. */
export function ownerTotals(index: HeapIndex): OwnerTotal[] {
  const { owners, counts, blockBytes, requestedBytes } = index.ownerSums();
  const out: OwnerTotal[] = [];
  for (let owner = 0; owner < owners; owner++)
    if (counts[owner]! > 0)
      out.push({ owner, count: counts[owner]!, blockBytes: blockBytes[owner]!, requestedBytes: requestedBytes[owner]! });
  return out;
}

export interface OwnedBlock {
  readonly offset: number;
  readonly size: number;
}

/** The first `max` allocated blocks of one owner, in address order. */
export function blocksOfOwner(index: HeapIndex, owner: number, max: number): OwnedBlock[] {
  const { count, blocks } = index.view.allocations;
  const owners = index.view.blocks.owners;
  const codes = index.view.blocks.codes;
  const out: OwnedBlock[] = [];
  for (let i = 0; i < count && out.length < max; i++) {
    const block = blocks[i]!;
    if (owners[block] === owner)
      out.push({ offset: index.leafStart[block]! * index.minBlock, size: index.minBlock * POW2[codes[block]! & 31]! });
  }
  return out;
}
