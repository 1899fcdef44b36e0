// A simulated heap with its operation history: the PanelSource behind the panel when no device is
// attached. The host owns it; the webview only sees views of it.
//
// History is a list of operations plus periodic checkpoints (heap clones): stepping to any step
// clones the nearest checkpoint before it and replays forward, so a long trace costs a bounded
// number of clones, not one per step.
import * as l10n from '@vscode/l10n';
import type { HeapView } from '../../core/decoder/types';
import { HeapLayout, formatBytes, hex } from '../../core/layout';
import { BuddyHeap, CreateError } from '../../core/model/buddyHeap';
import type { WireChange, WireHistoryEntry, WireNotice, WireSource } from '../../core/protocol/viewModel';
import {
  type PanelSource,
  type SourceChange,
  type SourceHistory,
  type SourceState,
  type SourceView,
  type StepStats,
  lazyState,
} from '../panel/panelSource';
import { Emitter } from '../util/emitter';
import { viewOfModel } from '../panel/modelView';
import { explainAllocationFailure } from '../../core/explain/allocationFailure';
import { SimOperation, heapLine, operationLine, traceText } from './operations';
import { IncrementalView, type StepChange } from './incrementalView';
import type { ComparableDiff } from '../../core/diff/diffViews';

interface Step {
  readonly entry: WireHistoryEntry;
  readonly stats: StepStats;
  /** The operation that led here (undefined for step 0). */
  readonly op?: SimOperation;
}

const CHECKPOINT_BUDGET = 256 * 1024 * 1024;

export type AllocateOutcome =
  | { readonly ok: true; readonly address: bigint; readonly offset: number; readonly order: number }
  | { readonly ok: false; readonly error: string; readonly notice: WireNotice };

export type FreeOutcome = { readonly ok: true } | { readonly ok: false; readonly error: string; readonly message: string };

export class SimulatedHeap implements PanelSource {
  private readonly changed = new Emitter<SourceChange>();
  readonly onDidChange = this.changed.event;

  private steps: Step[] = [];
  private checkpoints = new Map<number, BuddyHeap>();
  /** The heap after the last step (new operations apply here). */
  private head!: BuddyHeap;
  /** The heap shown (equal to head unless the user stepped back). */
  private shown!: BuddyHeap;
  private currentStep = 0;
  private checkpointEvery = 16;
  /** Checkpoints kept at most (by memory: each is a copy of the heap's bytes and bookkeeping). */
  private readonly maxCheckpoints: number;
  private cachedView: SourceView | undefined;
  private viewCache = new Map<number, HeapView>();

  private constructor(
    readonly layout: HeapLayout,
    fresh: BuddyHeap,
    private readonly label = l10n.t('Simulated heap'),
  ) {
    // About 256 MiB of checkpoints at most: a 64 KiB heap keeps 64, a 16 MiB one a handful.
    this.maxCheckpoints = Math.max(4, Math.min(64, Math.floor(CHECKPOINT_BUDGET / (fresh.size + fresh.leaves * 10))));
    this.resetTo(fresh);
  }

  static create(layout: HeapLayout, label?: string): { ok: true; simulated: SimulatedHeap } | { ok: false; error: CreateError } {
    const created = BuddyHeap.create(layout);
    if (!created.ok) return created;
    return { ok: true, simulated: new SimulatedHeap(layout, created.heap, label) };
  }

  //#region PanelSource

  /** The latest published state; built now if nothing was published yet. */
  get state(): SourceState {
    return (this.published ??= this.snapshotState());
  }

  describe(): WireSource {
    const l = this.layout;
    return {
      kind: 'simulated',
      label: this.label,
      detail: l10n.t(
        '{0} at {1}, {2} orders, {3}-byte pointers, {4} endian',
        formatBytes(l.size),
        hex(l.base),
        l.orders,
        l.pointerWidth,
        l.endianness === 'little' ? l10n.t('little') : l10n.t('big'),
      ),
      canSimulate: true,
    };
  }

  current(): SourceView {
    this.cachedView ??= { view: viewOfModel(this.shown), allocations: this.shown.liveAllocations() };
    return this.cachedView;
  }

