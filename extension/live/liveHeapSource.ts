// A device's heap as a panel source, for one (debug session, heap). Session events and the user's
// intents go through the state machine (liveHeapMachine.ts); this class carries out its effects:
// reads (RefreshController → LiveHeapReader → decodeHeap), the history of snapshots with what
// changed since the previous stop, and the notices (worded by liveNotices.ts). Failures become a
// notice and a log line, never a throw. No vscode import: unit tests drive it with session events.
import * as l10n from '@vscode/l10n';
import { decodeHeap } from '../../core/decoder/decode';
import { emptyHeapView } from '../../core/decoder/emptyHeapView';
import type { DecodedHeapView, HeapSnapshot } from '../../core/decoder/types';
import { formatBytes, hex } from '../../core/layout';
import { ByteImage } from '../../core/memory/byteImage';
import type { WireSource } from '../../core/protocol/viewModel';
import { blockIndexAt } from '../../core/tree/blockLookup';
import type { LiveHeapRead, StopContext } from '../dap/liveHeapReader';
import { LiveReadError, isFatal } from '../dap/liveErrors';
import type { LiveOwnership } from '../dap/ownership/liveOwnership';
import {
  type PanelSource,
  type SourceChange,
  type SourceHistory,
  type SourceState,
  type SourceView,
  lazyState,
} from '../panel/panelSource';
import { Emitter } from '../util/emitter';
import { type Effect, INITIAL_MACHINE, type LiveMachine, type MachineEvent, transition } from './liveHeapMachine';
import { LiveNotices, type Telling, midUpdateCause } from './liveNotices';
import { RefreshController } from './refreshController';
import { sameSnapshot } from './sameSnapshot';
import type { SessionEvent } from '../dap/sessionEvents';
import { SnapshotHistory, type StepCapture } from './snapshotHistory';

/** Before the first snapshot, no heap: the source's notice says why it is empty (views are immutable: one serves all). */
const NO_HEAP_YET = emptyHeapView({ heapBase: 0n, pointerWidth: 4, endianness: 'little', findings: [] });

/** What the status bar and the panel's header say about the heap. */
export type LiveState = 'waiting' | 'reading' | 'ok' | 'stale' | 'error' | 'ended';

/** A read still running this long after it began is shown as reading (shorter ones go straight to their result). */
export const READING_TOLD_AFTER_MS = 100;

export interface LiveStatus {
  readonly state: LiveState;
  /** Stops seen since the source was made. */
  readonly stops: number;
  /** Of the latest snapshot; undefined before the first. */
  readonly freeBytes: number | undefined;
  readonly heapSize: number | undefined;
  readonly findings: number;
  /** The last error or why the view is stale. */
  readonly message: string | undefined;
}

/** What the source needs from a reader (LiveHeapReader; tests may pass their own). */
export interface SnapshotReader {
  read(stop: StopContext, signal?: AbortSignal): Promise<LiveHeapRead>;
  /** Drop what is cached about where the heap is (the program may have changed). */
  forgetLocation?(): void;
  /** The frame the last read evaluated in (see LiveHeapReader). */
  readonly frameUsed?: number | undefined;
  /** Whether another frame could find another heap. */
  readonly frameMatters?: boolean;
}

export interface LiveSourceOptions {
  readonly sessionId: string;
  readonly sessionName: string;
  /** The heap's name from the settings, or the expression typed in. */
  readonly heapName: string;
  readonly reader: SnapshotReader;
  readonly log: (message: string) => void;
  readonly keptViews?: number;
  /**
   * Auto-attached from the settings: the heap may simply not exist in this session's program, so
   * an expression that does not evaluate is said once, as information, and then only retried.
   */
  readonly quietWhenAbsent?: boolean;
  /**
   * True the first time this debug session hears `what` (from any of its heaps): a debug adapter
   * that cannot read memory is said once per session, not by every heap at every stop.
   */
  readonly firstInSession?: (what: string) => boolean;
  /** Runs the ownership scan after each read, when the program's debug info is known. */
  readonly ownership?: OwnershipScanner;
}

