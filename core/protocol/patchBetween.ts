// The patch that turns one view of a heap into another, when there is one: for sources that build
// whole views (a live stop, a step through the history) but whose webview already holds the view
// before. The blocks that differ are covered by the smallest buddy block whose edges are block
// edges in both views; everything outside it must be the same (allocations, owners), and each free
// list must read as the old one with entries removed and new ones pushed at its head. Otherwise
// (another heap, an ownership scan, a list reordered some other way) the whole view is sent.
import { HeapViewModel, NEXT_RAW, WireAllocations, WireFreeList, blockLeafStarts, codeOrder } from './viewModel';
import type { WireFreeListEdit, WireViewPatch } from './viewPatch';
import { POW2 } from '../util/powersOfTwo';
import { lowerBound } from '../util/typedArrays';

export function patchBetween(before: HeapViewModel, after: HeapViewModel): WireViewPatch | undefined {
  if (before.ownership || after.ownership || !sameLayout(before, after) || after.blocks.count === 0 || before.blocks.count === 0)
    return undefined;
  if (before === after) return unchangedPatch(after);
  const labelsSame = sameStrings(before.ownerLabels, after.ownerLabels);
  const ownerSame = (i: number, j: number): boolean => {
    const a = before.blocks.owners[i]!;
    const b = after.blocks.owners[j]!;
    return labelsSame ? a === b : (a === 0 ? undefined : before.ownerLabels[a - 1]) === (b === 0 ? undefined : after.ownerLabels[b - 1]);
  };
  const n = before.blocks.count;
  const m = after.blocks.count;
  const bc = before.blocks.codes;
  const ac = after.blocks.codes;
  // Equal blocks from the start, then from the end (the same codes cover the same leaves).
  let head = 0;
  let headLeaves = 0;
  while (head < n && head < m && bc[head] === ac[head] && ownerSame(head, head)) headLeaves += POW2[codeOrder(bc[head++]!)]!;
  let tail = 0;
  let tailLeaves = 0;
  while (tail < n - head && tail < m - head && bc[n - 1 - tail] === ac[m - 1 - tail] && ownerSame(n - 1 - tail, m - 1 - tail))
    tailLeaves += POW2[codeOrder(bc[n - 1 - tail++]!)]!;
  const totalLeaves = before.layout.size / before.layout.minBlockSize;
  const beforeStarts = blockLeafStarts(bc, n);
  const afterStarts = blockLeafStarts(ac, m);
  // The changed leaves, or (nothing but lists, statistics or findings changed) the first block.
  const from = head < n || head < m ? headLeaves : 0;
  const to = head < n || head < m ? totalLeaves - tailLeaves : POW2[codeOrder(bc[0]!)]!;
  const region = coveringBlock(from, Math.max(to, from + 1), beforeStarts, n, afterStarts, m, totalLeaves);
  if (!region) return undefined;
  const { leaf, order } = region;
  const [bFirst, bLast] = blockRange(beforeStarts, n, leaf, leaf + POW2[order]!);
  const [aFirst, aLast] = blockRange(afterStarts, m, leaf, leaf + POW2[order]!);
  const allocations = allocationChanges(before, after, beforeStarts, afterStarts, [bFirst, bLast], [aFirst, aLast]);
  if (!allocations) return undefined;
  const freeLists: WireFreeListEdit[] = [];
  if (before.freeLists.length !== after.freeLists.length) return undefined;
  for (let k = 0; k < after.freeLists.length; k++) {
    const edit = listEdit(before.freeLists[k]!, after.freeLists[k]!);
    if (edit === false) return undefined;
    if (edit) freeLists.push(edit);
  }
  const owners = new Uint16Array(aLast - aFirst);
  owners.set(after.blocks.owners.subarray(aFirst, aLast));
  return {
    offset: leaf * before.layout.minBlockSize,
    order,
    codes: ac.slice(aFirst, aLast),
    owners,
    freedAllocations: allocations.freed,
    newAllocations: allocations.added,
    freeLists,
    stats: after.stats,
    findings: after.findings,
    ...(labelsSame ? {} : { ownerLabels: after.ownerLabels }),
  };
}

/**
 * The patch from a view to itself (a stop that changed nothing), as the walk below finds it with
 * nothing changed: the first block rewritten as it is, no allocation or list edits.
 */
function unchangedPatch(view: HeapViewModel): WireViewPatch {
  const owners = new Uint16Array(1);
  owners[0] = view.blocks.owners[0]!;
  return {
    offset: 0,
    order: codeOrder(view.blocks.codes[0]!),
    codes: view.blocks.codes.slice(0, 1),
    owners,
    freedAllocations: new Float64Array(0),
    newAllocations: { offsets: new Float64Array(0), sizes: new Float64Array(0), alignLog2: new Uint8Array(0) },
    freeLists: [],
    stats: view.stats,
    findings: view.findings,
  };
}

function sameLayout(a: HeapViewModel, b: HeapViewModel): boolean {
  const x = a.layout;
  const y = b.layout;
  return (
    x.base === y.base &&
    x.size === y.size &&
    x.orders === y.orders &&
    x.minBlockSize === y.minBlockSize &&
    x.pointerWidth === y.pointerWidth &&
    x.endianness === y.endianness
  );
}

function sameStrings(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((s, i) => s === b[i]);
}

/** Whether `leaf` is where a block starts (or the heap ends) in a view. */
function isEdge(starts: Float64Array, n: number, leaf: number, totalLeaves: number): boolean {
  if (leaf === totalLeaves) return true;
  const i = lowerBound(starts, n, leaf);
  return i < n && starts[i] === leaf;
}

