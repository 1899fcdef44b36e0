// What changed between two views of one heap. Both tables tile the same buddy tree, so any two
// overlapping blocks are nested: walking both in address order splits the heap into groups, each
// one block on one side holding one or more blocks on the other. Each group is classified:
//
// - Same block on both sides: free → allocated is Allocated, allocated → free is Freed.
// - A free block before, smaller blocks after: Split of that block when some of it is still free,
//   plus Allocated for each allocated piece (free 64 → allocated 16 + free 16 + free 32 is a Split
//   of the 64 and an Allocated 16).
// - A free block after, smaller blocks before: Merged when some of them were free, plus Freed for
//   each piece that was allocated (freeing 16 next to a free 16 is a Freed 16 and a Merged 32).
// - An allocated span before, smaller blocks after: Freed for each piece now free.
// - An allocated span after, smaller blocks before: Allocated for each piece that was free.
// - Unknown: a piece that is unknown on the other side is Uncertain; a group whose larger block is
//   unknown is one Uncertain over it, unless it is unknown on both sides (nothing known changed).
import type { HeapStats, HeapView } from '../decoder/types';
import { BlockState } from '../decoder/types';
import { ChangeKind, ChangeList, ChangeListBuilder } from './changeList';
import { OrderCountChange, summarize } from './diffSummary';
import { POW2 as POW2_TABLE } from '../util/powersOfTwo';

export { ChangeKind, CHANGE_KIND_NAMES } from './changeList';
export type { ChangeList, ChangeName } from './changeList';
export type { OrderCountChange } from './diffSummary';

export interface KindTotal {
  readonly count: number;
  readonly bytes: number;
}

export interface ComparableDiff {
  readonly comparable: true;
  /** Every change in address order (a Split or Merged before the pieces inside it). */
  readonly changes: ChangeList;
  /** Count and bytes per kind, indexed by ChangeKind. */
  readonly totals: readonly KindTotal[];
  readonly perOrder: readonly OrderCountChange[];
  readonly freeBytesBefore: number;
  readonly freeBytesAfter: number;
  /** One line for a status bar or a history entry. */
  readonly summary: string;
}

export interface IncomparableDiff {
  readonly comparable: false;
  readonly reason: string;
  readonly summary: string;
}

export type HeapDiff = ComparableDiff | IncomparableDiff;

// Read once: esbuild's CommonJS exports are getters, too slow to call per block.
const POW2: Float64Array = POW2_TABLE;
const FREE: number = BlockState.Free;
const ALLOCATED: number = BlockState.Allocated;
const UNKNOWN: number = BlockState.Unknown;

/** The diff of a view with itself, per view: a stop that changed nothing diffs its view with the last one. */
const unchangedDiffs = new WeakMap<HeapView, HeapDiff>();

export function diffViews(before: HeapView, after: HeapView): HeapDiff {
  if (before !== after) return diffOfViews(before, after);
  // Views are immutable: the same view twice always diffs alike.
  let diff = unchangedDiffs.get(after);
  if (!diff) unchangedDiffs.set(after, (diff = diffOfViews(after, after)));
  return diff;
}

function diffOfViews(before: HeapView, after: HeapView): HeapDiff {
  const reason = incomparability(before, after);
  if (reason) return { comparable: false, reason, summary: `not comparable: ${reason}` };
  const changes = new ChangeListBuilder(before.minBlockSize);
  const tiled = sweep(before, after, changes);
  if (!tiled)
    return {
      comparable: false,
      reason: 'the block tables do not tile the same heap',
      summary: 'not comparable: the block tables do not tile the same heap',
    };
  return diffOfChanges(changes.build(), before.minBlockSize, before.stats, after.stats);
}

/**
 * A comparable diff from its change list and the statistics on either side (also how a simulated
 * step's diff is made from the operation, without walking the heap).
 */
export function diffOfChanges(list: ChangeList, minBlock: number, before: HeapStats, after: HeapStats): ComparableDiff {
  const totals = totalsOf(list, minBlock);
  const perOrder = before.perOrder.map((b, order): OrderCountChange => {
    const a = after.perOrder[order]!;
    return {
      order,
      blockSize: b.blockSize,
      freeBefore: b.freeBlocks,
      freeAfter: a.freeBlocks,
      allocatedBefore: b.allocatedBlocks,
      allocatedAfter: a.allocatedBlocks,
    };
  });
  return {
    comparable: true,
    changes: list,
    totals,
    perOrder,
    freeBytesBefore: before.freeBytes,
    freeBytesAfter: after.freeBytes,
    summary: summarize(totals, perOrder, before.freeBytes, after.freeBytes),
  };
}

