// Why a simulated allocation failed, in words: too large for the heap, a bad alignment, or
// exhausted. For exhausted, tells fragmentation (enough free bytes in total, but no free block of
// the needed order) from plain exhaustion, and names the allocations standing in the way.
import { MIN_HEAP_ALIGN, formatBytes, hex } from '../../core/layout';
import { allocationOrder, allocationSize } from '../../core/model/allocationSize';
import type { BuddyHeap } from '../../core/model/buddyHeap';
import type { WireNotice } from '../../core/protocol/viewModel';

export interface FailureExplanation {
  readonly kind: 'TooLarge' | 'BadAlignment' | 'Exhausted' | 'Fragmented';
  readonly notice: WireNotice;
}

/** Most blocks named in a message; the rest are summarised. */
const MAX_NAMED = 8;

export function explainAllocationFailure(heap: BuddyHeap, size: bigint, align: bigint): FailureExplanation {
  const layout = heap.layout;
  const sized = allocationSize(size, align, layout.size, BigInt(heap.minBlock));
  const request = `size ${size}, align ${align}`;
  if (!sized.ok && sized.error === 'BadAlignment') {
    const why =
      align > MIN_HEAP_ALIGN
        ? `alignment ${align} is above ${MIN_HEAP_ALIGN} (MIN_HEAP_ALIGN), the most the heap can serve`
        : `alignment ${align} is not a power of two`;
    return { kind: 'BadAlignment', notice: notice('InvalidSize(BadAlignment)', `Cannot allocate ${request}: ${why}.`, []) };
  }
  if (!sized.ok) {
    return {
      kind: 'TooLarge',
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
  const free = heap.freeBytes();
  if (free < blockBytes) {
    return {
      kind: 'Exhausted',
      notice: notice(
        'HeapExhausted',
        `Cannot allocate ${request} (a ${formatBytes(blockBytes)} block, order ${needed}): only ${formatBytes(free)} of ${formatBytes(layout.size)} is free. The heap is out of memory.`,
        [],
      ),
    };
  }
  // Fragmentation: enough bytes are free, but no aligned region of the needed size is wholly free.
  // The region with the fewest allocated bytes is the cheapest to clear: name its allocations.
  const allocations = heap.liveAllocations();
  const regions = new Map<number, { used: number; blocks: { offset: number; order: number }[] }>();
  for (const a of allocations) {
    const region = Math.floor(a.offset / blockBytes) * blockBytes;
    const entry = regions.get(region) ?? { used: 0, blocks: [] };
    entry.used += heap.orderSize(a.order);
    entry.blocks.push({ offset: a.offset, order: a.order });
    regions.set(region, entry);
  }
  let best: { region: number; used: number; blocks: { offset: number; order: number }[] } | undefined;
  for (const [region, entry] of regions) if (!best || entry.used < best.used) best = { region, ...entry };
  const largest = heap.largestFreeBlock();
  const named = (best?.blocks ?? []).slice(0, MAX_NAMED).map(b => {
    const owner = heap.allocationAt(b.offset)?.owner;
    return `${hex(heap.address(b.offset))} (${formatBytes(heap.orderSize(b.order))}${owner ? `, ${owner}` : ''})`;
  });
  const more = (best?.blocks.length ?? 0) > MAX_NAMED ? ` and ${best!.blocks.length - MAX_NAMED} more` : '';
  const message =
    `Cannot allocate ${request} (a ${formatBytes(blockBytes)} block, order ${needed}) although ${formatBytes(free)} is free: ` +
    `the heap is fragmented. The largest free block is ${formatBytes(largest)}, and no ${formatBytes(blockBytes)}-aligned region is wholly free. ` +
    (best
      ? `In the region at ${hex(heap.address(best.region))} the blocks standing in the way are ${named.join(', ')}${more}; freeing them would let it merge back into one ${formatBytes(blockBytes)} block.`
      : '');
  return { kind: 'Fragmented', notice: notice('HeapExhausted (fragmentation)', message, best?.blocks ?? []) };
}

function notice(title: string, message: string, blocks: { offset: number; order: number }[]): WireNotice {
  return { level: 'error', title, message, blocks };
}
