// Lookups over the wire view model that every view needs: where each block starts (a prefix sum,
// since offsets are not sent), which block holds an address, and the buddy tree arithmetic.
import { applyViewPatch } from '../../core/protocol/applyViewPatch';
import { splice } from '../../core/util/typedArrays';
import { HeapViewModel, WireBlockState, blockLeafStarts, codeOrder, codeState } from '../../core/protocol/viewModel';
import type { WireViewPatch } from '../../core/protocol/viewPatch';
import { POW2 } from '../../core/util/powersOfTwo';
import { OwnerSums } from './ownerSums';

export interface BlockInfo {
  readonly index: number;
  readonly offset: number;
  readonly order: number;
  readonly size: number;
  readonly state: WireBlockState;
  /** 0 = none, else 1 + index into ownerLabels. */
  readonly owner: number;
}

/** What a patch changed: the index before it and the leaves whose blocks it replaced. */
export interface IndexChange {
  readonly previous: HeapIndex;
  readonly leaf: number;
  readonly leaves: number;
}

export class HeapIndex {
  readonly count: number;
  readonly totalLeaves: number;
  readonly minBlock: number;
  readonly orders: number;
  readonly base: bigint;
  /** Set when this index is its predecessor plus a patch (forgotten at the next patch: no chain of heaps is kept). */
  change: IndexChange | undefined;
  /** First minimum block ("leaf") of each block, built on first use (see `leafStart`). */
  private starts: Float64Array | undefined;
  /** Allocation index by block index (-1: no known allocation), built on first use. */
  private allocationOfBlock: Int32Array | undefined;

  /**
   * `starts`: the blocks' first leaves when already known (a patched view); `change`: set when this
   * index is its predecessor plus a patch, so views can redraw only what the patch touched.
   */
  constructor(
    readonly view: HeapViewModel,
    starts?: Float64Array,
    change?: IndexChange,
  ) {
    this.change = change;
    this.starts = starts;
    this.count = view.blocks.count;
    this.minBlock = view.layout.minBlockSize;
    this.orders = view.layout.orders;
    this.base = BigInt(view.layout.base);
    // A refused view (the decoder could not read the struct) has no blocks at all.
    this.totalLeaves = view.layout.minBlockSize > 0 ? view.layout.size / view.layout.minBlockSize : 0;
  }

  /** This index with a patch applied, or why the patch does not fit it. */
  patched(patch: WireViewPatch): { readonly index: HeapIndex } | { readonly error: string } {
    // In place: this index is used up (the panel keeps only the patched one).
    const leaf = patch.offset / this.minBlock;
    const leaves = 2 ** patch.order;
    // What the patched block's allocations counted, read before the patch overwrites them.
    const outgoing = this.owners && !patch.ownerLabels ? this.sumsOfLeaves(leaf, leaves) : undefined;
    const outcome = applyViewPatch(this.view, this.leafStart, patch, true);
    if (!outcome.ok) return { error: outcome.error };
    this.change = undefined;
    const { view, leafStart, first, inserted } = outcome.patched;
    const next = new HeapIndex(view, leafStart, { previous: this, leaf, leaves });
    if (this.freePrefix) next.freePrefix = patchedFreePrefix(this.freePrefix, view.blocks.codes, first, inserted, this.count);
    if (this.owners && outgoing) {
      this.owners.subtract(outgoing);
      this.owners.add(view, first, first + inserted);
      next.owners = this.owners;
    }
    return { index: next };
  }

  /**
   * First minimum block ("leaf") of each block. Built on first use rather than on arrival: the
   * map's first paint walks the blocks in order and needs none of it, so a new heap shows sooner.
   */
  get leafStart(): Float64Array {
    this.starts ??= blockLeafStarts(this.view.blocks.codes, this.count);
    return this.starts;
  }

  order(i: number): number {
    return codeOrder(this.view.blocks.codes[i]!);
  }

  state(i: number): WireBlockState {
    return codeState(this.view.blocks.codes[i]!);
  }

  block(i: number): BlockInfo {
    const order = this.order(i);
    return {
      index: i,
      offset: this.leafStart[i]! * this.minBlock,
      order,
      size: this.minBlock * 2 ** order,
      state: this.state(i),
      owner: this.view.blocks.owners[i]!,
    };
  }

  /** The block holding this leaf (binary search). */
  blockAtLeaf(leaf: number): number {
    const starts = this.leafStart;
    let lo = 0;
    let hi = this.count - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= leaf) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /** The block holding this heap offset, or -1 outside the heap. */
  blockAtOffset(offset: number): number {
    if (offset < 0 || offset >= this.view.layout.size || this.count === 0) return -1;
    return this.blockAtLeaf(Math.floor(offset / this.minBlock));
  }

  /** Target address of a heap offset, as lowercase hex. */
  address(offset: number): string {
    return '0x' + (this.base + BigInt(offset)).toString(16);
  }