  history(): SourceHistory {
    const steps = this.steps;
    return {
      total: steps.length,
      current: this.currentStep,
      entry: step => steps[step]!.entry,
      stats: step => steps[step]!.stats,
    };
  }

  viewAt(step: number): HeapView | undefined {
    if (!Number.isInteger(step) || step < 0 || step >= this.steps.length) return undefined;
    if (step === this.currentStep) return this.current().view;
    const cached = this.viewCache.get(step);
    if (cached) return cached;
    const view = viewOfModel(this.heapAt(step));
    // A few recent views: comparing with the previous step while stepping costs one decode.
    this.viewCache.set(step, view);
    if (this.viewCache.size > 4) this.viewCache.delete(this.viewCache.keys().next().value!);
    return view;
  }

  stepTo(step: number): boolean {
    if (!Number.isInteger(step) || step < 0 || step >= this.steps.length) return false;
    if (step === this.currentStep) return true;
    this.keepShownView();
    this.shown = this.heapAt(step);
    this.currentStep = step;
    this.cachedView = undefined;
    // Only `current` moved: the entries and statistics stay as published.
    this.emit({ view: true, history: true, historyFrom: this.steps.length, notice: null });
    return true;
  }

  dispose(): void {
    this.changed.dispose();
  }

  //#endregion

  //#region simulation

  /** The heap currently shown (read-only use: quick picks, explanations). */
  get heap(): BuddyHeap {
    return this.shown;
  }

  get atLatest(): boolean {
    return this.currentStep === this.steps.length - 1;
  }

  /** The operations up to the shown step, or through another step (the whole history: `history().total - 1`). */
  operations(through = this.currentStep): SimOperation[] {
    return this.steps.slice(1, through + 1).flatMap(s => (s.op ? [s.op] : []));
  }

  allocate(size: bigint, align: bigint, owner?: string): AllocateOutcome {
    this.truncateToCurrent();
    const heap = this.head;
    const tracker = this.tracker();
    // A failed allocate leaves the heap untouched, so the explanation sees the heap that refused.
    const result = heap.allocate(size, align, owner || undefined);
    const op: SimOperation = { kind: 'alloc', size, align, ...(owner ? { owner } : {}) };
    if (!result.ok) {
      const notice = explainAllocationFailure(heap, size, align).notice;
      this.push(op, { ok: false, detail: `${result.error}: ${notice.message}`, changes: [] });
      this.lastStep = tracker ? { step: this.currentStep, diff: tracker.unchanged() } : undefined;
      this.emit({ history: true, historyFrom: this.currentStep, notice });
      return { ok: false, error: result.error, notice };
    }
    const change = this.tracked(tracker?.afterAllocate(result));
    const changes: WireChange[] = [{ kind: 'new', offset: result.offset, order: result.order }];
    if (result.splitFrom > result.order) {
      const span = heap.orderSize(result.splitFrom);
      changes.push({ kind: 'split', offset: Math.floor(result.offset / span) * span, order: result.splitFrom });
    }
    const address = heap.address(result.offset);
    const split =
      result.splitFrom > result.order
        ? `, ${l10n.t('split a {0} block (order {1})', formatBytes(heap.orderSize(result.splitFrom)), result.splitFrom)}`
        : '';
    this.push(op, {
      ok: true,
      detail: l10n.t('{0}: {1} block, order {2}', hex(address), formatBytes(heap.orderSize(result.order)), result.order) + split,
      changes,
    });
    this.emitStep(change);
    return { ok: true, address, offset: result.offset, order: result.order };
  }

  /** Frees the allocation at `offset` with the layout it was allocated with. */
  freeAt(offset: number): FreeOutcome {
    const allocation = this.shown.allocationAt(offset);
    if (!allocation) {
      const message = l10n.t('{0} is not the start of an allocated block', hex(this.shown.address(offset)));
      this.emit({ notice: { level: 'error', title: 'NotAllocated', message, blocks: [] } });
      return { ok: false, error: 'NotAllocated', message };
    }
    return this.free(this.shown.address(offset), allocation.size, allocation.align);
  }

