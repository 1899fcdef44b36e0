// Why an allocation failed, in words and as data: too large for the heap, a bad alignment, or
// exhausted. For exhausted, tells fragmentation (enough free bytes in total, but no free block of
// the needed order) from plain exhaustion, and names the allocations standing in the way. The one
// explanation for every side: the simulated heap, trace replay, and a heap rebuilt from a device
// snapshot at the stop where the device's allocation failed.
import { MIN_HEAP_ALIGN, formatBytes, hex } from '../layout';
import { type AllocationError, allocationOrder, allocationSize } from '../model/allocationSize';
import type { BuddyHeap } from '../model/buddyHeap';
import type { WireNotice } from '../protocol/viewModel';

export type FailureKind = 'TooLarge' | 'BadAlignment' | 'Exhausted' | 'Fragmented';

/** An allocated block that keeps free buddies from merging into a block of the needed order. */
export interface BlockInTheWay {
  readonly offset: number;
  readonly order: number;
  readonly address: bigint;
  readonly bytes: number;
  readonly owner: string | undefined;
}

export interface FailureExplanation {
  readonly kind: FailureKind;
  /** What the crate's `alloc` returns for this request on this heap. */
  readonly error: AllocationError;
  readonly largestFreeBytes: number;
  readonly freeBytes: number;
  /** The block size and order the request needs; undefined when it has no valid size. */
  readonly needed: { readonly bytes: number; readonly order: number } | undefined;
  /** For fragmentation: the cheapest region to clear and the blocks in it, in address order. */
  readonly region: bigint | undefined;
  readonly blocksInTheWay: readonly BlockInTheWay[];
  readonly notice: WireNotice;
}

/** Owners the model does not carry itself (e.g. from the ownership analysis of a device heap). */
export type OwnerOf = (address: bigint) => string | undefined;

/** Most blocks named in a message; the rest are summarised. */
const MAX_NAMED = 8;

export function explainAllocationFailure(heap: BuddyHeap, size: bigint, align: bigint, ownerOf?: OwnerOf): FailureExplanation {
  const layout = heap.layout;
  const largestFreeBytes = heap.largestFreeBlock();
  const freeBytes = heap.freeBytes();
  const base = { largestFreeBytes, freeBytes, region: undefined, blocksInTheWay: [] as BlockInTheWay[] };
  const sized = allocationSize(size, align, layout.size, BigInt(heap.minBlock));
  const request = `size ${size}, align ${align}`;
  if (!sized.ok && sized.error === 'BadAlignment') {
    const why =
      align > MIN_HEAP_ALIGN
        ? `alignment ${align} is above ${MIN_HEAP_ALIGN} (MIN_HEAP_ALIGN), the most the heap can serve`
        : `alignment ${align} is not a power of two`;
    return {
      ...base,
      kind: 'BadAlignment',
      error: 'InvalidSize(BadAlignment)',
      needed: undefined,
      notice: notice('InvalidSize(BadAlignment)', `Cannot allocate ${request}: ${why}.`, []),
    };
  }
  if (!sized.ok) {
    return {
      ...base,
      kind: 'TooLarge',
      error: 'InvalidSize(TooLarge)',
      needed: undefined,
      notice: notice(
        'InvalidSize(TooLarge)',
        `Cannot allocate ${request}: it rounds up to more than the whole heap (${formatBytes(layout.size)}).`,
        [],
      ),
    };
  }
  const order = allocationOrder(size, align, layout.size, heap.minBlockLog2);
  const needed = order.ok ? order.order : 0;
  const blockBytes = heap.orderSize(needed);
  if (freeBytes < blockBytes) {
    return {
      ...base,
      kind: 'Exhausted',
      error: 'HeapExhausted',
      needed: { bytes: blockBytes, order: needed },
      notice: notice(
        'HeapExhausted',
        `Cannot allocate ${request} (a ${formatBytes(blockBytes)} block, order ${needed}): only ${formatBytes(freeBytes)} of ${formatBytes(layout.size)} is free. The heap is out of memory.`,
        [],
      ),
    };
  }
  // Fragmentation: enough bytes are free, but no aligned region of the needed size is wholly free.
  // The region with the fewest used bytes is the cheapest to clear: name what is used in it. Works
  // from the free lists, so a heap rebuilt from device bytes (no allocation records) explains too.
  const best = cheapestRegion(heap, needed, blockBytes);
  const blocksInTheWay: BlockInTheWay[] = best ? usedBlocks(heap, best.region, needed, best.items, ownerOf) : [];
  const named = blocksInTheWay.slice(0, MAX_NAMED).map(b => `${hex(b.address)} (${formatBytes(b.bytes)}${b.owner ? `, ${b.owner}` : ''})`);
  const more = blocksInTheWay.length > MAX_NAMED ? ` and ${blocksInTheWay.length - MAX_NAMED} more` : '';
  const message =
    `Cannot allocate ${request} (a ${formatBytes(blockBytes)} block, order ${needed}) although ${formatBytes(freeBytes)} is free: ` +
    `the heap is fragmented. The largest free block is ${formatBytes(largestFreeBytes)}, and no ${formatBytes(blockBytes)}-aligned region is wholly free. ` +
    (best && blocksInTheWay.length > 0
      ? `In the region at ${hex(heap.address(best.region))} the blocks standing in the way are ${named.join(', ')}${more}; freeing them would let it merge back into one ${formatBytes(blockBytes)} block.`
      : '');
  return {
    ...base,
    kind: 'Fragmented',
    error: 'HeapExhausted',
    needed: { bytes: blockBytes, order: needed },
    region: best ? heap.address(best.region) : undefined,
    blocksInTheWay,
    notice: notice(
      'HeapExhausted (fragmentation)',
      message,
      blocksInTheWay.map(b => ({ offset: b.offset, order: b.order })),
    ),
  };
}

