// Turns a decoded HeapView (plus the allocations a source knows) into the compact model the
// webview renders. Allocated spans of the decoder (which cannot tell neighbouring allocations
// apart) are split into the known allocations, so the map shows each one with its owner.
import { BlockState, DecodedFreeList, HeapView } from '../../core/decoder/types';
import { hex } from '../../core/layout';
import type { Allocation } from '../../core/model/buddyHeap';
import {
  HeapViewModel, NEXT_NULL, NEXT_RAW, NEXT_UNREADABLE, WireAllocations, WireBlockState, WireFreeList, blockCode,
} from '../../core/protocol/viewModel';

const MAX_OWNERS = 65535;

export function buildViewModel(view: HeapView, allocations: readonly Allocation[]): HeapViewModel {
  const ownerLabels = [...new Set(allocations.map(a => a.owner).filter((o): o is string => !!o))].sort().slice(0, MAX_OWNERS);
  const ownerIndex = new Map(ownerLabels.map((label, i) => [label, i + 1]));
  const sorted = [...allocations].sort((a, b) => a.offset - b.offset);
  return {
    layout: {
      base: hex(view.heapBase),
      size: view.heapSize,
      orders: view.orders,
      minBlockSize: view.minBlockSize,
      pointerWidth: view.pointerWidth,
      endianness: view.endianness,
    },
    blocks: refineBlocks(view, sorted, ownerIndex),
    freeLists: view.freeLists.map(list => wireFreeList(view, list)),
    stats: { ...view.stats, perOrder: view.stats.perOrder.map(o => ({ ...o })) },
    findings: view.findings.map(f => ({
      kind: f.kind,
      severity: f.severity,
      message: f.message,
      ...(f.order !== undefined ? { order: f.order } : {}),
      ...(f.address !== undefined ? { address: hex(f.address) } : {}),
      ...(f.offset !== undefined ? { offset: f.offset } : {}),
    })),
    allocations: wireAllocations(sorted, ownerIndex),
    ownerLabels,
  };
}

function refineBlocks(view: HeapView, allocations: readonly Allocation[], ownerIndex: Map<string, number>) {
  const { blocks, minBlockSize } = view;
  // Fast path (live heaps, or nothing allocated): the decoder's table as it is.
  const codes: number[] = [];
  const owners: number[] = [];
  let next = 0;
  for (let i = 0; i < blocks.count; i++) {
    const offset = blocks.offsets[i]!;
    const order = blocks.orders[i]!;
    const state = blocks.states[i]! as number as WireBlockState;
    const end = offset + minBlockSize * 2 ** order;
    if (state !== (BlockState.Allocated as number) || allocations.length === 0) {
      codes.push(blockCode(order, state));
      owners.push(0);
      continue;
    }
    while (next < allocations.length && allocations[next]!.offset < offset) next++;
    let at = offset;
    while (next < allocations.length && allocations[next]!.offset < end) {
      const a = allocations[next++]!;
      fillGap(at, a.offset, minBlockSize, codes, owners);
      codes.push(blockCode(a.order, WireBlockState.Allocated));
      owners.push(a.owner ? ownerIndex.get(a.owner) ?? 0 : 0);
      at = a.offset + minBlockSize * 2 ** a.order;
    }
    fillGap(at, end, minBlockSize, codes, owners);
  }
  return { count: codes.length, codes: Uint8Array.from(codes), owners: Uint16Array.from(owners) };
}

/** Covers [from, to) with the largest aligned buddy blocks, as allocated with no known owner. */
function fillGap(from: number, to: number, minBlockSize: number, codes: number[], owners: number[]): void {
  let at = from;
  while (at < to) {
    let order = 0;
    while (at % (minBlockSize * 2 ** (order + 1)) === 0 && at + minBlockSize * 2 ** (order + 1) <= to) order++;
    codes.push(blockCode(order, WireBlockState.Allocated));
    owners.push(0);
    at += minBlockSize * 2 ** order;
  }
}

function wireFreeList(view: HeapView, list: HeapView['freeLists'][number]): WireFreeList {
  const columns = (list as Partial<DecodedFreeList>).columns;
  const rawNext: Record<string, string> = {};
  if (columns) {
    // Columnar lists: each entry's next is the following entry; only the last word is stored.
    const n = columns.count;
    const offsets = columns.offsets.slice(0, n);
    const next = new Float64Array(n);
    for (let i = 0; i + 1 < n; i++) next[i] = offsets[i + 1]!;
    if (n > 0) next[n - 1] = encodeNext(view, columns.lastNext, n - 1, rawNext);
    return { order: list.order, blockSize: list.blockSize, head: hex(list.head), broken: list.broken, offsets, next, rawNext };
  }
  const offsets = Float64Array.from(list.entries, e => e.offset);
  const next = Float64Array.from(list.entries, (e, i) => encodeNext(view, e.next, i, rawNext));
  return { order: list.order, blockSize: list.blockSize, head: hex(list.head), broken: list.broken, offsets, next, rawNext };
}

/** A next word as the wire carries it: a heap offset, or NEXT_NULL / NEXT_UNREADABLE / NEXT_RAW. */
function encodeNext(view: HeapView, word: bigint | undefined, i: number, rawNext: Record<string, string>): number {
  if (word === undefined) return NEXT_UNREADABLE;
  if (word === 0n) return NEXT_NULL;
  const relative = word - view.heapBase;
  if (relative >= 0n && relative < BigInt(view.heapSize)) return Number(relative);
  rawNext[String(i)] = hex(word);
  return NEXT_RAW;
}

function wireAllocations(sorted: readonly Allocation[], ownerIndex: Map<string, number>): WireAllocations {
  return {
    count: sorted.length,
    offsets: Float64Array.from(sorted, a => a.offset),
    orders: Uint8Array.from(sorted, a => a.order),
    owners: Uint16Array.from(sorted, a => (a.owner ? ownerIndex.get(a.owner) ?? 0 : 0)),
    sizes: Float64Array.from(sorted, a => Number(a.size)),
    aligns: Float64Array.from(sorted, a => Number(a.align)),
  };
}
