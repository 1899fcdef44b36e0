// Applies a WireViewPatch to the view the webview holds: the blocks inside the patched buddy block
// are spliced out for the patch's, later block references shift by the difference, and the free
// lists, allocations and small parts follow. Pure and shared, so the host's tests prove that a
// patched view equals the view built from scratch. Costs copies of the columns (memcpy speed), no
// per-block work outside the patched block except re-indexing allocations behind it.
import { HeapViewModel, WireAllocations, WireFreeList, codeOrder } from './viewModel';
import type { WireFreeListEdit, WireViewPatch } from './viewPatch';
import { POW2 } from '../util/powersOfTwo';
import { lowerBound } from '../util/typedArrays';

export interface PatchedView {
  readonly view: HeapViewModel;
  /** First leaf of each block of the patched view (HeapIndex.leafStart). */
  readonly leafStart: Float64Array;
  /** Index of the first patched block and how many blocks the patch put there. */
  readonly first: number;
  readonly inserted: number;
}

export type PatchOutcome = { readonly ok: true; readonly patched: PatchedView } | { readonly ok: false; readonly error: string };

/** `leafStart`: the view's block starts in leaves (prefix sums of block sizes), as HeapIndex keeps them. */
export function applyViewPatch(view: HeapViewModel, leafStart: Float64Array, patch: WireViewPatch): PatchOutcome {
  if (view.ownership) return fail('a view with an ownership scan is only ever sent whole');
  const { minBlockSize, orders } = view.layout;
  if (minBlockSize <= 0 || patch.order >= orders) return fail(`order ${patch.order} is not an order of this heap`);
  const regionLeaves = POW2[patch.order]!;
  const regionLeaf = patch.offset / minBlockSize;
  if (!Number.isInteger(regionLeaf) || regionLeaf % regionLeaves !== 0 || (regionLeaf + regionLeaves) * minBlockSize > view.layout.size)
    return fail(`offset ${patch.offset} is not the start of an order-${patch.order} block of this heap`);
  const count = view.blocks.count;
  const first = lowerBound(leafStart, count, regionLeaf);
  const last = lowerBound(leafStart, count, regionLeaf + regionLeaves);
  if (first >= count || leafStart[first] !== regionLeaf) return fail(`no block starts at offset ${patch.offset}`);
  if (last < count && leafStart[last] !== regionLeaf + regionLeaves) return fail(`a block crosses the end of the patched block`);
  const labels = (patch.ownerLabels ?? view.ownerLabels).length;
  let patchLeaves = 0;
  for (let i = 0; i < patch.codes.length; i++) {
    const code = patch.codes[i]!;
    if (codeOrder(code) >= orders || code >> 5 > 2 || patch.owners[i]! > labels)
      return fail(`its block ${i} has a bad order, state or owner`);
    patchLeaves += POW2[codeOrder(code)]!;
  }
  if (patchLeaves !== regionLeaves) return fail(`the patch's blocks cover ${patchLeaves} leaves, not the ${regionLeaves} they replace`);

  const inserted = patch.codes.length;
  const removed = last - first;
  const n = count - removed + inserted;
  const codes = new Uint8Array(n);
  codes.set(view.blocks.codes.subarray(0, first));
  codes.set(patch.codes, first);
  codes.set(view.blocks.codes.subarray(last, count), first + inserted);
  const owners = spliceOwners(view, patch, first, last, n);
  const starts = new Float64Array(n);
  starts.set(leafStart.subarray(0, first));
  for (let i = 0, leaf = regionLeaf; i < inserted; i++) {
    starts[first + i] = leaf;
    leaf += POW2[codeOrder(patch.codes[i]!)]!;
  }
  starts.set(leafStart.subarray(last, count), first + inserted);

  const allocations = spliceAllocations(view, leafStart, starts, patch, first, last, inserted);
  if (typeof allocations === 'string') return fail(allocations);
  const freeLists: WireFreeList[] = [];
  for (const list of view.freeLists) {
    const edit = patch.freeLists.find(e => e.order === list.order);
    const edited = edit ? editedList(list, edit) : list;
    if (typeof edited === 'string') return fail(edited);
    freeLists.push(edited);
  }
  return {
    ok: true,
    patched: {
      view: {
        layout: view.layout,
        blocks: { count: n, codes, owners },
        freeLists,
        stats: patch.stats,
        findings: patch.findings,
        allocations,
        ownerLabels: patch.ownerLabels ?? view.ownerLabels,
      },
      leafStart: starts,
      first,
      inserted,
    },
  };
}

function fail(reason: string): PatchOutcome {
  return { ok: false, error: `the view patch does not fit the view shown: ${reason}` };
}