/** Who owns each block at this stop (see extension/dap/ownership); undefined when it cannot tell. */
export interface OwnershipScanner {
  scan(read: LiveHeapRead, view: DecodedHeapView, stop: StopContext, signal?: AbortSignal): Promise<LiveOwnership | undefined>;
}

/** One stop's read: the heap, decoded, and the ownership scan when one ran. */
interface StopRead {
  readonly read: LiveHeapRead;
  /** A re-read at the same stop that found the same heap: no new step (decided once, when read). */
  readonly unchanged: boolean;
  readonly view: DecodedHeapView;
  readonly ownership: LiveOwnership | undefined;
}

/** The latest snapshot read, its decoded view and how it was read. */
export interface LatestRead {
  readonly snapshot: HeapSnapshot;
  readonly view: DecodedHeapView;
  readonly read: LiveHeapRead;
}

export class LiveHeapSource implements PanelSource {
  private readonly changed = new Emitter<SourceChange>();
  readonly onDidChange = this.changed.event;
  readonly sessionId: string;
  readonly heapName: string;

  private machine: LiveMachine = INITIAL_MACHINE;
  private readonly history_: SnapshotHistory;
  private readonly controller: RefreshController<StopRead>;
  private readonly notices: LiveNotices;
  /** The last error or why the view is stale, for the status line. */
  private message: string | undefined;
  private latest: LatestRead | undefined;
  private published: SourceState | undefined;
  /** The latest read's stack arriving after its panel update (see followStack). */
  private stackFollowUp: Promise<void> | undefined;
  /** The pending "reading" publish (see publishSoon). */
  private readingTold: ReturnType<typeof setTimeout> | undefined;
  /** The detail line's words for the last read described (see readWords). */
  private readWordsSaid:
    { view: DecodedHeapView; pointerWidth: number; mode: string; bytesRead: number; requests: number; words: string } | undefined;

  constructor(private readonly options: LiveSourceOptions) {
    this.sessionId = options.sessionId;
    this.heapName = options.heapName;
    this.history_ = new SnapshotHistory(options.keptViews);
    this.notices = new LiveNotices(options.heapName, options.sessionName, options.firstInSession);
    this.controller = new RefreshController<StopRead>({
      refresh: (stop, signal) => this.readAt(stop, signal),
      onResult: read => this.onRead(read),
      onError: error => this.onError(error),
    });
  }

  //#region PanelSource

  /** The latest published state; built now if nothing was published yet. */
  get state(): SourceState {
    return (this.published ??= this.snapshotState());
  }

  describe(): WireSource {
    return { kind: 'live', label: `${this.heapName} — ${this.options.sessionName}`, detail: this.detail(), canSimulate: false };
  }

  current(): SourceView {
    const step = this.history_.current;
    const ownership = this.history_.ownershipAt(step);
    return { view: this.history_.viewAt(step) ?? NO_HEAP_YET, allocations: [], ...(ownership ? { ownership } : {}) };
  }

  history(): SourceHistory {
    return this.history_.snapshotHistory();
  }

  viewAt(step: number): DecodedHeapView | undefined {
    return this.history_.viewAt(step);
  }

  stepTo(step: number): boolean {
    if (step === this.history_.current) return this.history_.viewAt(step) !== undefined;
    if (!this.history_.stepTo(step)) return false;
    this.publish({ view: true, history: true, historyFrom: this.history_.total, source: true });
    return true;
  }

  dispose(): void {
    clearTimeout(this.readingTold);
    this.controller.dispose();
    this.changed.dispose();
  }

  //#endregion

  /** One event of the debug session this heap belongs to (from the session tracker). */
  handle(event: SessionEvent): void {
    this.dispatch(event);
  }

  /** The session is known to be stopped here (attach after the stop): read now. */
  stoppedAlready(stop: StopContext): Promise<void> {
    this.dispatch({ kind: 'attachedStopped', stop });
    return this.idle();
  }

  /** A refresh the user asked for; resolves when it settled (the result or the error is in the source). */
  refresh(frameId?: number): Promise<void> {
    this.dispatch({ kind: 'refresh', ...(frameId !== undefined ? { frameId } : {}) });
    return this.idle();
  }

