// Connects one heap source to one webview: answers the ready handshake with the full state the
// source last published, sends only the changed parts of each state it pushes after that, and
// turns validated intents into source calls. It never asks a source for anything. It knows
// nothing of vscode (the transport is an interface), so it runs in plain Node unit tests.
import type { FromWebviewMessage, PanelCommand, RenderedMessage, ToWebviewMessage, UpdateMessage } from '../../core/protocol/messages';
import { diffViews } from '../../core/diff/diffViews';
import { applyViewPatch } from '../../core/protocol/applyViewPatch';
import { patchBetween } from '../../core/protocol/patchBetween';
import type { WireViewPatch } from '../../core/protocol/viewPatch';
import { compareLeakSuspects } from '../../core/ownership/compareLeaks';
import { type HeapBounds, validateFromWebview } from '../../core/protocol/validate';
import {
  HeapViewModel,
  PROTOCOL_VERSION,
  blockLeafStarts,
  WireDiff,
  WireHistory,
  WireHistoryTail,
  WireNotice,
} from '../../core/protocol/viewModel';
import type { PanelSource, SourceChange, SourceHistory, SourceState, SourceView } from './panelSource';
import { Disposable, Emitter } from '../util/emitter';
import { buildViewModel } from './buildViewModel';

export interface PanelTransport {
  post(message: ToWebviewMessage): void;
  log(message: string): void;
  /** Runs a contributed command (the panel's buttons use the same commands as the palette). */
  runCommand(command: PanelCommand): void;
}

/** Optional abilities of a source that can be changed from the panel (the simulation). */
export interface FreeableSource extends PanelSource {
  freeAt(offset: number): { ok: boolean };
}

function canFree(source: PanelSource): source is FreeableSource {
  return typeof (source as Partial<FreeableSource>).freeAt === 'function';
}

/** History entries sent around the current step; the chart still gets every step's statistics. */
export const HISTORY_WINDOW = 500;

/** Sent messages kept for inspection. */
const SENT_KEPT = 8;
/** Notices kept for inspection: small, so more of them than whole messages. */
const NOTICES_KEPT = 64;

export class PanelController implements Disposable {
  private source: PanelSource;
  private subscription: Disposable;
  private ready = false;
  private revision = 0;
  private selection: number | null = null;
  private notice: WireNotice | null = null;
  /** The step the shown one is compared with; null: the step before it. */
  private compareStep: number | null = null;
  /** The view the panel was told: the last whole view built for it and the patches since (posted or not). */
  private told: HeldView | undefined;
  /** The webview holds what it was told (every message since its last whole view was posted), so a change can be a patch. */
  private webviewHolds = false;
  /** The last wire model built and what it was built from. */
  private built: { readonly shown: SourceView; readonly model: HeapViewModel } | undefined;
  /** The history window the webview holds (so a change can be sent as a tail). */
  private historyHeld: HistoryWindow | undefined;
  /** The size and block size of the heap the webview holds: a block offset it sends is checked against them. */
  private boundsHeld: HeapBounds | undefined;
  /**
   * The last few host messages sent, newest last (tests read what the panel was told). Few: a
   * message for a 1M-block heap holds ~13 MB of typed arrays.
   */
  readonly sent: ToWebviewMessage[] = [];
  /** Every notice an update told the panel (null: cleared), newest last, however many messages came between. */
  readonly noticesSent: (WireNotice | null)[] = [];
  /** What the webview last reported drawing. */
  lastRendered: RenderedMessage | undefined;
  private readonly renderedEmitter = new Emitter<RenderedMessage>();
  readonly onDidRender = this.renderedEmitter.event;

  constructor(
    source: PanelSource,
    private readonly transport: PanelTransport,
  ) {
    this.source = source;
    this.subscription = this.follow(source);
  }

  get currentSource(): PanelSource {
    return this.source;
  }

  /** Shows another source (e.g. a live heap when a debug session stops) in the same panel. */
  setSource(source: PanelSource): void {
    this.subscription.dispose();
    this.source = source;
    this.subscription = this.follow(source);
    this.selection = null;
    this.notice = null;
    this.compareStep = null;
    if (this.ready) this.sendInit();
  }

