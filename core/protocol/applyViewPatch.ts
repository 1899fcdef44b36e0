// Applies a WireViewPatch to the view the webview holds: the blocks inside the patched buddy block
// are spliced out for the patch's, later block references shift by the difference, and the free
// lists, allocations and small parts follow. Shared, so the host's tests prove that a patched view
// equals the view built from scratch. With `inPlace` the columns are edited where they are when an
// earlier patch left them room (the view passed in is then used up); otherwise it is left as it
// was. No per-block work outside the patched block except re-indexing allocations behind it.
import { HeapViewModel, WireAllocations, WireFreeList, codeOrder } from './viewModel';
import type { WireFreeListEdit, WireViewPatch } from './viewPatch';
import { POW2 } from '../util/powersOfTwo';
import { lowerBound, splice } from '../util/typedArrays';

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
export function applyViewPatch(view: HeapViewModel, leafStart: Float64Array, patch: WireViewPatch, inPlace = false): PatchOutcome {
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
  // Allocations first: they read the old block starts, which the starts' splice may overwrite.
  const allocations = spliceAllocations(view, leafStart, regionLeaf, patch, first, last, inPlace);
  if (typeof allocations === 'string') return fail(allocations);
  const codes = splice(view.blocks.codes, first, last, inserted, inPlace);
  codes.set(patch.codes, first);
  const owners = spliceOwners(view, patch, first, last, inPlace);
  const starts = splice(leafStart.length === count ? leafStart : leafStart.subarray(0, count), first, last, inserted, inPlace);
  for (let i = 0, leaf = regionLeaf; i < inserted; i++) {
    starts[first + i] = leaf;
    leaf += POW2[codeOrder(patch.codes[i]!)]!;
  }

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

function spliceOwners(view: HeapViewModel, patch: WireViewPatch, first: number, last: number, inPlace: boolean): Uint16Array {
  const owners = splice(view.blocks.owners, first, last, patch.owners.length, inPlace);
  const labels = patch.ownerLabels;
  if (labels) {
    // The label set changed: indices are positions in the sorted set, so every owner is remapped.
    const newIndex = new Map(labels.map((label, i) => [label, i + 1]));
    const remap = Uint16Array.from([0, ...view.ownerLabels.map(label => newIndex.get(label) ?? 0)]);
    for (let i = 0; i < owners.length; i++) owners[i] = remap[owners[i]!]!;
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
  regionLeaf: number,
  patch: WireViewPatch,
  first: number,
  last: number,
  inPlace: boolean,
): WireAllocations | string {
  const old = view.allocations;
  const minBlock = view.layout.minBlockSize;
  const added = patch.newAllocations;
  const freed = new Set(patch.freedAllocations);
  const inserted = patch.codes.length;
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
  // Where each allocation inside lands: the index of the patch block starting at its leaf.
  const landing = new Uint32Array(inside.length);
  for (let k = 0, b = 0, leaf = regionLeaf; k < inside.length; k++) {
    const a = inside[k]!;
    if (k > 0 && inside[k - 1]!.offset === a.offset) return `two allocations start at offset ${a.offset}`;
    const target = a.offset / minBlock;
    while (b < inserted && leaf < target) leaf += POW2[codeOrder(patch.codes[b++]!)]!;
    if (b >= inserted || leaf !== target) return `no block of the patch starts at allocation offset ${a.offset}`;
    landing[k] = first + b;
  }
  const blocks = splice(old.blocks.subarray(0, old.count), before, after, inside.length, inPlace);
  const sizes = splice(old.sizes.subarray(0, old.count), before, after, inside.length, inPlace);
  const alignLog2 = splice(old.alignLog2.subarray(0, old.count), before, after, inside.length, inPlace);
  for (let k = 0; k < inside.length; k++) {
    blocks[before + k] = landing[k]!;
    sizes[before + k] = inside[k]!.size;
    alignLog2[before + k] = inside[k]!.align;
  }
  const tail = before + inside.length;
  if (shift !== 0) shiftBlocks(blocks, tail, blocks.length, shift);
  return { count: blocks.length, blocks, sizes, alignLog2 };
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
