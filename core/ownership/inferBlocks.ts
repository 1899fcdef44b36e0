// Allocations inside spans. The decoder's allocated span is the largest buddy-aligned block holding
// no free block, so it may hold several allocations; buddy allocations tile it exactly, each aligned
// to its own size. A pointer to a minimum-block boundary inside the span is read as "an allocation
// likely starts here" (a pointer into the middle of an allocation that happens to fall on such a
// boundary cannot be told apart, hence "likely"). Each piece between such starts is cut into the
// largest aligned blocks that fit: the first is the allocation pointed to (its size is an upper
// bound), the rest are allocated bytes no pointer names the start of. A fat pointer's length says
// which bytes lie in one allocation, so no start is inferred inside them.
import { BlockState } from '../decoder/types';
import { POW2 } from '../util/powersOfTwo';
import { grown } from '../util/typedArrays';
import type { HeapTargets } from './heapTargets';
import type { HeapReferenceColumns, RootReference } from './rawReferences';
import { type Confidence, InferenceReason } from './types';

export interface InferredBlocks {
  readonly count: number;
  /** Heap offsets, ascending; the blocks tile the allocated spans exactly. */
  readonly offsets: Float64Array;
  readonly orders: Uint8Array;
  /** InferenceReason per block. */
  readonly reasons: Uint8Array;
  /** The decoded table's span each block lies in. */
  readonly spans: Float64Array;
}

const ALLOCATED: number = BlockState.Allocated;

/** Indexed by InferenceReason. */
export const CONFIDENCE_OF_REASON: readonly Confidence[] = ['exact', 'span-only', 'likely', 'likely', 'span-only'];

export function inferBlocks(targets: HeapTargets, roots: readonly RootReference[], heap: HeapReferenceColumns): InferredBlocks {
  const starts = allocationStarts(targets, roots, heap);
  const out = new BlockColumns(targets.view.blocks.count + starts.length * 2);
  const { offsets, states, count } = targets.view.blocks;
  const minBlock = targets.minBlock;
  const topOrder = targets.view.orders - 1;
  let next = 0;
  for (let span = 0; span < count; span++) {
    if (states[span] !== ALLOCATED) continue;
    const start = offsets[span]!;
    const end = start + targets.spanSize(span);
    while (next < starts.length && starts[next]! <= start) next++;
    if (next >= starts.length || starts[next]! >= end) {
      const reason = end - start === minBlock ? InferenceReason.MinimumBlock : InferenceReason.WholeSpan;
      out.push(start, targets.view.blocks.orders[span]!, reason, span);
      continue;
    }
    let pieceStart = start;
    let reason = InferenceReason.SpanStart;
    while (pieceStart < end) {
      const pieceEnd = next < starts.length && starts[next]! < end ? starts[next]! : end;
      out.pushPiece(pieceStart / minBlock, pieceEnd / minBlock, topOrder, minBlock, reason, span);
      pieceStart = pieceEnd;
      reason = InferenceReason.PointedTo;
      if (pieceEnd < end) next++;
    }
  }
  return out.build();
}

/**
 * Heap offsets where an allocation likely starts, ascending and unique: minimum-block boundaries
 * that some word points to, strictly inside their span, and not inside the bytes a fat pointer covers.
 */
function allocationStarts(targets: HeapTargets, roots: readonly RootReference[], heap: HeapReferenceColumns): Float64Array {
  const minBlock = targets.minBlock;
  const candidates = new Float64Array(roots.length + heap.count);
  let n = 0;
  const consider = (target: number, span: number): void => {
    if (target % minBlock === 0 && target > targets.spanStart(span)) candidates[n++] = target;
  };
  for (const ref of roots) consider(ref.target, ref.span);
  for (let i = 0; i < heap.count; i++) consider(heap.targets[i]!, heap.spans[i]!);
  const sorted = candidates.subarray(0, n).sort();
  const covered = coveredRanges(targets, roots);
  let kept = 0;
  let range = 0;
  let coveredEnd = -1;
  for (let i = 0; i < sorted.length; i++) {
    const at = sorted[i]!;
    if (kept > 0 && sorted[kept - 1] === at) continue;
    // Ranges starting before `at` (never at it: a fat pointer to a block start does not hide that start).
    while (range < covered.length && covered[range]![0] < at) coveredEnd = Math.max(coveredEnd, covered[range++]![1]);
    if (at < coveredEnd) continue;
    sorted[kept++] = at;
  }
  return sorted.subarray(0, kept);
}

/**
 * Bytes known to lie in one allocation: from a fat pointer's target over its length, widened to the
 * whole buddy block when the target is aligned for it (an allocation starting there is at least
 * that large), and never past the span.
 */
function coveredRanges(targets: HeapTargets, roots: readonly RootReference[]): [number, number][] {
  const ranges: [number, number][] = [];
  for (const ref of roots) {
    if (ref.extent === 0) continue;
    let block = targets.minBlock;
    while (block < ref.extent) block *= 2;
    const end = ref.target % block === 0 ? ref.target + block : ref.target + ref.extent;
    ranges.push([ref.target, Math.min(end, targets.spanStart(ref.span) + targets.spanSize(ref.span))]);
  }
  return ranges.sort((a, b) => a[0] - b[0]);
}

class BlockColumns {
  private count = 0;
  private offsets: Float64Array;
  private orders: Uint8Array;
  private reasons: Uint8Array;
  private spans: Float64Array;

  constructor(expected: number) {
    const n = Math.max(expected, 16);
    this.offsets = new Float64Array(n);
    this.orders = new Uint8Array(n);
    this.reasons = new Uint8Array(n);
    this.spans = new Float64Array(n);
  }

  push(offset: number, order: number, reason: InferenceReason, span: number): void {
    if (this.count === this.offsets.length) {
      const capacity = this.count * 2;
      this.offsets = grown(this.offsets, capacity);
      this.orders = grown(this.orders, capacity);
      this.reasons = grown(this.reasons, capacity);
      this.spans = grown(this.spans, capacity);
    }
    const i = this.count++;
    this.offsets[i] = offset;
    this.orders[i] = order;
    this.reasons[i] = reason;
    this.spans[i] = span;
  }

  /** Leaves [from, to) as the largest aligned blocks that fit: the first gets `first`, the rest are remainders. */
  pushPiece(from: number, to: number, topOrder: number, minBlock: number, first: InferenceReason, span: number): void {
    let leaf = from;
    let reason = first;
    while (leaf < to) {
      const aligned = leaf === 0 ? topOrder : Math.min(31 - Math.clz32(leaf & -leaf), topOrder);
      const order = Math.min(aligned, 31 - Math.clz32(to - leaf));
      this.push(leaf * minBlock, order, reason, span);
      leaf += POW2[order]!;
      reason = InferenceReason.Remainder;
    }
  }

  build(): InferredBlocks {
    const n = this.count;
    return {
      count: n,
      offsets: this.offsets.slice(0, n),
      orders: this.orders.slice(0, n),
      reasons: this.reasons.slice(0, n),
      spans: this.spans.slice(0, n),
    };
  }
}