  /** Shows a message in the panel (e.g. a command's error) until the next change. */
  showNotice(notice: WireNotice | null): void {
    this.notice = notice;
    this.send({ type: 'update', revision: ++this.revision, notice });
  }

  select(offset: number | null): void {
    this.selection = offset;
    this.send({ type: 'update', revision: ++this.revision, selection: offset });
  }

  get selectedOffset(): number | null {
    return this.selection;
  }

  /** Entry point for everything the webview posts. Malformed messages are logged and dropped. */
  receive(raw: unknown): void {
    // The bounds of the heap the webview was sent (a patch keeps them), else the shown view's.
    const checked = validateFromWebview(raw, () => this.boundsHeld ?? this.source.state.shown.view);
    if (!checked.ok) {
      this.transport.log(`rejected a message from the heap panel: ${checked.error}`);
      return;
    }
    try {
      this.handle(checked.value);
    } catch (error) {
      this.transport.log(
        `the heap panel's ${checked.value.type} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
      );
    }
  }

  private heldOrLog(): HeapViewModel | undefined {
    try {
      return this.told?.view();
    } catch (error) {
      this.transport.log(error instanceof Error ? error.message : String(error));
      this.told = undefined;
      this.webviewHolds = false;
      return undefined;
    }
  }

  /** The view the panel was last told (whole or patched; built even while its webview was not ready). */
  heldView(): HeapViewModel | undefined {
    return this.told?.view();
  }

  /** Compares the shown step with `step` (null: with the step before it), as the panel's compare picker does. */
  compareWith(step: number | null): void {
    this.compareStep = step;
    this.send({ type: 'update', revision: ++this.revision, diff: wireDiff(this.source.state, this.compareStep) });
  }

  /** The webview was destroyed (panel hidden without retained context): wait for its next `ready`. */
  webviewReset(): void {
    this.ready = false;
  }

  dispose(): void {
    this.subscription.dispose();
    this.renderedEmitter.dispose();
  }

  private handle(message: FromWebviewMessage): void {
    switch (message.type) {
      case 'ready':
        if (message.protocol !== PROTOCOL_VERSION)
          this.transport.log(`heap panel speaks protocol ${message.protocol}, host ${PROTOCOL_VERSION}`);
        this.ready = true;
        this.sendInit();
        return;
      case 'selectBlock':
        this.selection = message.offset;
        return;
      case 'stepTo':
        if (!this.source.stepTo(message.step)) this.transport.log(`no history step ${message.step}`);
        return;
      case 'compareWith':
        this.compareWith(message.step);
        return;
      case 'freeBlock':
        if (canFree(this.source)) this.source.freeAt(message.offset);
        else this.transport.log('this heap source cannot free blocks');
        return;
      case 'runCommand':
        this.transport.runCommand(message.command);
        return;
      case 'dismissNotice':
        this.notice = null;
        return;
      case 'rendered':
        this.lastRendered = message;
        this.renderedEmitter.fire(message);
        return;
      case 'webviewError':
        this.transport.log(`heap panel error: ${message.message}`);
        return;
    }
  }

  /** Listens to a source; a change still being delivered after the panel moved to another source is dropped. */
  private follow(source: PanelSource): Disposable {
    return source.onDidChange(change => {
      if (this.source === source) this.onSourceChange(change);
    });
  }

  private onSourceChange(change: SourceChange): void {
    const { state } = change;
    if (change.notice !== undefined) this.notice = change.notice;
    // Built even while the webview is hidden (then not posted): `sent` shows what it was told.
    const update: { -readonly [K in keyof UpdateMessage]: UpdateMessage[K] } = { type: 'update', revision: ++this.revision };
    if (change.source) update.source = state.source;
    if (change.view) {
      // An operation's patch when the webview holds the view it changes; otherwise the whole view,
      // or the patch from the view it holds to it when one exists (a live stop, a step).
      if (change.viewPatch && this.ready && this.webviewHolds) update.patch = change.viewPatch;
      else {
        const view = this.viewModel(state.shown);
        const held = this.ready && this.webviewHolds ? this.heldOrLog() : undefined;
        const patch = held && patchBetween(held, view);
        if (patch) {
          update.patch = patch;
          this.told = new HeldView(view, patch);
        } else update.view = view;
      }
    }
    if (change.history) {
      const tail =
        change.historyFrom !== undefined && this.ready ? historyTail(state.history, change.historyFrom, this.historyHeld) : undefined;
      if (tail) update.historyTail = tail;
      else update.history = wireHistory(state.history);
      if (this.compareStep !== null && this.compareStep >= state.history.total) this.compareStep = null;
      update.diff = wireDiff(state, this.compareStep);
    }
    if (change.notice !== undefined) update.notice = change.notice;
    this.send(update);
  }

  private sendInit(): void {
    const state = this.source.state;
    this.send({
      type: 'init',
      protocol: PROTOCOL_VERSION,
      revision: ++this.revision,
      source: state.source,
      view: this.viewModel(state.shown),
      history: wireHistory(state.history),
      diff: wireDiff(state, this.compareStep),
      selection: this.selection,
      notice: this.notice,
    });
  }

  /**
   * The wire model of a shown view. Views are immutable, so the same view with the same
   * allocations and scan (a live stop that changed nothing) gives the model built last time, and
   * then the patch to it costs nothing.
   */
  private viewModel(shown: SourceView): HeapViewModel {
    const last = this.built;
    if (
      last &&
      last.shown.view === shown.view &&
      last.shown.ownership === shown.ownership &&
      (last.shown.allocations === shown.allocations || (last.shown.allocations.length === 0 && shown.allocations.length === 0))
    )
      return last.model;
    const model = buildViewModel(shown.view, shown.allocations, shown.ownership);
    this.built = { shown, model };
    return model;
  }

  private send(message: ToWebviewMessage): void {
    // What the panel was told, posted or (while its webview is not ready) only built for it.
    if (message.view) this.told = new HeldView(message.view);
    else if (message.type === 'update' && message.patch && !this.told?.matches(message.patch)) this.told?.add(message.patch);
    this.sent.push(message);
    if (this.sent.length > SENT_KEPT) this.sent.shift();
    // An init repeats the notice already shown: only updates tell something new.
    if (message.type === 'update' && message.notice !== undefined) {
      this.noticesSent.push(message.notice);
      if (this.noticesSent.length > NOTICES_KEPT) this.noticesSent.shift();
    }
    if (!this.ready) {
      // Not posted: what the webview holds is unknown until the next init.
      this.webviewHolds = false;
      this.historyHeld = undefined;
      this.boundsHeld = undefined;
      return;
    }
    if (message.view) {
      this.webviewHolds = true;
      this.boundsHeld = { heapSize: message.view.layout.size, minBlockSize: message.view.layout.minBlockSize };
    }
    if (message.history) this.historyHeld = windowOf(message.history.total, message.history.current);
    if (message.type === 'update' && message.historyTail)
      this.historyHeld = windowOf(message.historyTail.total, message.historyTail.current);
    this.transport.post(message);
  }
}

/** Patches kept before they are folded into the view they change (bounds the memory they hold). */
const PATCHES_KEPT = 1024;

/**
 * A view the webview holds, as the whole view sent and the patches sent after it: folded into one
 * view only when asked for (an operation's patch costs nothing here).
 */
class HeldView {
  private patches: WireViewPatch[] = [];
  /** The patch this view was made with (already applied: not added again). */
  private readonly madeWith: WireViewPatch | undefined;

  constructor(
    private base: HeapViewModel,
    madeWith?: WireViewPatch,
  ) {
    this.madeWith = madeWith;
  }

  matches(patch: WireViewPatch): boolean {
    return patch === this.madeWith;
  }

  add(patch: WireViewPatch): void {
    this.patches.push(patch);
    if (this.patches.length >= PATCHES_KEPT) this.view();
  }

  view(): HeapViewModel {
    if (this.patches.length > 0) {
      let view = this.base;
      let starts = blockLeafStarts(view.blocks.codes, view.blocks.count);
      for (const patch of this.patches) {
        const outcome = applyViewPatch(view, starts, patch);
        if (!outcome.ok) throw new Error(`a patch sent to the panel does not fit its view: ${outcome.error}`);
        view = outcome.patched.view;
        starts = outcome.patched.leafStart;
      }
      this.base = view;
      this.patches = [];
    }
    return this.base;
  }
}

interface HistoryWindow {
  readonly start: number;
  readonly end: number;
  readonly total: number;
}

/** The entries a history sends: HISTORY_WINDOW steps around the current one. */
function windowOf(total: number, current: number): HistoryWindow {
  const start = Math.max(0, Math.min(current - HISTORY_WINDOW / 2, total - HISTORY_WINDOW));
  return { start, end: Math.min(total, start + HISTORY_WINDOW), total };
}

/**
 * The history from step `from` on, when the webview holds the rest (its window must cover the new
 * window's steps before `from`); undefined when only the whole history will do.
 */
export function historyTail(history: SourceHistory, from: number, held: HistoryWindow | undefined): WireHistoryTail | undefined {
  if (!held || from > held.total || from > history.total) return undefined;
  const window = windowOf(history.total, history.current);
  const keptEnd = Math.max(window.start, Math.min(from, window.end));
  if (window.start < held.start || (keptEnd > window.start && keptEnd > held.end)) return undefined;
  const entries = [];
  for (let step = Math.max(from, window.start); step < window.end; step++) entries.push(history.entry(step));
  const n = history.total - from;
  const freeBytes = new Float64Array(n);
  const largestFree = new Float64Array(n);
  const fragmentation = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const stats = history.stats(from + i);
    freeBytes[i] = stats.freeBytes;
    largestFree[i] = stats.largestFree;
    fragmentation[i] = stats.fragmentation;
  }
  return {
    total: history.total,
    current: history.current,
    windowStart: window.start,
    windowLength: window.end - window.start,
    from,
    entries,
    series: { freeBytes, largestFree, fragmentation },
  };
}

/**
 * The change from `fromStep` to the shown step, as columns (core/diff classifies it). The step
 * before the shown one uses the diff the source computed already, when it has one.
 */
export function wireDiff(state: SourceState, fromStep: number | null): WireDiff | null {
  const history = state.history;
  const base = fromStep ?? history.current - 1;
  if (base < 0 || base === history.current || base >= history.total) return null;
  // The source's own diff into the shown step first: it needs neither view decoded.
  const known = base === history.current - 1 ? state.stepDiff(history.current) : undefined;
  const before = known ? undefined : state.viewAt(base);
  if (!known && !before) return null;
  const diff = known ?? diffViews(before!, state.shown.view);
  if (!diff.comparable)
    return {
      fromStep: base,
      toStep: history.current,
      count: 0,
      offsets: new Float64Array(0),
      orders: new Uint8Array(0),
      kinds: new Uint8Array(0),
      summary: diff.summary,
    };
  const { count, offsets, orders, kinds } = diff.changes;
  const leaks = leaksBetween(state, base);
  return {
    fromStep: base,
    toStep: history.current,
    count,
    offsets: offsets.slice(0, count),
    orders: orders.slice(0, count),
    kinds: kinds.slice(0, count),
    summary: leaks ? `${diff.summary} ${leaks}` : diff.summary,
  };
}

/** How leak suspects moved from `base` to the shown step, when both were scanned for ownership. */
function leaksBetween(state: SourceState, base: number): string | undefined {
  const before = state.ownershipAt?.(base);
  const after = before && state.shown.ownership?.result;
  return before && after ? compareLeakSuspects(before, after).summary : undefined;
}

export function wireHistory(history: SourceHistory): WireHistory {
  const { start: windowStart, end: windowEnd } = windowOf(history.total, history.current);
  const entries = [];
  for (let step = windowStart; step < windowEnd; step++) entries.push(history.entry(step));
  const freeBytes = new Float64Array(history.total);
  const largestFree = new Float64Array(history.total);
  const fragmentation = new Float64Array(history.total);
  for (let step = 0; step < history.total; step++) {
    const stats = history.stats(step);
    freeBytes[step] = stats.freeBytes;
    largestFree[step] = stats.largestFree;
    fragmentation[step] = stats.fragmentation;
  }
  return { total: history.total, current: history.current, windowStart, entries, series: { freeBytes, largestFree, fragmentation } };
}