  /**
   * The user selected a frame of this session (vscode.debug.onDidChangeActiveStackItem): read again
   * in it when the heap's place may depend on the frame; later reads at this stop use it too.
   */
  selectFrame(frameId: number): Promise<void> {
    const reader = this.options.reader;
    this.dispatch({
      kind: 'frameSelected',
      frameId,
      frameMatters: reader.frameMatters ?? false,
      ...(reader.frameUsed !== undefined ? { frameUsed: reader.frameUsed } : {}),
    });
    return this.idle();
  }

  /** Ends the source: no more reads; the last snapshot stays visible. */
  end(why: string): void {
    this.dispatch({ kind: 'end', why });
  }

  /** Resolves when the latest refresh has settled, with what its stack later added (see followStack). */
  async idle(): Promise<void> {
    await this.controller.idle();
    await this.stackFollowUp;
  }

  status(): LiveStatus {
    const view = this.latest?.view;
    return {
      state: this.phase(),
      stops: this.machine.stops,
      freeBytes: view?.stats.freeBytes,
      heapSize: view?.heapSize,
      findings: view?.findings.length ?? 0,
      message: this.message,
    };
  }

  /** Marks the latest history step (the stop where an allocation failed) and shows the history again. */
  markLatestStep(note: string): void {
    if (this.history_.markLatest(note)) this.publish({ history: true, historyFrom: this.history_.total - 1 });
  }

  /** The latest read (location, statistics), its snapshot and decoded view. */
  get latestRead(): LatestRead | undefined {
    return this.latest;
  }

  /** The steps whose reads are still kept (for Save Heap Snapshot), in step order, with their history text. */
  capturedSteps(scope: 'shown' | 'all'): { step: number; text: string; capture: StepCapture }[] {
    const h = this.history_;
    const steps = scope === 'shown' ? [h.current] : Array.from({ length: h.total }, (_, i) => i);
    return steps.flatMap(step => {
      const capture = h.captureAt(step);
      const entry = h.entryAt(step);
      return capture && entry ? [{ step, text: entry.text, capture }] : [];
    });
  }

  /**
   * Who owns the block holding `address` at the latest stop, by its ownership scan: the root word
   * at the start of its chain, or that nothing the scan can see owns it; undefined without a scan.
   */
  ownerOf(address: bigint): string | undefined {
    const scan = this.history_.ownershipAt(this.history_.total - 1)?.result;
    const block = scan ? scan.blockAt(address) : -1;
    if (!scan || block < 0) return undefined;
    return scan.owner(block)?.path ?? l10n.t('no owner the scan can see');
  }

  /** Auto-attached, never read, and reported absent from the session's program. */
  get absent(): boolean {
    return this.notices.absenceSaid && !this.latest;
  }

  get ended(): boolean {
    return this.machine.state.kind === 'ended';
  }

  /** Stops seen since the heap was attached. */
  get stopsSeen(): number {
    return this.machine.stops;
  }

  /** The heap offset of the block holding `address` in the shown view, or undefined outside the heap. */
  blockAt(address: bigint): { offset: number; order: number } | undefined {
    const view = this.current().view;
    const relative = address - view.heapBase;
    if (view.blocks.count === 0 || relative < 0n || relative >= BigInt(view.heapSize)) return undefined;
    const index = blockIndexAt(view, Number(relative));
    return { offset: view.blocks.offsets[index]!, order: view.blocks.orders[index]! };
  }

  /** Publishes the state after a change, with what changed, once. */
  private publish(change: Omit<SourceChange, 'state'>): void {
    clearTimeout(this.readingTold);
    this.readingTold = undefined;
    this.published = this.snapshotState();
    this.changed.fire({ ...change, state: this.published });
  }

  private snapshotState(): SourceState {
    const history = this.history_;
    const shown = this.current();
    return lazyState({
      source: this.describe(),
      history: history.snapshotHistory(),
      shown: () => shown,
      viewAt: step => history.viewAt(step),
      stepDiff: step => history.diffAt(step),
      ownershipAt: step => history.ownershipAt(step)?.result,
    });
  }