/** The smallest buddy block holding leaves [from, to) whose edges are block edges in both views. */
function coveringBlock(
  from: number,
  to: number,
  beforeStarts: Float64Array,
  n: number,
  afterStarts: Float64Array,
  m: number,
  totalLeaves: number,
): { leaf: number; order: number } | undefined {
  for (let order = 0; POW2[order]! <= totalLeaves; order++) {
    const size = POW2[order]!;
    const leaf = Math.floor(from / size) * size;
    if (leaf + size < to) continue;
    const end = leaf + size;
    const edge = (starts: Float64Array, count: number, at: number) => isEdge(starts, count, at, totalLeaves);
    if (edge(beforeStarts, n, leaf) && edge(beforeStarts, n, end) && edge(afterStarts, m, leaf) && edge(afterStarts, m, end))
      return { leaf, order };
  }
  return undefined;
}

function blockRange(starts: Float64Array, n: number, from: number, to: number): [number, number] {
  return [lowerBound(starts, n, from), lowerBound(starts, n, to)];
}

/**
 * Allocations freed and begun inside the region; undefined when those outside it differ (the patch
 * keeps them as they are) or one inside it survives with another request.
 */
function allocationChanges(
  before: HeapViewModel,
  after: HeapViewModel,
  beforeStarts: Float64Array,
  afterStarts: Float64Array,
  [bFirst, bLast]: [number, number],
  [aFirst, aLast]: [number, number],
): { freed: Float64Array; added: WireViewPatch['newAllocations'] } | undefined {
  const b = before.allocations;
  const a = after.allocations;
  const minBlock = before.layout.minBlockSize;
  const bIn = range(b, bFirst, bLast);
  const aIn = range(a, aFirst, aLast);
  // Outside: the same requests on the same blocks (after the region, shifted by its block count change).
  if (bIn[0] !== aIn[0] || b.count - bIn[1] !== a.count - aIn[1]) return undefined;
  const shift = aLast - aFirst - (bLast - bFirst);
  for (let i = 0; i < bIn[0]; i++) if (!sameRequest(b, i, a, i, 0)) return undefined;
  for (let i = bIn[1], j = aIn[1]; i < b.count; i++, j++) if (!sameRequest(b, i, a, j, shift)) return undefined;
  const afterByOffset = new Map<number, number>();
  for (let j = aIn[0]; j < aIn[1]; j++) afterByOffset.set(afterStarts[a.blocks[j]!]! * minBlock, j);
  const freed: number[] = [];
  for (let i = bIn[0]; i < bIn[1]; i++) {
    const offset = beforeStarts[b.blocks[i]!]! * minBlock;
    const j = afterByOffset.get(offset);
    if (j !== undefined && a.sizes[j] === b.sizes[i] && a.alignLog2[j] === b.alignLog2[i]) afterByOffset.delete(offset);
    else freed.push(offset);
  }
  const added = [...afterByOffset.entries()].sort((x, y) => x[0] - y[0]);
  return {
    freed: Float64Array.from(freed),
    added: {
      offsets: Float64Array.from(added, ([offset]) => offset),
      sizes: Float64Array.from(added, ([, j]) => a.sizes[j]!),
      alignLog2: Uint8Array.from(added, ([, j]) => a.alignLog2[j]!),
    },
  };
}

/** Allocations whose blocks lie in [first, last): [start, end) in their columns (block order). */
function range(allocations: WireAllocations, first: number, last: number): [number, number] {
  return [lowerBound(allocations.blocks, allocations.count, first), lowerBound(allocations.blocks, allocations.count, last)];
}

function sameRequest(b: WireAllocations, i: number, a: WireAllocations, j: number, shift: number): boolean {
  return b.blocks[i]! + shift === a.blocks[j] && b.sizes[i] === a.sizes[j] && b.alignLog2[i] === a.alignLog2[j];
}

/** The edit from one list to the other; undefined when unchanged, false when no edit can say it. */
function listEdit(before: WireFreeList, after: WireFreeList): WireFreeListEdit | undefined | false {
  if (before.order !== after.order || before.blockSize !== after.blockSize || before.broken !== after.broken) return false;
  if (after.lastNext === NEXT_RAW) return sameList(before, after) ? undefined : false;
  if (sameList(before, after)) return undefined;
  // A list that holds an entry twice (a corrupt heap's loop) cannot be edited by offsets.
  if (new Set(before.offsets).size !== before.offsets.length || new Set(after.offsets).size !== after.offsets.length) return false;
  const present = new Set(after.offsets);
  const kept = before.offsets.filter(offset => present.has(offset));
  const removed = before.offsets.filter(offset => !present.has(offset));
  const pushedCount = after.offsets.length - kept.length;
  if (pushedCount < 0) return false;
  for (let k = 0; k < kept.length; k++) if (after.offsets[pushedCount + k] !== kept[k]) return false;
  // Pushed in order: the last pushed is the head.
  const pushed = new Float64Array(pushedCount);
  for (let k = 0; k < pushedCount; k++) pushed[k] = after.offsets[pushedCount - 1 - k]!;
  return { order: after.order, removed, pushed, head: after.head, lastNext: after.lastNext };
}

function sameList(a: WireFreeList, b: WireFreeList): boolean {
  if (a.head !== b.head || a.lastNext !== b.lastNext || a.lastRaw !== b.lastRaw || a.offsets.length !== b.offsets.length) return false;
  for (let i = 0; i < a.offsets.length; i++) if (a.offsets[i] !== b.offsets[i]) return false;
  return true;
}
