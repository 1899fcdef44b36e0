// Follows a simulated heap one operation at a time and says what each changed, as the panel needs
// it: a WireViewPatch (the blocks of the one buddy block the operation touched) and the step's
// diff, at a cost that grows with the operation (its splits and merges, times log leaves), not
// with the heap. What it produces equals what decoding the whole heap and building the view again
// would give (test/unit/simulation/incrementalView.test.ts checks that on random operations).
//
// The decoder shows allocated memory as the largest buddy blocks holding no free block: a block is
// one when it holds no free block and its parent does (or it is the whole heap). An operation
// changes which blocks hold free ones only inside its block and on the path above it, so only that
// path, the path's siblings and the operation's block can change those counts.
import type { HeapStats, HeapView } from '../../core/decoder/types';
import { ChangeKind, ChangeListBuilder } from '../../core/diff/changeList';
import { type ComparableDiff, diffOfChanges } from '../../core/diff/diffViews';
import { hex, log2Floor } from '../../core/layout';
import { BuddyHeap, DENSE_LEAF_LIMIT } from '../../core/model/buddyHeap';
import { NEXT_NULL, NEXT_UNREADABLE, WireBlockState, blockCode } from '../../core/protocol/viewModel';
import type { WireFreeListEdit, WireViewPatch } from '../../core/protocol/viewPatch';
import { FreeStarts } from './freeStarts';

/** Owner labels the view can index (Uint16 owners, 0 = none). */
const MAX_OWNERS = 65535;
const NO_OFFSETS = new Float64Array(0);

export interface StepChange {
  readonly patch: WireViewPatch;
  readonly diff: ComparableDiff;
}

export interface AllocatedStep {
  readonly offset: number;
  readonly order: number;
  readonly splitFrom: number;
}

export interface FreedStep {
  readonly offset: number;
  readonly order: number;
  readonly mergedOffset: number;
  readonly mergedOrder: number;
  readonly owner: string | undefined;
}

export class IncrementalView {
  private stats: HeapStats;

  private constructor(
    /** The heap followed: every operation on it must be reported here, in order. */
    readonly heap: BuddyHeap,
    private readonly starts: FreeStarts,
    /** The decoder's allocated blocks per order. */
    private readonly allocatedPerOrder: Float64Array,
    /** Live allocations per owner label, and the labels in the view's (sorted) order. */
    private readonly ownerCounts: Map<string, number>,
    private labels: string[],
  ) {
    this.stats = this.currentStats();
  }

  /**
   * Starts following `heap`, whose decoded view is `decoded`; undefined for heaps too large for
   * per-leaf counts (they keep rebuilding the view).
   */
  static follow(heap: BuddyHeap, decoded: HeapView): IncrementalView | undefined {
    if (heap.leaves > DENSE_LEAF_LIMIT || decoded.findings.length > 0) return undefined;
    const minBlock = heap.orderSize(0);
    const starts = FreeStarts.of(
      heap.leaves,
      heap.freeLists().flatMap(list => list.map(offset => offset / minBlock)),
    );
    const allocated = Float64Array.from(decoded.stats.perOrder, o => o.allocatedBlocks);
    const counts = new Map<string, number>();
    for (const a of heap.liveAllocations()) if (a.owner) counts.set(a.owner, (counts.get(a.owner) ?? 0) + 1);
    if (counts.size > MAX_OWNERS) return undefined;
    return new IncrementalView(heap, starts, allocated, counts, [...counts.keys()].sort());
  }

  /** After `heap.allocate` succeeded with this result. */
  afterAllocate(step: AllocatedStep): StepChange | undefined {
    const { offset, order, splitFrom } = step;
    const allocation = this.heap.allocationAt(offset);
    if (!allocation) throw new Error(`no allocation at ${offset} after allocating there`);
    const before = this.stats;
    const leaf = this.leafOf(offset);
    this.tally(-1, leaf, splitFrom, true, -1);
    this.starts.add(leaf, -1);
    const edits: WireFreeListEdit[] = [
      { order: splitFrom, removed: Float64Array.of(offset), pushed: NO_OFFSETS, head: '', lastNext: NEXT_NULL },
    ];
    const codes = [blockCode(order, WireBlockState.Allocated)];
    for (let k = order; k < splitFrom; k++) {
      const half = offset + this.heap.orderSize(k);
      this.starts.add(this.leafOf(half), 1);
      edits.push({ order: k, removed: NO_OFFSETS, pushed: Float64Array.of(half), head: '', lastNext: NEXT_NULL });
      codes.push(blockCode(k, WireBlockState.Free));
    }
    this.tally(1, leaf, splitFrom, order < splitFrom, order < splitFrom ? order : -1);
    const labelsChanged = allocation.owner ? this.countOwner(allocation.owner, 1) : false;
    if (this.labels.length > MAX_OWNERS) return undefined;
    const owners = new Uint16Array(codes.length);
    owners[0] = allocation.owner ? this.labels.indexOf(allocation.owner) + 1 : 0;
    this.stats = this.currentStats();
    const changes = new ChangeListBuilder(this.heap.orderSize(0));
    if (splitFrom > order) changes.push(offset, splitFrom, ChangeKind.Split);
    changes.push(offset, order, ChangeKind.Allocated);
    return {
      patch: {
        offset,
        order: splitFrom,
        codes: Uint8Array.from(codes),
        owners,
        freedAllocations: NO_OFFSETS,
        newAllocations: {
          offsets: Float64Array.of(offset),
          sizes: Float64Array.of(Number(allocation.size)),
          alignLog2: Uint8Array.of(log2Floor(allocation.align)),
        },
        freeLists: this.withHeads(edits),
        stats: this.stats,
        findings: [],
        ...(labelsChanged ? { ownerLabels: [...this.labels] } : {}),
      },
      diff: diffOfChanges(changes.build(), this.heap.orderSize(0), before, this.stats),
    };
  }