  private dispatch(event: MachineEvent): void {
    const { machine, effects } = transition(this.machine, event);
    const changedState = machine.state !== this.machine.state;
    this.machine = machine;
    let told = false;
    for (const effect of effects) told = this.run(effect) || told;
    // The status line follows every change of state, even when there is nothing to tell; that a
    // read began is told only if it is still running a moment later (most reads end sooner, and
    // their result is told at once: the panel is told once per stop, not twice).
    if (changedState && !told) {
      if (machine.state.kind === 'reading') this.publishSoon();
      else this.publish({ source: true });
    }
  }

  /** Publishes "reading" after READING_TOLD_AFTER_MS unless something is published first. */
  private publishSoon(): void {
    if (this.readingTold !== undefined) return;
    this.readingTold = setTimeout(() => {
      this.readingTold = undefined;
      if (this.machine.state.kind === 'reading') this.publish({ source: true });
    }, READING_TOLD_AFTER_MS);
    this.readingTold.unref?.();
  }

  /** Carries out one effect; true when it already told the panel. */
  private run(effect: Effect): boolean {
    switch (effect.kind) {
      case 'read':
        void this.controller.stopped(effect.stop);
        // The requests are out: the stop's text is worded while the adapter answers, not after.
        void effect.text;
        return false;
      case 'cancelRead':
        this.controller.cancel();
        return false;
      case 'stopReading':
        this.controller.dispose();
        return false;
      case 'forgetLocation':
        this.options.reader.forgetLocation?.();
        return false;
      case 'announce':
        if (effect.what === 'resumeRefused')
          this.options.log(`${this.heapName}: the adapter refused to resume: still stopped at stop ${this.machine.stops}`);
        return this.tell(this.notices.announce(effect.what, this.machine.stops, this.latest !== undefined));
      case 'replayFrame':
        void this.selectFrame(effect.frameId);
        return false;
      case 'ended':
        return this.tell(this.notices.ended(effect.why));
    }
  }

  /** Tells the panel (and the log, unless the read's own log lines already say it). */
  private tell(telling: Telling, change: Omit<SourceChange, 'notice' | 'state'> = {}, log = true): boolean {
    this.message = telling.message;
    const { notice } = telling;
    if (log && notice && notice !== 'quiet') {
      // Most titles name the heap already ("HEAP: Target running"); the log line names it once.
      const title = notice.title.startsWith(`${this.heapName}: `) ? notice.title : `${this.heapName}: ${notice.title}`;
      this.options.log(`${title}: ${notice.message}`);
    }
    this.publish({ source: true, ...change, ...(notice !== 'quiet' ? { notice } : {}) });
    return true;
  }

  /** Reads the heap, decodes it and, unless it is unchanged at the same stop, scans who owns it. */
  private async readAt(stop: StopContext, signal: AbortSignal): Promise<StopRead> {
    let read = await this.options.reader.read(stop, signal);
    const same = this.latest !== undefined && sameSnapshot(this.latest.snapshot, read.snapshot);
    if (same && this.atSameStop()) return { read, unchanged: true, view: this.latest!.view, ownership: undefined };
    // A new stop that changed nothing (common when stepping through code that does not allocate):
    // the same bytes decode to the same view, so the latest one is used again (views are immutable).
    const view = same ? this.latest!.view : decodeHeap(read.snapshot);
    // Findings are corruption unless the target stopped inside the allocator: the stack decides
    // what the panel is told, so it is asked and waited for. A clean heap is shown first (followStack).
    if (read.askStack && view.findings.length > 0) read = withStack(read, await read.askStack());
    const scanner = this.options.ownership;
    if (!scanner || view.blocks.count === 0) return { read, unchanged: false, view, ownership: undefined };
    try {
      return { read, unchanged: false, view, ownership: await scanner.scan(read, view, stop, signal) };
    } catch (error) {
      // A target that resumed or a session that ended fails the whole read; anything else only the scan.
      if (error instanceof LiveReadError && isFatal(error)) throw error;
      this.options.log(`${this.heapName}: the ownership scan failed: ${error instanceof Error ? error.message : String(error)}`);
      return { read, unchanged: false, view, ownership: undefined };
    }
  }

