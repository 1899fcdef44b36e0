// The heaps of one core dump as a panel source: one step per heap the core holds (the history
// lists them by path and address), read-only, each with its ownership scan for the panel's owner
// columns and leak findings. Stepping only picks another heap: nothing runs, and two heaps are
// never diffed as one.
import * as l10n from '@vscode/l10n';
import type { HeapDiff } from '../../core/diff/diffViews';
import type { CoreDumpHeap } from '../../core/coreDump/inspectCoreDump';
import type { DecodedHeapView } from '../../core/decoder/types';
import { formatBytes, hex } from '../../core/layout';
import type { OwnershipResult } from '../../core/ownership/ownershipResult';
import type { WireHistoryEntry, WireSource } from '../../core/protocol/viewModel';
import { type PanelSource, type SourceChange, type SourceHistory, type SourceState, lazyState } from '../panel/panelSource';
import { Emitter } from '../util/emitter';

/** A heap the core holds, decoded, with what the ownership scan found in it. */
export interface ShownCoreHeap {
  readonly path: string;
  readonly address: bigint;
  /** The decoded heap (the panel adds the scan's leak suspects to its findings). */
  readonly view: DecodedHeapView;
  readonly ownership: OwnershipResult;
}

export interface CoreDumpFiles {
  /** How the user calls the core and the program (workspace-relative paths). */
  readonly core: string;
  readonly program: string;
  readonly loadBias: bigint;
}

const OTHER_HEAP: HeapDiff = {
  comparable: false,
  reason: 'another heap of the same core dump',
  summary: 'not comparable: another heap of the same core dump',
};

export class CoreDumpSource implements PanelSource {
  private readonly changed = new Emitter<SourceChange>();
  readonly onDidChange = this.changed.event;
  readonly heaps: readonly ShownCoreHeap[];
  private current = 0;
  private published: SourceState | undefined;

  /** `decoded`: the heaps that could be read (at least one). */
  constructor(
    readonly files: CoreDumpFiles,
    decoded: readonly CoreDumpHeap[],
  ) {
    const heaps: ShownCoreHeap[] = [];
    for (const h of decoded) {
      if (!h.view || !h.ownership) continue;
      heaps.push({ path: h.heap.path, address: h.address, view: h.view, ownership: h.ownership });
    }
    if (heaps.length === 0) throw new Error('a core dump source needs at least one decoded heap');
    this.heaps = heaps;
  }

  get state(): SourceState {
    return (this.published ??= this.coreState());
  }

  stepTo(step: number): boolean {
    if (!Number.isInteger(step) || step < 0 || step >= this.heaps.length) return false;
    if (step === this.current) return true;
    this.current = step;
    this.published = this.coreState();
    this.changed.fire({ state: this.published, view: true, history: true, source: true, notice: null });
    return true;
  }

  dispose(): void {
    this.changed.dispose();
  }

  private describe(): WireSource {
    const heap = this.heaps[this.current]!;
    const which = this.heaps.length > 1 ? ` · ${l10n.t('heap {0} of {1}', this.current + 1, this.heaps.length)}` : '';
    const bias = this.files.loadBias !== 0n ? ` · ${l10n.t('load bias {0}', hex(this.files.loadBias))}` : '';
    return {
      kind: 'live',
      label: l10n.t('{0} — core dump {1}', heap.path, this.files.core),
      detail: `${l10n.t('Core dump (read-only) · {0} of {1}', this.files.core, this.files.program)}${bias}${which} · ${l10n.t('{0} at {1}', heap.path, hex(heap.address))}`,
      canSimulate: false,
    };
  }

  private history(): SourceHistory {
    return {
      total: this.heaps.length,
      current: this.current,
      entry: step => entryOf(this.heaps[step]!, step),
      stats: step => {
        const { stats } = this.heaps[step]!.view;
        return { freeBytes: stats.freeBytes, largestFree: stats.largestFreeBlock, fragmentation: stats.fragmentation };
      },
    };
  }

  private coreState(): SourceState {
    const heap = this.heaps[this.current]!;
    return lazyState({
      source: this.describe(),
      history: this.history(),
      // Free lists cannot say who asked for a block; the ownership scan says who holds it.
      shown: () => ({ view: heap.view, allocations: [], ownership: { result: heap.ownership } }),
      viewAt: step => (Number.isInteger(step) && step >= 0 && step < this.heaps.length ? this.heaps[step]!.view : undefined),
      stepDiff: step => (step > 0 && step < this.heaps.length ? OTHER_HEAP : undefined),
    });
  }
}

function entryOf(heap: ShownCoreHeap, step: number): WireHistoryEntry {
  const { view, ownership } = heap;
  const decoded = view.blocks.count > 0;
  const findings = view.findings.length;
  const suspects = ownership.leakSummary().count;
  return {
    step,
    op: 'snapshot',
    text: l10n.t('{0} at {1}', heap.path, hex(heap.address)),
    ok: decoded,
    detail: decoded
      ? l10n.t(
          '{0} of {1} free; allocated blocks: {2}, leak suspects: {3}, findings: {4}',
          formatBytes(view.stats.freeBytes),
          formatBytes(view.heapSize),
          ownership.blockCount,
          suspects,
          findings,
        )
      : l10n.t('not decodable: {0}', view.findings[0]?.message ?? l10n.t('no blocks')),
    changes: [],
  };
}
