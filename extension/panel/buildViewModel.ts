// Turns a decoded HeapView (plus the allocations a source knows) into the compact model the
// webview renders. Allocated spans of the decoder (which cannot tell neighbouring allocations
// apart) are split into the known allocations, so the map shows each one with its owner.
import { BlockState, DecodedFreeList, HeapView } from '../../core/decoder/types';
import { hex, log2Floor } from '../../core/layout';
import type { Allocation } from '../../core/model/buddyHeap';
import { leakFindings } from '../../core/ownership/leakFindings';
import { ownershipForPanel } from '../../core/ownership/ownershipWire';
import type { ShownOwnership } from './panelSource';
import {
  HeapViewModel,
  NEXT_NULL,
  NEXT_RAW,
  NEXT_UNREADABLE,
  WireAllocations,
  WireBlockState,
  WireFreeList,
  blockCode,
} from '../../core/protocol/viewModel';

const MAX_OWNERS = 65535;
const ALLOCATED: number = BlockState.Allocated;

export function buildViewModel(view: HeapView, known: readonly Allocation[], ownership?: ShownOwnership): HeapViewModel {
  // A scanned heap's allocations are the scan's blocks, owned by the roots that reach them.
  const scanned = ownership ? ownershipForPanel(ownership.result, ownership.leaks) : undefined;
  const allocations = scanned?.allocations ?? known;
  const ownerLabels = [...new Set(allocations.map(a => a.owner).filter((o): o is string => !!o))].sort().slice(0, MAX_OWNERS);
  const ownerIndex = new Map(ownerLabels.map((label, i) => [label, i + 1]));
  const sorted = [...allocations].sort((a, b) => a.offset - b.offset);
  const { blocks, allocationBlocks } = refineBlocks(view, sorted, ownerIndex);
  return {
    layout: {
      base: hex(view.heapBase),
      size: view.heapSize,
      orders: view.orders,
      minBlockSize: view.minBlockSize,
      pointerWidth: view.pointerWidth,
      endianness: view.endianness,
    },
    blocks,
    freeLists: view.freeLists.map(list => wireFreeList(view, list)),
    stats: { ...view.stats, perOrder: view.stats.perOrder.map(o => ({ ...o })) },
    findings: [...view.findings, ...(ownership ? leakFindings(ownership.result) : [])].map(f => ({
      ...linked(view, f.linkedFrom),
      kind: f.kind,
      severity: f.severity,
      message: f.message,
      ...(f.order !== undefined ? { order: f.order } : {}),
      ...(f.address !== undefined ? { address: hex(f.address) } : {}),
      ...(f.offset !== undefined ? { offset: f.offset } : {}),
    })),
    allocations: wireAllocations(sorted, allocationBlocks),
    ownerLabels,
    // The scan's blocks lie in allocated spans by construction, so each is placed and its columns
    // line up with WireAllocations; were one not, the columns would not, and they are left out.
    ...(scanned && allocationBlocks.every(b => b >= 0) ? { ownership: scanned.wire } : {}),
  };
}

/** The heap offset of the block holding a bad pointer, when it is inside the heap. */
function linked(view: HeapView, linkedFrom: bigint | undefined): { linkedOffset?: number } {
  if (linkedFrom === undefined) return {};
  const offset = linkedFrom - view.heapBase;
  return offset >= 0n && offset < BigInt(view.heapSize) ? { linkedOffset: Number(offset) } : {};
}

function refineBlocks(view: HeapView, allocations: readonly Allocation[], ownerIndex: Map<string, number>) {
  const { blocks, minBlockSize } = view;
  const codes: number[] = [];
  const owners: number[] = [];
  /** Block index of each placed allocation (-1: it lies in no allocated span, so it is not shown). */
  const allocationBlocks = new Int32Array(allocations.length).fill(-1);
  let next = 0;
  for (let i = 0; i < blocks.count; i++) {
    const offset = blocks.offsets[i]!;
    const order = blocks.orders[i]!;
    const state = blocks.states[i]!;
    const end = offset + minBlockSize * 2 ** order;
    if (state !== ALLOCATED || allocations.length === 0) {
      codes.push(blockCode(order, state as number as WireBlockState));
      owners.push(0);
      continue;
    }
    while (next < allocations.length && allocations[next]!.offset < offset) next++;
    let at = offset;
    while (next < allocations.length && allocations[next]!.offset < end) {
      const a = allocations[next]!;
      fillGap(at, a.offset, minBlockSize, codes, owners);
      allocationBlocks[next++] = codes.length;
      codes.push(blockCode(a.order, WireBlockState.Allocated));
      owners.push(a.owner ? (ownerIndex.get(a.owner) ?? 0) : 0);
      at = a.offset + minBlockSize * 2 ** a.order;
    }
    fillGap(at, end, minBlockSize, codes, owners);
  }
  return { blocks: { count: codes.length, codes: Uint8Array.from(codes), owners: Uint16Array.from(owners) }, allocationBlocks };
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
  // Columnar lists (the decoder's) cost no object per entry; entry i's next is entry i+1.
  const offsets = columns ? columns.offsets.slice(0, columns.count) : Float64Array.from(list.entries, e => e.offset);
  const last = columns ? columns.lastNext : list.entries[list.entries.length - 1]?.next;
  const base = { order: list.order, blockSize: list.blockSize, head: hex(list.head), broken: list.broken, offsets };
  if (offsets.length === 0) return { ...base, lastNext: NEXT_NULL };
  if (last === undefined) return { ...base, lastNext: NEXT_UNREADABLE };
  if (last === 0n) return { ...base, lastNext: NEXT_NULL };
  const relative = last - view.heapBase;
  if (relative >= 0n && relative < BigInt(view.heapSize)) return { ...base, lastNext: Number(relative) };
  return { ...base, lastNext: NEXT_RAW, lastRaw: hex(last) };
}

function wireAllocations(sorted: readonly Allocation[], allocationBlocks: Int32Array): WireAllocations {
  const placed = sorted.map((a, i) => ({ a, block: allocationBlocks[i]! })).filter(x => x.block >= 0);
  return {
    count: placed.length,
    blocks: Uint32Array.from(placed, x => x.block),
    sizes: Float64Array.from(placed, x => Number(x.a.size)),
    alignLog2: Uint8Array.from(placed, x => log2Floor(x.a.align)),
  };
}
