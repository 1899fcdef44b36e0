// "Would alloc(size, align) succeed on the device now, and which block would it get?" The core
// model is rebuilt from the latest snapshot (struct heads + heap bytes) on a copy of the image and
// asked; the target is never touched.
import type { DecodedHeapView, HeapSnapshot } from '../../core/decoder/types';
import { heapFromSnapshot } from '../../core/explain/heapFromSnapshot';
import type { OwnerOf } from '../../core/explain/allocationFailure';
import { formatBytes, hex } from '../../core/layout';
import type { WireNotice } from '../../core/protocol/viewModel';
import { explainAllocationFailure } from '../../core/explain/allocationFailure';

export type LiveSimulationResult =
  | {
      readonly ok: true;
      readonly address: bigint;
      readonly offset: number;
      readonly order: number;
      readonly splitFrom: number;
      readonly notice: WireNotice;
    }
  | { readonly ok: false; readonly error: string; readonly notice: WireNotice };

const TITLE = 'Simulated on the live heap';

export function simulateOnSnapshot(
  snapshot: HeapSnapshot,
  view: DecodedHeapView,
  size: bigint,
  align: bigint,
  where: string,
  ownerOf?: OwnerOf,
): LiveSimulationResult {
  const request = `alloc(${size}, ${align})`;
  const refuse = (error: string, message: string): LiveSimulationResult => ({
    ok: false,
    error,
    notice: { level: 'warning', title: TITLE, message: `${request} cannot be simulated ${where}: ${message}`, blocks: [] },
  });
  const rebuilt = heapFromSnapshot(snapshot, view);
  if (!rebuilt.ok) return refuse(rebuilt.error, rebuilt.message);
  const heap = rebuilt.heap;
  const result = heap.allocate(size, align);
  if (!result.ok) {
    const explained = explainAllocationFailure(heap, size, align, ownerOf).notice;
    return {
      ok: false,
      error: result.error,
      notice: {
        ...explained,
        level: 'warning',
        title: `${TITLE}: ${explained.title}`,
        message: `${request} would fail ${where}. ${explained.message}`,
      },
    };
  }
  const address = heap.address(result.offset);
  const split =
    result.splitFrom > result.order
      ? `, split from a free ${formatBytes(heap.orderSize(result.splitFrom))} block (order ${result.splitFrom})`
      : ', taken whole from its free list';
  const message = `${request} would succeed ${where}: the ${formatBytes(heap.orderSize(result.order))} block (order ${result.order}) at ${hex(address)}${split}. The target was not changed.`;
  return {
    ok: true,
    address,
    offset: result.offset,
    order: result.order,
    splitFrom: result.splitFrom,
    notice: { level: 'info', title: TITLE, message, blocks: [{ offset: result.offset, order: result.order }] },
  };
}

/** What simulateOnSource needs of a live heap: its latest snapshot and which stop it is of. */
export interface SimulatableSource {
  readonly heapName: string;
  readonly latestRead: { readonly snapshot: HeapSnapshot; readonly view: DecodedHeapView } | undefined;
  readonly stopsSeen: number;
  status(): { readonly state: string };
  /** The owner of the block holding an address, from the latest ownership scan. */
  ownerOf?(address: bigint): string | undefined;
}

/** Would alloc(size, align) succeed on the device now? Runs the model on a copy of the latest snapshot. */
export function simulateOnSource(source: SimulatableSource, size: bigint, align: bigint): LiveSimulationResult {
  const latest = source.latestRead;
  if (!latest) {
    return {
      ok: false,
      error: 'NoSnapshot',
      notice: { level: 'warning', title: TITLE, message: `${source.heapName} has not been read yet: stop the target first.`, blocks: [] },
    };
  }
  const stale = source.status().state === 'stale' ? ' (stale: the target ran since)' : '';
  return simulateOnSnapshot(
    latest.snapshot,
    latest.view,
    size,
    align,
    `on ${source.heapName} at stop ${source.stopsSeen}${stale}`,
    address => source.ownerOf?.(address),
  );
}