  /** After `heap.deallocate` succeeded with this result. */
  afterFree(step: FreedStep): StepChange | undefined {
    const { offset, order, mergedOffset, mergedOrder } = step;
    const before = this.stats;
    const mergedLeaf = this.leafOf(mergedOffset);
    this.tally(-1, mergedLeaf, mergedOrder, mergedOrder > order, mergedOrder > order ? order : -1);
    const edits: WireFreeListEdit[] = [];
    let block = this.leafOf(offset);
    for (let k = order; k < mergedOrder; k++) {
      const buddy = block ^ (1 << k);
      this.starts.add(buddy, -1);
      edits.push({ order: k, removed: Float64Array.of(buddy * this.heap.orderSize(0)), pushed: NO_OFFSETS, head: '', lastNext: NEXT_NULL });
      block = Math.min(block, buddy);
    }
    this.starts.add(mergedLeaf, 1);
    edits.push({ order: mergedOrder, removed: NO_OFFSETS, pushed: Float64Array.of(mergedOffset), head: '', lastNext: NEXT_NULL });
    this.tally(1, mergedLeaf, mergedOrder, true, -1);
    const labelsChanged = step.owner ? this.countOwner(step.owner, -1) : false;
    this.stats = this.currentStats();
    const changes = new ChangeListBuilder(this.heap.orderSize(0));
    if (mergedOrder > order) changes.push(mergedOffset, mergedOrder, ChangeKind.Merged);
    changes.push(offset, order, ChangeKind.Freed);
    return {
      patch: {
        offset: mergedOffset,
        order: mergedOrder,
        codes: Uint8Array.of(blockCode(mergedOrder, WireBlockState.Free)),
        owners: new Uint16Array(1),
        freedAllocations: Float64Array.of(offset),
        newAllocations: { offsets: NO_OFFSETS, sizes: NO_OFFSETS, alignLog2: new Uint8Array(0) },
        freeLists: this.withHeads(edits),
        stats: this.stats,
        findings: [],
        ...(labelsChanged ? { ownerLabels: [...this.labels] } : {}),
      },
      diff: diffOfChanges(changes.build(), this.heap.orderSize(0), before, this.stats),
    };
  }

  /** The diff of a step that changed nothing (a refused operation). */
  unchanged(): ComparableDiff {
    return diffOfChanges(new ChangeListBuilder(this.heap.orderSize(0)).build(), this.heap.orderSize(0), this.stats, this.stats);
  }

  private leafOf(offset: number): number {
    return offset / this.heap.orderSize(0);
  }

  /**
   * Adds `sign` for each decoder-allocated block among those that can change when only the block
   * at (`leaf`, `order`) changes: the blocks on its path to the whole heap and their siblings (whose
   * own contents are unchanged), plus `inside` (an allocated block's order within it, or -1).
   */
  private tally(sign: number, leaf: number, order: number, holdsFree: boolean, inside: number): void {
    const top = this.heap.orders - 1;
    const allocated = this.allocatedPerOrder;
    if (inside >= 0) allocated[inside]! += sign;
    let node = leaf;
    let nodeHoldsFree = holdsFree;
    for (let k = order; k <= top; k++) {
      if (k === top) {
        if (!nodeHoldsFree) allocated[k]! += sign;
        break;
      }
      const sibling = node ^ (1 << k);
      const siblingHoldsFree = this.starts.countIn(sibling, sibling + 2 ** k) > 0;
      const parentHoldsFree = nodeHoldsFree || siblingHoldsFree;
      if (!nodeHoldsFree && parentHoldsFree) allocated[k]! += sign;
      if (!siblingHoldsFree && parentHoldsFree) allocated[k]! += sign;
      nodeHoldsFree = parentHoldsFree;
      node = Math.min(node, sibling);
    }
  }

  /** True when the label set changed. */
  private countOwner(owner: string, delta: number): boolean {
    const n = (this.ownerCounts.get(owner) ?? 0) + delta;
    if (n > 0) this.ownerCounts.set(owner, n);
    else this.ownerCounts.delete(owner);
    if ((n === 1 && delta > 0) || n === 0) {
      this.labels = [...this.ownerCounts.keys()].sort();
      return true;
    }
    return false;
  }

  /** Each edited list's head now, and its last `next` word as the decoder reports it. */
  private withHeads(edits: readonly WireFreeListEdit[]): WireFreeListEdit[] {
    const heads = this.heap.structFields().freeLists;
    const top = this.heap.orders - 1;
    return edits.map(edit => ({
      ...edit,
      head: hex(heads[edit.order]!),
      // The crate never reads the whole-heap block's `next`, and neither does the decoder.
      lastNext: edit.order === top && heads[edit.order] !== 0n ? NEXT_UNREADABLE : NEXT_NULL,
    }));
  }

  /** The decoder's statistics of the heap now, from the list counts and the tallies. */
  private currentStats(): HeapStats {
    const heap = this.heap;
    const freeBytes = heap.freeBytes();
    const largest = heap.largestFreeBlock();
    return {
      heapSize: heap.size,
      freeBytes,
      allocatedBytes: heap.size - freeBytes,
      unknownBytes: 0,
      largestFreeBlock: largest,
      fragmentation: freeBytes === 0 ? 0 : 1 - largest / freeBytes,
      largestAllocatable: largest,
      perOrder: Array.from(this.allocatedPerOrder, (allocatedBlocks, order) => ({
        order,
        blockSize: heap.orderSize(order),
        freeBlocks: heap.freeCount(order),
        allocatedBlocks,
      })),
    };
  }
}
