// Questions the panel asks of a scanned heap's ownership columns (WireOwnership): where an
// allocation is, its owning chain, its referrers. The columns are indexed by allocation.
import { PARENT_NONE, PARENT_ROOT, REFERRER_ROOT, type WireOwnership } from '../../core/protocol/viewModel';
import type { HeapIndex } from './heapIndex';

/** One link of an owning chain: the root word, then each block the pointers pass through. */
export type ChainLink =
  | { readonly kind: 'root'; readonly path: string }
  | {
      readonly kind: 'block';
      readonly allocation: number;
      readonly offset: number;
      readonly enteredAt: number;
      readonly wordOffset: number | undefined;
    };

export type ReferrerRow =
  | { readonly kind: 'root'; readonly path: string; readonly interior: number }
  | {
      readonly kind: 'block';
      readonly allocation: number;
      readonly offset: number;
      readonly wordOffset: number;
      readonly interior: number;
    };

/** Longest chain followed (a chain is a shortest path, so it never revisits; this bounds a malformed one). */
const MAX_CHAIN = 4096;

export function allocationOffset(index: HeapIndex, allocation: number): number {
  return index.leafStart[index.view.allocations.blocks[allocation]!]! * index.minBlock;
}

/** The root word, then every block from the first one it points to down to `allocation`; empty when nothing owns it. */
export function ownerChain(index: HeapIndex, ownership: WireOwnership, allocation: number): ChainLink[] {
  if (ownership.parent[allocation] === PARENT_NONE) return [];
  const blocks: ChainLink[] = [];
  let at = allocation;
  let wordOffset: number | undefined = undefined;
  for (let i = 0; i < MAX_CHAIN; i++) {
    blocks.push({ kind: 'block', allocation: at, offset: allocationOffset(index, at), enteredAt: ownership.enteredAt[at]!, wordOffset });
    const parent = ownership.parent[at]!;
    if (parent === PARENT_ROOT) break;
    if (parent < 0) return [];
    wordOffset = ownership.parentWord[at]!;
    at = parent;
  }
  return [{ kind: 'root', path: ownership.paths[ownership.rootPath[allocation]!] ?? '' }, ...blocks.reverse()];
}

export function referrers(index: HeapIndex, ownership: WireOwnership, allocation: number): ReferrerRow[] {
  const out: ReferrerRow[] = [];
  for (let j = ownership.referrerStart[allocation]!, end = ownership.referrerStart[allocation + 1]!; j < end; j++) {
    const block = ownership.referrerBlock[j]!;
    const interior = ownership.referrerInterior[j]!;
    if (block === REFERRER_ROOT) out.push({ kind: 'root', path: ownership.paths[ownership.referrerWord[j]!] ?? '', interior });
    else
      out.push({
        kind: 'block',
        allocation: block,
        offset: allocationOffset(index, block),
        wordOffset: ownership.referrerWord[j]!,
        interior,
      });
  }
  return out;
}