  private atSameStop(): boolean {
    const state = this.machine.state;
    return state.kind === 'reading' && state.sameStop;
  }

  private onRead({ read, unchanged, view, ownership }: StopRead): void {
    const state = this.machine.state;
    if (state.kind !== 'reading') return;
    if (unchanged) {
      this.unchanged(read, state.text);
      return;
    }
    this.latest = { snapshot: read.snapshot, view, read };
    const memory = read.snapshot.memory;
    const entry = this.history_.push(
      view,
      state.text,
      {
        snapshot: read.snapshot,
        stop: state.stop,
        time: new Date().toISOString(),
        ...(this.options.reader.frameUsed !== undefined ? { frameId: this.options.reader.frameUsed } : {}),
        // The scan's heap bytes are a superset of the read's (it adds the allocated blocks): count them once.
        bytes: ownership ? ownership.inputs.heapMemory.residentBytes : memory instanceof ByteImage ? memory.residentBytes : memory.size,
        ...(ownership ? { ownership: ownership.inputs } : {}),
      },
      ownership?.result,
    );
    // Only the new stop's step was added: the panel gets the history's tail. The panel is told
    // first; the log lines say the same and can follow.
    this.settle(
      { kind: 'readOk' },
      this.notices.readOk(read, view),
      { view: true, history: true, historyFrom: this.history_.total - 1 },
      false,
    );
    const s = read.stats;
    this.options.log(
      `${this.heapName}: ${entry.text}: ${entry.detail} [${s.mode} read: ${s.requests} requests, ${s.bytesRead} B in ${s.elapsedMs.toFixed(1)} ms${s.failedReads + s.shortReads > 0 ? `, ${s.failedReads} failed and ${s.shortReads} short reads (unknown bytes)` : ''}]`,
    );
    for (const note of read.notes) this.options.log(`${this.heapName}: ${note.message}`);
    if (ownership) this.logScan(ownership);
    this.followStack(read, view, true);
  }

  /**
   * The stack of a read shown before it came: kept with the latest read, and when the target
   * stopped inside the allocator, the panel is told so (a clean heap: an info notice, once it is
   * known). Moot once the target left that stop (resumed, stopped again, or the session ended).
   */
  private followStack(read: LiveHeapRead, view: DecodedHeapView, tell: boolean): void {
    if (!read.askStack) return;
    const stop = this.machine.stops;
    this.stackFollowUp = read.askStack().then(stack => {
      if (this.latest?.read !== read || this.machine.state.kind !== 'stopped' || this.machine.stops !== stop) return;
      const known = withStack(read, stack);
      this.latest = { ...this.latest, read: known };
      if (tell && midUpdateCause(known)?.kind === 'frame') this.tell(this.notices.readOk(known, view));
    });
  }

  /** A re-read at the same stop found the same heap: no new step, the latest one shown. */
  private unchanged(read: LiveHeapRead, text: string): void {
    // The same stop: its stack, when already known, is the one to keep (no request for it again).
    const stack = this.latest!.read.stack;
    this.latest = { ...this.latest!, read: stack && read.askStack ? withStack(read, stack) : read };
    this.followStack(this.latest.read, this.latest.view, false);
    const stepped = !this.history_.atLatest && this.history_.stepTo(this.history_.total - 1);
    this.options.log(
      `${this.heapName}: ${text}: nothing changed since the last read (no new history step) [${read.stats.requests} requests, ${read.stats.bytesRead} B]`,
    );
    this.settle(
      { kind: 'readOk' },
      { notice: 'quiet', message: undefined },
      stepped ? { view: true, history: true, historyFrom: this.history_.total } : {},
      false,
    );
  }

  private onError(error: LiveReadError): void {
    if (error.kind === 'cancelled' || this.machine.state.kind !== 'reading') return;
    const quietWhenAbsent = this.options.quietWhenAbsent ?? false;
    this.settle({ kind: 'readFailed', error: error.kind, quietWhenAbsent }, this.notices.readFailed(error, quietWhenAbsent), {}, true);
  }