interface RegionItem {
  readonly offset: number;
  readonly order: number;
  readonly free: boolean;
}

/** The needed-size region with the most free bytes (lowest address on ties), with the free blocks and allocations in it. */
function cheapestRegion(heap: BuddyHeap, needed: number, blockBytes: number): { region: number; items: RegionItem[] } | undefined {
  const free = new Map<number, number>();
  heap.freeLists().forEach((offsets, order) => {
    if (order >= needed) return; // a free block this large would have served the request
    for (const offset of offsets) {
      const region = Math.floor(offset / blockBytes) * blockBytes;
      free.set(region, (free.get(region) ?? 0) + heap.orderSize(order));
    }
  });
  let region: number | undefined;
  for (const [at, bytes] of free) {
    const most = region === undefined ? -1 : free.get(region)!;
    if (bytes > most || (bytes === most && at < region!)) region = at;
  }
  if (region === undefined) return undefined;
  const inRegion = (offset: number) => offset >= region! && offset < region! + blockBytes;
  const items: RegionItem[] = [];
  heap.freeLists().forEach((offsets, order) => {
    for (const offset of offsets) if (order < needed && inRegion(offset)) items.push({ offset, order, free: true });
  });
  for (const a of heap.liveAllocations()) if (inRegion(a.offset)) items.push({ offset: a.offset, order: a.order, free: false });
  return { region, items };
}

/**
 * The used blocks of a region, in address order: known allocations where the model has them, and
 * otherwise the largest aligned blocks holding no free byte (all a device snapshot can tell).
 */
function usedBlocks(
  heap: BuddyHeap,
  region: number,
  order: number,
  items: readonly RegionItem[],
  ownerOf: OwnerOf | undefined,
): BlockInTheWay[] {
  const out: BlockInTheWay[] = [];
  const visit = (offset: number, k: number, inside: readonly RegionItem[]): void => {
    const exact = inside.find(i => i.offset === offset && i.order === k);
    if (exact?.free) return;
    if (exact || !inside.some(i => i.order < k)) {
      const address = heap.address(offset);
      out.push({ offset, order: k, address, bytes: heap.orderSize(k), owner: heap.allocationAt(offset)?.owner ?? ownerOf?.(address) });
      return;
    }
    const half = heap.orderSize(k - 1);
    visit(
      offset,
      k - 1,
      inside.filter(i => i.offset < offset + half),
    );
    visit(
      offset + half,
      k - 1,
      inside.filter(i => i.offset >= offset + half),
    );
  };
  visit(region, order, items);
  return out;
}

function notice(title: string, message: string, blocks: { offset: number; order: number }[]): WireNotice {
  return { level: 'error', title, message, blocks };
}