  free(address: bigint, size: bigint, align: bigint): FreeOutcome {
    this.truncateToCurrent();
    const heap = this.head;
    const op: SimOperation = { kind: 'free', address, size, align };
    const relative = address - this.layout.base;
    const offset = Number(relative);
    // deallocateAt judges the address as given (below the base, past the heap), so the message
    // names the address the user freed.
    const owner = relative >= 0n && relative < this.layout.size ? heap.allocationAt(offset)?.owner : undefined;
    const tracker = this.tracker();
    const result = heap.deallocateAt(address, size, align);
    if (!result.ok) {
      // Recorded too: a rejected free is part of what happened, and replays to the same error.
      this.push(op, { ok: false, detail: `${result.error}: ${result.message}`, changes: [] });
      const notice: WireNotice = { level: 'error', title: result.error, message: result.message, blocks: [] };
      this.lastStep = tracker ? { step: this.currentStep, diff: tracker.unchanged() } : undefined;
      this.emit({ history: true, historyFrom: this.currentStep, notice });
      return { ok: false, error: result.error, message: result.message };
    }
    const change = this.tracked(tracker?.afterFree({ ...result, offset, owner }));
    const changes: WireChange[] = [{ kind: 'freed', offset: Number(offset), order: result.order }];
    if (result.mergedOrder > result.order) changes.push({ kind: 'merged', offset: result.mergedOffset, order: result.mergedOrder });
    const merged =
      result.mergedOrder > result.order
        ? `, ${l10n.t(
            'merged into a {0} block at {1} (order {2})',
            formatBytes(heap.orderSize(result.mergedOrder)),
            hex(heap.address(result.mergedOffset)),
            result.mergedOrder,
          )}`
        : '';
    const freed = formatBytes(heap.orderSize(result.order));
    this.push(op, {
      ok: true,
      detail: (owner ? l10n.t('freed {0} of {1}', freed, owner) : l10n.t('freed {0}', freed)) + merged,
      changes,
    });
    this.emitStep(change);
    return { ok: true };
  }

  /** Back to one free block, forgetting the history. */
  reset(): void {
    const created = BuddyHeap.create(this.layout);
    if (!created.ok) throw new Error(`layout became invalid: ${created.error}`);
    this.resetTo(created.heap);
    this.emit({ view: true, history: true, notice: null });
  }

  /**
   * Applies many operations with one change event at the end (a replayed trace), and shows either
   * the last step or, step by step, the first.
   */
  applyAll(ops: readonly SimOperation[], show: 'last' | 'first'): { applied: number; failed: number } {
    let failed = 0;
    this.quiet = true;
    // The operations below are not followed one by one: the next single one starts afresh.
    this.incremental = undefined;
    try {
      for (const op of ops) {
        const ok = op.kind === 'alloc' ? this.allocate(op.size, op.align, op.owner).ok : this.free(op.address, op.size, op.align).ok;
        if (!ok) failed++;
      }
    } finally {
      this.quiet = false;
    }
    if (show === 'first' && this.steps.length > 1) {
      this.shown = this.heapAt(0);
      this.currentStep = 0;
      this.cachedView = undefined;
    }
    this.emit({ view: true, history: true, notice: null });
    return { applied: ops.length, failed };
  }

  exportTrace(): string {
    return traceText(this.layout, this.operations());
  }

  //#endregion

  private quiet = false;
  private published: SourceState | undefined;
  /** Follows `head` operation by operation while single operations are applied to it. */
  private incremental: IncrementalView | undefined;
  /** The diff into the last step, when the tracker made it (no decode needed to compare it with the one before). */
  private lastStep: { readonly step: number; readonly diff: ComparableDiff } | undefined;

  /** The tracker of `head`, started from its decoded view when there is none (or quiet: none at all). */
  private tracker(): IncrementalView | undefined {
    if (this.quiet) return undefined;
    if (this.incremental?.heap !== this.head) {
      const decoded = this.shown === this.head && this.cachedView ? this.cachedView.view : viewOfModel(this.head);
      this.incremental = IncrementalView.follow(this.head, decoded);
    }
    return this.incremental;
  }

  /** Keeps the tracker only when it could follow the operation. */
  private tracked(change: StepChange | undefined): StepChange | undefined {
    if (!change) this.incremental = undefined;
    return change;
  }

