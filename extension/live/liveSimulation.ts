// "Would alloc(size, align) succeed on the device now, and which block would it get?" The core
// model is rebuilt from the latest snapshot (struct heads + heap bytes) on a copy of the image and
// asked; the target is never touched.
import * as l10n from '@vscode/l10n';
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

const title = () => l10n.t('Simulated on the live heap');

export function simulateOnSnapshot(
  snapshot: HeapSnapshot,
  view: DecodedHeapView,
  size: bigint,
  align: bigint,
  /** Where it was simulated, as a phrase: "on HEAP at stop 3". */
  where: string,
  ownerOf?: OwnerOf,
): LiveSimulationResult {
  const request = `alloc(${size}, ${align})`;
  const refuse = (error: string, message: string): LiveSimulationResult => ({
    ok: false,
    error,
    notice: { level: 'warning', title: title(), message: l10n.t('{0} cannot be simulated {1}: {2}', request, where, message), blocks: [] },
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
        title: l10n.t('{0}: {1}', title(), explained.title),
        message: l10n.t('{0} would fail {1}. {2}', request, where, explained.message),
      },
    };
  }
  const address = heap.address(result.offset);
  const split =
    result.splitFrom > result.order
      ? l10n.t('split from a free {0} block (order {1})', formatBytes(heap.orderSize(result.splitFrom)), result.splitFrom)
      : l10n.t('taken whole from its free list');
  const message = l10n.t(
    '{0} would succeed {1}: the {2} block (order {3}) at {4}, {5}. The target was not changed.',
    request,
    where,
    formatBytes(heap.orderSize(result.order)),
    result.order,
    hex(address),
    split,
  );
  return {
    ok: true,
    address,
    offset: result.offset,
    order: result.order,
    splitFrom: result.splitFrom,
    notice: { level: 'info', title: title(), message, blocks: [{ offset: result.offset, order: result.order }] },
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
      notice: {
        level: 'warning',
        title: title(),
        message: l10n.t('{0} has not been read yet: stop the target first.', source.heapName),
        blocks: [],
      },
    };
  }
  const where =
    source.status().state === 'stale'
      ? l10n.t('on {0} at stop {1} (stale: the target ran since)', source.heapName, source.stopsSeen)
      : l10n.t('on {0} at stop {1}', source.heapName, source.stopsSeen);
  return simulateOnSnapshot(latest.snapshot, latest.view, size, align, where, address => source.ownerOf?.(address));
}