function incomparability(before: HeapView, after: HeapView): string | undefined {
  if (before.blocks.count === 0 || after.blocks.count === 0) return 'a view has no blocks (its snapshot was refused)';
  if (
    before.heapBase !== after.heapBase ||
    before.heapSize !== after.heapSize ||
    before.orders !== after.orders ||
    before.minBlockSize !== after.minBlockSize
  ) {
    return `the views are of different heaps (${before.heapSize} bytes in ${before.orders} orders vs ${after.heapSize} bytes in ${after.orders} orders)`;
  }
  return undefined;
}

/** Walks both tables group by group; false when they do not tile the heap alike. */
function sweep(before: HeapView, after: HeapView, changes: ChangeListBuilder): boolean {
  const b = before.blocks;
  const a = after.blocks;
  const minBlock = before.minBlockSize;
  let i = 0;
  let j = 0;
  while (i < b.count && j < a.count) {
    if (b.offsets[i] !== a.offsets[j]) return false;
    const orderBefore = b.orders[i]!;
    const orderAfter = a.orders[j]!;
    if (orderBefore === orderAfter) {
      classifySame(b.offsets[i]!, orderBefore, b.states[i]!, a.states[j]!, changes);
      i++;
      j++;
    } else if (orderBefore > orderAfter) {
      const end = b.offsets[i]! + minBlock * POW2[orderBefore]!;
      const last = lastInside(a, j, end, minBlock);
      if (last < 0) return false;
      classifyNested(b.offsets[i]!, orderBefore, b.states[i]!, a, j, last, 'before', changes);
      i++;
      j = last + 1;
    } else {
      const end = a.offsets[j]! + minBlock * POW2[orderAfter]!;
      const last = lastInside(b, i, end, minBlock);
      if (last < 0) return false;
      classifyNested(a.offsets[j]!, orderAfter, a.states[j]!, b, i, last, 'after', changes);
      j++;
      i = last + 1;
    }
  }
  return i === b.count && j === a.count;
}

/** Index of the last block from `first` that ends by `end`; -1 when one runs past it. */
function lastInside(blocks: HeapView['blocks'], first: number, end: number, minBlock: number): number {
  let k = first;
  for (;;) {
    const blockEnd = blocks.offsets[k]! + minBlock * POW2[blocks.orders[k]!]!;
    if (blockEnd === end) return k;
    if (blockEnd > end || k + 1 >= blocks.count) return -1;
    k++;
  }
}

function classifySame(offset: number, order: number, was: number, now: number, changes: ChangeListBuilder): void {
  if (was === now) return;
  if (was === UNKNOWN || now === UNKNOWN) changes.push(offset, order, ChangeKind.Uncertain);
  else changes.push(offset, order, now === ALLOCATED ? ChangeKind.Allocated : ChangeKind.Freed);
}

/**
 * One block (`outerState`, on the `outerSide` side) holding the other side's blocks first..last.
 * See the rules at the top of the file.
 */
function classifyNested(
  offset: number,
  order: number,
  outerState: number,
  inner: HeapView['blocks'],
  first: number,
  last: number,
  outerSide: 'before' | 'after',
  changes: ChangeListBuilder,
): void {
  if (outerState === UNKNOWN) {
    let anyKnown = false;
    for (let k = first; k <= last; k++) anyKnown ||= inner.states[k] !== UNKNOWN;
    if (anyKnown) changes.push(offset, order, ChangeKind.Uncertain);
    return;
  }
  let anyFree = false;
  for (let k = first; k <= last; k++) anyFree ||= inner.states[k] === FREE;
  if (outerState === FREE && anyFree) changes.push(offset, order, outerSide === 'before' ? ChangeKind.Split : ChangeKind.Merged);
  for (let k = first; k <= last; k++) {
    const state = inner.states[k]!;
    if (state === outerState) continue;
    const innerOffset = inner.offsets[k]!;
    const innerOrder = inner.orders[k]!;
    if (state === UNKNOWN) changes.push(innerOffset, innerOrder, ChangeKind.Uncertain);
    // The piece's state now (after) is `state` when the outer block is the before side.
    else if (outerSide === 'before') changes.push(innerOffset, innerOrder, state === ALLOCATED ? ChangeKind.Allocated : ChangeKind.Freed);
    else changes.push(innerOffset, innerOrder, outerState === ALLOCATED ? ChangeKind.Allocated : ChangeKind.Freed);
  }
}

function totalsOf(list: ChangeList, minBlock: number): KindTotal[] {
  const counts = [0, 0, 0, 0, 0];
  const bytes = [0, 0, 0, 0, 0];
  for (let k = 0; k < list.count; k++) {
    const kind = list.kinds[k]!;
    counts[kind]!++;
    bytes[kind]! += minBlock * POW2[list.orders[k]!]!;
  }
  return counts.map((count, kind) => ({ count, bytes: bytes[kind]! }));
}