  /** Publishes a step that changed the heap: with its patch and diff when they were followed. */
  private emitStep(change: StepChange | undefined): void {
    this.lastStep = change ? { step: this.currentStep, diff: change.diff } : undefined;
    this.emit({
      view: true,
      history: true,
      historyFrom: this.currentStep,
      notice: null,
      ...(change ? { viewPatch: change.patch } : {}),
    });
  }

  /** The shown step's decoded view, kept for comparisons once another step is shown. */
  private keepShownView(): void {
    if (this.cachedView && !this.quiet) this.viewCache.set(this.currentStep, this.cachedView.view);
  }

  private emit(change: Omit<SourceChange, 'state'>): void {
    if (this.quiet) return;
    this.published = this.snapshotState();
    this.changed.fire({ ...change, state: this.published });
  }

  /**
   * The state as of now. The shown view is decoded only when read: the panel reads it at once, and
   * a simulation with no panel never pays for it.
   */
  private snapshotState(): SourceState {
    const last = this.lastStep;
    return lazyState({
      source: this.describe(),
      history: this.history(),
      shown: () => this.current(),
      viewAt: step => this.viewAt(step),
      stepDiff: step => (last && last.step === step ? last.diff : undefined),
    });
  }

  private resetTo(fresh: BuddyHeap): void {
    this.incremental = undefined;
    this.lastStep = undefined;
    this.head = fresh;
    this.shown = fresh;
    this.currentStep = 0;
    this.checkpoints = new Map([[0, fresh.clone()]]);
    this.checkpointEvery = 16;
    this.viewCache = new Map();
    this.steps = [
      {
        entry: {
          step: 0,
          op: 'heap',
          text: heapLine(this.layout),
          ok: true,
          detail: l10n.t('one free {0} block', formatBytes(this.layout.size)),
          changes: [],
        },
        stats: statsOf(fresh),
      },
    ];
    this.cachedView = undefined;
  }

  /** A new operation after stepping back drops the steps after the shown one (like undo then edit). */
  private truncateToCurrent(): void {
    if (this.atLatest) {
      this.keepShownView();
      return;
    }
    this.viewCache.clear();
    this.keepShownView();
    this.steps = this.steps.slice(0, this.currentStep + 1);
    for (const step of this.checkpoints.keys()) if (step > this.currentStep) this.checkpoints.delete(step);
    this.head = this.shown;
  }

  private push(op: SimOperation, outcome: Pick<WireHistoryEntry, 'ok' | 'detail' | 'changes'>): void {
    const step = this.steps.length;
    this.lastStep = undefined;
    this.steps.push({ op, entry: { step, op: op.kind, text: operationLine(op), ...outcome }, stats: statsOf(this.head) });
    if (step % this.checkpointEvery === 0) {
      this.checkpoints.set(step, this.head.clone());
      // Over budget: keep every other checkpoint and space new ones twice as far apart, so a long
      // history costs bounded memory and stepping replays at most `checkpointEvery` operations.
      if (this.checkpoints.size > this.maxCheckpoints) {
        this.checkpointEvery *= 2;
        for (const kept of [...this.checkpoints.keys()]) if (kept % this.checkpointEvery !== 0) this.checkpoints.delete(kept);
      }
    }
    this.currentStep = step;
    this.shown = this.head;
    this.cachedView = undefined;
  }

  private heapAt(step: number): BuddyHeap {
    if (step === this.steps.length - 1) return this.head;
    let from = step;
    while (!this.checkpoints.has(from)) from--;
    const heap = this.checkpoints.get(from)!.clone();
    for (let s = from + 1; s <= step; s++) {
      const op = this.steps[s]!.op;
      if (!op) continue;
      if (op.kind === 'alloc') heap.allocate(op.size, op.align, op.owner);
      else heap.deallocate(Number(op.address - this.layout.base), op.size, op.align);
    }
    return heap;
  }
}

/** Per-step statistics from the model's list counts: O(orders) per step, however long the lists. */
function statsOf(heap: BuddyHeap): StepStats {
  const free = heap.freeBytes();
  const largest = heap.largestFreeBlock();
  return { freeBytes: free, largestFree: largest, fragmentation: free === 0 ? 0 : 1 - largest / free };
}