  /** A read settled: the machine moves on, the panel is told once, then any follow-up effect runs. */
  private settle(
    event: Extract<MachineEvent, { kind: 'readOk' | 'readFailed' }>,
    telling: Telling,
    change: Omit<SourceChange, 'notice' | 'state'>,
    log: boolean,
  ): void {
    const { machine, effects } = transition(this.machine, event);
    this.machine = machine;
    this.tell(telling, change, log);
    for (const effect of effects) this.run(effect);
  }

  private logScan({ result, stats, notes }: LiveOwnership): void {
    const leaks = result.leakSummary();
    this.options.log(
      `${this.heapName}: ownership: ${result.blockCount} blocks from ${result.roots.length} roots, ${result.stats.references} references, ${leaks.count} possible leaks [${stats.requests} requests, ${stats.bytesRead} B in ${stats.elapsedMs} ms]`,
    );
    for (const note of notes) this.options.log(`${this.heapName}: ownership: ${note}`);
  }

  private phase(): LiveState {
    const state = this.machine.state;
    const snapshot = this.latest !== undefined;
    switch (state.kind) {
      case 'idle':
        return 'waiting';
      case 'running':
        return snapshot ? 'stale' : 'waiting';
      case 'reading':
        return 'reading';
      case 'stopped':
        if (state.outcome === 'failed') return 'error';
        if (state.outcome === 'absent') return snapshot ? 'stale' : 'waiting';
        return snapshot ? 'ok' : 'waiting';
      case 'ended':
        return 'ended';
    }
  }

  private detail(): string {
    const latest = this.latest;
    const stops = this.machine.stops;
    const shown =
      this.history_.atLatest || this.history_.total === 0
        ? ''
        : ` · ${l10n.t('showing step {0} of {1}', this.history_.current, this.history_.total - 1)}`;
    return l10n.t('Live · {0}', this.phaseWords(stops)) + `${shown} · ${this.readWords(latest)}`;
  }

  /** The state part of the detail line: only the shown phase's words are made (the line is made twice per stop). */
  private phaseWords(stops: number): string {
    const phase = this.phase();
    switch (phase) {
      case 'waiting':
        return this.machine.state.kind === 'running' ? l10n.t('running, waiting for a stop') : l10n.t('waiting for a stop');
      case 'reading':
        return l10n.t('reading at stop {0}', stops);
      case 'ok':
        return l10n.t('stop {0}', stops);
      case 'stale':
        return l10n.t('STALE — target running, showing stop {0}', stops);
      case 'error':
        return l10n.t('error at stop {0}', stops);
      case 'ended':
        return l10n.t('session ended');
    }
  }

  /** Where the heap is and what its last read cost; the same words while the read looks the same. */
  private readWords(latest: LatestRead | undefined): string {
    if (!latest) return l10n.t('not read yet');
    const { view, read } = latest;
    const { stats, location } = read;
    const said = this.readWordsSaid;
    if (
      said &&
      said.view === view &&
      said.pointerWidth === location.pointerWidth &&
      said.mode === stats.mode &&
      said.bytesRead === stats.bytesRead &&
      said.requests === stats.requests
    )
      return said.words;
    const where = l10n.t(
      '{0} at {1}, {2} orders, {3}-byte pointers',
      formatBytes(view.heapSize),
      hex(view.heapBase),
      view.orders,
      location.pointerWidth,
    );
    const cost = ` · ${l10n.t('{0} read: {1} in {2} requests', stats.mode === 'full' ? l10n.t('full') : l10n.t('sparse'), formatBytes(stats.bytesRead), stats.requests)}`;
    const words = where + cost;
    this.readWordsSaid = {
      view,
      pointerWidth: location.pointerWidth,
      mode: stats.mode,
      bytesRead: stats.bytesRead,
      requests: stats.requests,
      words,
    };
    return words;
  }
}

/** A read with its stack known (and no longer to ask). */
function withStack(read: LiveHeapRead, stack: readonly string[]): LiveHeapRead {
  const { askStack: _asked, ...rest } = read;
  return { ...rest, stack };
}