  ownerLabel(owner: number): string | undefined {
    return owner > 0 ? this.view.ownerLabels[owner - 1] : undefined;
  }

  /** The buddy of a block: same size, offset with the block-size bit flipped; none for the top order. */
  buddyOf(offset: number, order: number): { offset: number; order: number } | undefined {
    if (order >= this.orders - 1) return undefined;
    const size = this.minBlock * 2 ** order;
    return { offset: offset % (size * 2) === 0 ? offset + size : offset - size, order };
  }

  /** The blocks this one was split from, parent first, up to the whole heap. */
  ancestorsOf(offset: number, order: number): { offset: number; order: number }[] {
    const out = [];
    for (let k = order + 1; k < this.orders; k++) {
      const size = this.minBlock * 2 ** k;
      out.push({ offset: Math.floor(offset / size) * size, order: k });
    }
    return out;
  }

  /** The known allocation (index into view.allocations) whose block starts at this offset, or -1. */
  allocationAt(offset: number): number {
    if (!this.allocationOfBlock) {
      const byBlock = new Int32Array(this.count).fill(-1);
      const refs = this.view.allocations.blocks;
      for (let i = 0; i < refs.length; i++) byBlock[refs[i]!] = i;
      this.allocationOfBlock = byBlock;
    }
    const i = this.blockAtOffset(offset);
    return i >= 0 && this.leafStart[i]! * this.minBlock === offset ? this.allocationOfBlock[i]! : -1;
  }

  /** How an allocation was requested: its size and alignment in bytes. */
  request(allocation: number): { readonly size: number; readonly align: number } {
    const { sizes, alignLog2 } = this.view.allocations;
    return { size: sizes[allocation]!, align: POW2[alignLog2[allocation]!]! };
  }

  /** Per-owner sums of the allocations, built on first use and carried across patches. */
  private owners: OwnerSums | undefined;

  ownerSums(): OwnerSums {
    this.owners ??= OwnerSums.of(this.view);
    return this.owners;
  }

  /** Sums over the allocations in the blocks covering leaves [leaf, leaf + leaves). */
  private sumsOfLeaves(leaf: number, leaves: number): OwnerSums {
    const sums = new OwnerSums(this.view.ownerLabels.length + 1);
    const end = leaf + leaves >= this.totalLeaves ? this.count : this.blockAtLeaf(leaf + leaves);
    sums.add(this.view, this.blockAtLeaf(leaf), end);
    return sums;
  }

  /** Free leaves before each block (and, last, in the whole heap), built on first use. */
  private freePrefix: Float64Array | undefined;

  private freePrefixSums(): Float64Array {
    if (!this.freePrefix) {
      const codes = this.view.blocks.codes;
      const sums = new Float64Array(this.count + 1);
      let free = 0;
      for (let i = 0; i < this.count; i++) {
        sums[i] = free;
        const code = codes[i]!;
        if (code >> 5 === WireBlockState.Free) free += POW2[code & 31]!;
      }
      sums[this.count] = free;
      this.freePrefix = sums;
    }
    return this.freePrefix;
  }

  /** Free leaves in [fromLeaf, toLeaf): for summaries of split nodes. */
  freeLeavesIn(fromLeaf: number, toLeaf: number): number {
    const prefix = this.freePrefixSums();
    const before = (leaf: number): number => {
      if (leaf >= this.totalLeaves) return prefix[this.count]!;
      const i = this.blockAtLeaf(leaf);
      const inside = leaf - this.leafStart[i]!;
      return prefix[i]! + (this.state(i) === WireBlockState.Free ? inside : 0);
    };
    return before(toLeaf) - before(fromLeaf);
  }

  /** True when a block of exactly this offset and order is in the table (a leaf of the buddy tree). */
  isBlock(offset: number, order: number): boolean {
    const i = this.blockAtOffset(offset);
    return i >= 0 && this.leafStart[i]! * this.minBlock === offset && this.order(i) === order;
  }
}

/**
 * The free-leaf prefix sums after a patch, from the ones before: unchanged before the patched
 * blocks, summed over them, and shifted by the free leaves they added or removed after them.
 */
function patchedFreePrefix(old: Float64Array, codes: Uint8Array, first: number, inserted: number, oldCount: number): Float64Array {
  const removed = oldCount + inserted - codes.length;
  const freeBefore = old[first]!;
  const oldAfter = old[first + removed]!;
  const sums = splice(old, first, first + removed, inserted, true);
  let free = freeBefore;
  for (let i = first; i < first + inserted; i++) {
    sums[i] = free;
    const code = codes[i]!;
    if (code >> 5 === WireBlockState.Free) free += POW2[code & 31]!;
  }
  const delta = free - oldAfter;
  if (delta !== 0) for (let i = first + inserted; i < sums.length; i++) sums[i] = sums[i]! + delta;
  return sums;
}

export const STATE_NAMES: Readonly<Record<WireBlockState, string>> = { 0: 'free', 1: 'allocated', 2: 'unknown' };