function spliceOwners(view: HeapViewModel, patch: WireViewPatch, first: number, last: number, n: number): Uint16Array {
  const old = view.blocks.owners;
  const owners = new Uint16Array(n);
  const labels = patch.ownerLabels;
  if (!labels) {
    owners.set(old.subarray(0, first));
    owners.set(old.subarray(last, view.blocks.count), first + patch.owners.length);
  } else {
    // The label set changed: indices are positions in the sorted set, so every owner is remapped.
    const newIndex = new Map(labels.map((label, i) => [label, i + 1]));
    const remap = Uint16Array.from([0, ...view.ownerLabels.map(label => newIndex.get(label) ?? 0)]);
    for (let i = 0; i < first; i++) owners[i] = remap[old[i]!]!;
    for (let i = last, j = first + patch.owners.length; i < view.blocks.count; i++, j++) owners[j] = remap[old[i]!]!;
  }
  owners.set(patch.owners, first);
  return owners;
}

/**
 * Allocations stay in address order: those before the patched block keep their block index, those
 * inside it are dropped when freed or re-found among the patch's blocks, new ones are placed, and
 * those after it shift by the change in block count.
 */
function spliceAllocations(
  view: HeapViewModel,
  oldStarts: Float64Array,
  newStarts: Float64Array,
  patch: WireViewPatch,
  first: number,
  last: number,
  inserted: number,
): WireAllocations | string {
  const old = view.allocations;
  const minBlock = view.layout.minBlockSize;
  const added = patch.newAllocations;
  const freed = new Set(patch.freedAllocations);
  const shift = inserted - (last - first);
  // Allocations are in block order: those before the patched block, inside it, and after it.
  const before = lowerBound(old.blocks, old.count, first);
  const after = lowerBound(old.blocks, old.count, last);
  const inside: { offset: number; size: number; align: number }[] = [];
  for (let i = before; i < after; i++) {
    const offset = oldStarts[old.blocks[i]!]! * minBlock;
    if (!freed.delete(offset)) inside.push({ offset, size: old.sizes[i]!, align: old.alignLog2[i]! });
  }
  if (freed.size > 0) return `no allocation starts at offset ${[...freed][0]} inside the patched block`;
  for (let k = 0; k < added.offsets.length; k++)
    inside.push({ offset: added.offsets[k]!, size: added.sizes[k]!, align: added.alignLog2[k]! });
  inside.sort((a, b) => a.offset - b.offset);
  const n = before + inside.length + (old.count - after);
  const blocks = new Uint32Array(n);
  const sizes = new Float64Array(n);
  const alignLog2 = new Uint8Array(n);
  // Bulk copies for the unchanged parts (a million allocations cost memcpy, not a loop of objects).
  blocks.set(old.blocks.subarray(0, before));
  sizes.set(old.sizes.subarray(0, before));
  alignLog2.set(old.alignLog2.subarray(0, before));
  let b = first;
  for (let k = 0; k < inside.length; k++) {
    const a = inside[k]!;
    if (k > 0 && inside[k - 1]!.offset === a.offset) return `two allocations start at offset ${a.offset}`;
    const leaf = a.offset / minBlock;
    while (b < first + inserted && newStarts[b]! < leaf) b++;
    if (b >= first + inserted || newStarts[b] !== leaf) return `no block of the patch starts at allocation offset ${a.offset}`;
    blocks[before + k] = b;
    sizes[before + k] = a.size;
    alignLog2[before + k] = a.align;
  }
  const tail = before + inside.length;
  blocks.set(old.blocks.subarray(after, old.count), tail);
  sizes.set(old.sizes.subarray(after, old.count), tail);
  alignLog2.set(old.alignLog2.subarray(after, old.count), tail);
  if (shift !== 0) shiftBlocks(blocks, tail, n, shift);
  return { count: n, blocks, sizes, alignLog2 };
}

function shiftBlocks(blocks: Uint32Array, from: number, to: number, shift: number): void {
  for (let i = from; i < to; i++) blocks[i] = blocks[i]! + shift;
}

function editedList(list: WireFreeList, edit: WireFreeListEdit): WireFreeList | string {
  const { removed, pushed } = edit;
  const gone = new Set(removed);
  const kept = gone.size === 0 ? list.offsets : list.offsets.filter(offset => !gone.has(offset));
  if (kept.length !== list.offsets.length - gone.size) return `the order-${list.order} list does not hold every entry the patch removes`;
  const offsets = new Float64Array(kept.length + pushed.length);
  // Pushed at the head in order: the last pushed is the new head.
  for (let k = 0; k < pushed.length; k++) offsets[pushed.length - 1 - k] = pushed[k]!;
  offsets.set(kept, pushed.length);
  const { lastRaw: _raw, ...rest } = list;
  return { ...rest, head: edit.head, offsets, lastNext: edit.lastNext };
}
