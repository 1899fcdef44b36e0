// A device's heap as a panel source, for one (debug session, heap): each `stopped` refreshes it
// (RefreshController → LiveHeapReader → decodeHeap) and appends a snapshot to the history with
// what changed since the previous stop; `continued` marks it stale (the last snapshot stays, no
// reads while running); `terminated` ends it. Failures become a notice and a log line, never a
// throw. No vscode import: the unit tests drive it with DAP messages on a fake adapter.
import { decodeHeap } from '../../core/decoder/decode';
import type { DecodedHeapView, HeapSnapshot } from '../../core/decoder/types';
import { formatBytes, hex } from '../../core/layout';
import type { WireNotice, WireSource } from '../../core/protocol/viewModel';
import { blockIndexAt } from '../../core/tree/blockLookup';
import type { LiveHeapRead, StopContext } from '../live/liveHeapReader';
import { LiveReadError, type LiveErrorKind } from '../live/liveErrors';
import { RefreshController } from '../live/refreshController';
import type { HeapSource, SourceChange, SourceHistory, SourceView } from '../source/heapSource';
import { Emitter } from '../util/emitter';
import { emptyView } from './emptyView';
import { type LiveSimulationResult, simulateOnSnapshot } from './liveSimulation';
import { frameAction } from './frameSelection';
import { findingsNotice, mergeNotices, noteNotice, readProblemNotice } from './readNotices';
import { resumeRequestSeq } from './resumeRequests';
import { sameSnapshot } from './sameSnapshot';
import { SnapshotHistory } from './snapshotHistory';
import { isRecord } from '../../core/protocol/guards';

export type LiveState = 'waiting' | 'reading' | 'ok' | 'stale' | 'error' | 'ended';

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
}

const ERROR_TITLES: Readonly<Record<LiveErrorKind, string>> = {
  cancelled: 'Refresh cancelled',
  notStopped: 'Target running',
  busy: 'Debug adapter busy',
  disconnected: 'Debug session ended',
  unsupported: 'Heap cannot be read with this debug adapter',
  expression: 'Heap expression does not evaluate',
  notAHeap: 'Not a buddy heap',
  unreadable: 'Heap struct unreadable',
  zeroed: 'Heap struct reads as zeros',
  badResponse: 'Unexpected debug adapter answer',
  adapter: 'Debug adapter error',
  settings: 'Heap setting invalid',
};

export class LiveHeapSource implements HeapSource {
  private readonly changed = new Emitter<SourceChange>();
  readonly onDidChange = this.changed.event;
  readonly sessionId: string;
  readonly heapName: string;

  private readonly history_: SnapshotHistory;
  private readonly controller: RefreshController<LiveHeapRead>;
  private state: LiveState = 'waiting';
  private running = false;
  private stops = 0;
  private lastStop: StopContext & { reason?: string } = {};
  private pendingText = '';
  /** The refresh running re-reads the stop already in the history (a manual refresh, a memory event). */
  private pendingSameStop = false;
  /** A frame selected while a read was under way: decided when the read settles. */
  private pendingFrame: number | undefined;
  /** The seq of the continue/step request that marked the target running, until the next stop. */
  private resumeSeq: number | undefined;
  private message: string | undefined;
  private absenceReported = false;
  /** The adapter lacks a request the read needs and the user was told (it will not learn it mid-session). */
  private unsupportedReported = false;
  /** The struct read as zeros and the user was told; reset by a good read. */
  private zeroedReported = false;
  private latest: { snapshot: HeapSnapshot; view: DecodedHeapView; read: LiveHeapRead } | undefined;

  constructor(private readonly options: LiveSourceOptions) {
    this.sessionId = options.sessionId;
    this.heapName = options.heapName;
    this.history_ = new SnapshotHistory(options.keptViews);
    this.controller = new RefreshController<LiveHeapRead>({
      refresh: (stop, signal) => options.reader.read(stop, signal),
      onResult: read => {
        this.onRead(read);
        this.settled();
      },
      onError: error => {
        this.onError(error);
        this.settled();
      },
    });
  }

  //#region HeapSource

  describe(): WireSource {
    return { kind: 'live', label: `${this.heapName} — ${this.options.sessionName}`, detail: this.detail(), canSimulate: false };
  }

  current(): SourceView {
    return { view: this.history_.viewAt(this.history_.current) ?? emptyView(), allocations: [] };
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
    this.changed.fire({ view: true, history: true, source: true });
    return true;
  }

  dispose(): void {
    this.controller.dispose();
    this.changed.dispose();
  }

  //#endregion

  status(): LiveStatus {
    const view = this.latest?.view;
    return {
      state: this.state,
      stops: this.stops,
      freeBytes: view?.stats.freeBytes,
      heapSize: view?.heapSize,
      findings: view?.findings.length ?? 0,
      message: this.message,
    };
  }

  /** The latest read (location, statistics) and its decoded view. */
  get latestRead(): { readonly read: LiveHeapRead; readonly view: DecodedHeapView } | undefined {
    return this.latest;
  }

  /** Auto-attached, never read, and reported absent from the session's program. */
  get absent(): boolean {
    return this.absenceReported && !this.latest;
  }

  get ended(): boolean {
    return this.state === 'ended';
  }

  /**
   * Routes one request VS Code sends the adapter (a DebugAdapterTracker's onWillReceiveMessage).
   * Adapters need not send `continued` after continue/next/step requests (the DAP spec says the
   * client infers it), so the request itself marks the view stale and stops any read.
   */
  handleRequest(message: unknown): void {
    const seq = resumeRequestSeq(message);
    if (seq === undefined || this.state === 'ended') return;
    this.resumeSeq = seq;
    this.onRunning();
  }

  /** Routes one message the debug adapter sent (a DebugAdapterTracker's onDidSendMessage). */
  handleMessage(message: unknown): void {
    if (!isRecord(message) || this.state === 'ended') return;
    if (message.type === 'response') {
      // The resume was refused (e.g. "cannot step here"): the target never ran, the view is current.
      if (message.success === false && message.request_seq === this.resumeSeq && this.running) this.resumeRefused();
      return;
    }
    if (message.type !== 'event') return;
    const body = isRecord(message.body) ? message.body : {};
    switch (message.event) {
      case 'stopped': {
        this.stops++;
        this.running = false;
        this.resumeSeq = undefined;
        // A new stop reads in the stopped thread's top frame: a frame picked at the last stop is gone.
        this.pendingFrame = undefined;
        const reason = typeof body.reason === 'string' ? body.reason : 'stopped';
        this.lastStop = { ...(typeof body.threadId === 'number' ? { threadId: body.threadId } : {}), reason };
        void this.startRefresh(`stop ${this.stops}: ${reason}${typeof body.description === 'string' ? ` (${body.description})` : ''}`);
        break;
      }
      case 'continued':
        this.onRunning();
        break;
      case 'memory':
      case 'invalidated':
        // Something wrote target memory while stopped (a watch edit, another tool): read again.
        if (!this.running && this.stops > 0) void this.startRefresh(`stop ${this.stops}: memory changed`, undefined, true);
        break;
      case 'module':
      case 'loadedSource':
      case 'process':
        // A (re)loaded program may put the heap elsewhere: find it again at the next read.
        this.options.reader.forgetLocation?.();
        break;
      case 'terminated':
      case 'exited':
        this.end('the debug session ended');
        break;
    }
  }

  /** The session is known to be stopped here (attach after the stop): read now. */
  stoppedAlready(stop: StopContext & { reason?: string }): Promise<void> {
    this.stops = Math.max(this.stops, 1);
    this.running = false;
    this.lastStop = stop;
    return this.startRefresh(`stop ${this.stops}: ${stop.reason ?? 'attached'}`);
  }

  /** A refresh the user asked for; resolves when it settled (the result or the error is in the source). */
  refresh(frameId?: number): Promise<void> {
    if (this.state === 'ended') return Promise.resolve();
    if (this.running) {
      this.setNotice('stale', {
        level: 'info',
        title: 'Target running',
        message: 'The target is running; the heap is read at the next stop (no reads while running).',
        blocks: [],
      });
      return Promise.resolve();
    }
    // A manual refresh is also the way out of a stale cached location.
    this.options.reader.forgetLocation?.();
    return this.startRefresh(`stop ${this.stops}: refresh`, frameId, true);
  }

  /**
   * The user selected a frame of this session (vscode.debug.onDidChangeActiveStackItem): read again
   * in it when the heap's place may depend on the frame; later reads at this stop use it too.
   */
  selectFrame(frameId: number): Promise<void> {
    const action = frameAction(frameId, {
      stopped: this.stops > 0 && !this.running && this.state !== 'ended',
      reading: this.state === 'reading',
      frameMatters: this.options.reader.frameMatters ?? false,
      frameUsed: this.options.reader.frameUsed,
    });
    if (action === 'later') this.pendingFrame = frameId;
    if (action !== 'refresh') return Promise.resolve();
    this.lastStop = { ...this.lastStop, frameId };
    return this.startRefresh(`stop ${this.stops}: frame selected`, frameId, true);
  }

  /** Resolves when the latest refresh has settled. */
  idle(): Promise<void> {
    return this.controller.idle();
  }

  /** The heap offset of the block holding `address` in the shown view, or undefined outside the heap. */
  blockAt(address: bigint): { offset: number; order: number } | undefined {
    const view = this.current().view;
    const relative = address - view.heapBase;
    if (view.blocks.count === 0 || relative < 0n || relative >= BigInt(view.heapSize)) return undefined;
    const index = blockIndexAt(view, Number(relative));
    return { offset: view.blocks.offsets[index]!, order: view.blocks.orders[index]! };
  }

  /** Would alloc(size, align) succeed on the device now? Runs the model on a copy of the latest snapshot. */
  simulateAllocation(size: bigint, align: bigint): LiveSimulationResult {
    const where = this.latest
      ? `on ${this.heapName} at stop ${this.stops}${this.state === 'stale' ? ' (stale: the target ran since)' : ''}`
      : '';
    if (!this.latest) {
      return {
        ok: false,
        error: 'NoSnapshot',
        notice: {
          level: 'warning',
          title: 'Simulated on the live heap',
          message: `${this.heapName} has not been read yet: stop the target first.`,
          blocks: [],
        },
      };
    }
    const result = simulateOnSnapshot(this.latest.snapshot, this.latest.view, size, align, where);
    this.options.log(`${this.heapName}: ${result.notice.message}`);
    return result;
  }

  /** Ends the source: no more reads; the last snapshot stays visible. */
  end(why: string): void {
    if (this.state === 'ended') return;
    this.controller.dispose();
    this.running = false;
    this.setNotice('ended', {
      level: 'info',
      title: 'Debug session ended',
      message: `${why}; the panel keeps the last snapshot of ${this.heapName}.`,
      blocks: [],
    });
  }

  private startRefresh(text: string, frameId?: number, sameStop = false): Promise<void> {
    // A re-read (memory event, refresh) that overtakes the read of a new stop is still that stop's
    // read: it must add the stop's history step, under the stop's name.
    if (sameStop && this.state === 'reading' && !this.pendingSameStop) {
      text = this.pendingText;
      sameStop = false;
    }
    this.pendingText = text;
    this.pendingSameStop = sameStop;
    this.state = 'reading';
    this.changed.fire({ source: true });
    return this.controller.stopped({ ...this.lastStop, ...(frameId !== undefined ? { frameId } : {}) });
  }

  /** A read settled: a frame selected meanwhile is decided now (the read may have used it already). */
  private settled(): void {
    const frame = this.pendingFrame;
    this.pendingFrame = undefined;
    if (frame !== undefined) void this.selectFrame(frame);
  }

  private onRunning(): void {
    this.controller.cancel();
    // A resume request and the adapter's `continued` event both say so: tell the user once.
    if (this.running) return;
    this.running = true;
    this.pendingFrame = undefined;
    // The heap is not read at the next stop either: keep the notice that says why, not "running".
    if (this.unsupportedReported) return;
    const message = this.latest
      ? `The target is running: showing the heap as of stop ${this.stops} (stale). It is read again at the next stop.`
      : 'The target is running: the heap is read at the next stop.';
    this.setNotice(this.latest ? 'stale' : 'waiting', { level: 'info', title: 'Target running', message, blocks: [] });
  }

  private onRead(read: LiveHeapRead): void {
    if (this.pendingSameStop && this.latest && sameSnapshot(this.latest.snapshot, read.snapshot)) {
      this.unchanged(read);
      return;
    }
    const view = decodeHeap(read.snapshot);
    this.latest = { snapshot: read.snapshot, view, read };
    const entry = this.history_.push(view, this.pendingText);
    this.state = 'ok';
    this.message = undefined;
    // Found after all: should it vanish (or read as zeros) again later, say so again.
    this.absenceReported = false;
    this.zeroedReported = false;
    this.unsupportedReported = false;
    const s = read.stats;
    this.options.log(
      `${this.heapName}: ${entry.text}: ${entry.detail} [${s.mode} read: ${s.requests} requests, ${s.bytesRead} B in ${s.elapsedMs.toFixed(1)} ms${s.failedReads + s.shortReads > 0 ? `, ${s.failedReads} failed and ${s.shortReads} short reads (unknown bytes)` : ''}]`,
    );
    for (const note of read.notes) this.options.log(`${this.heapName}: ${note.message}`);
    // One notice per read (it replaces the last one), never one per failed chunk.
    const notice = mergeNotices([
      findingsNotice(this.heapName, view),
      readProblemNotice(this.heapName, s),
      ...read.notes.map(note => noteNotice(this.heapName, note)),
    ]);
    this.changed.fire({ view: true, history: true, source: true, notice });
  }

  /** A re-read at the same stop found the same heap: no new step, the latest one shown. */
  private unchanged(read: LiveHeapRead): void {
    const latest = this.latest!;
    this.latest = { ...latest, read };
    this.state = 'ok';
    this.message = undefined;
    const stepped = !this.history_.atLatest && this.history_.stepTo(this.history_.total - 1);
    this.options.log(
      `${this.heapName}: ${this.pendingText}: nothing changed since the last read (no new history step) [${read.stats.requests} requests, ${read.stats.bytesRead} B]`,
    );
    this.changed.fire({ source: true, ...(stepped ? { view: true, history: true } : {}) });
  }

  private onError(error: LiveReadError): void {
    if (error.kind === 'cancelled') return;
    if (error.kind === 'expression' && this.options.quietWhenAbsent) {
      this.reportAbsent(error);
      return;
    }
    if (error.kind === 'zeroed') {
      this.reportZeroed(error);
      return;
    }
    if (error.kind === 'unsupported') {
      this.reportUnsupported(error);
      return;
    }
    const state: LiveState =
      error.kind === 'disconnected' ? 'ended' : error.kind === 'notStopped' ? (this.latest ? 'stale' : 'waiting') : 'error';
    if (state === 'ended') this.controller.dispose();
    if (error.kind === 'notStopped') this.running = true;
    // Busy is not running: the target is stopped, so a Refresh may read it once the adapter is idle.
    const level = error.kind === 'notStopped' ? 'info' : error.kind === 'busy' ? 'warning' : 'error';
    this.setNotice(state, { level, title: `${this.heapName}: ${ERROR_TITLES[error.kind]}`, message: error.message, blocks: [] });
  }

  /** Once per source: a log line and an info notice; later stops retry silently (a local may come into scope). */
  private reportAbsent(error: LiveReadError): void {
    this.state = this.latest ? 'stale' : 'waiting';
    this.message = error.message;
    if (this.absenceReported) {
      this.changed.fire({ source: true });
      return;
    }
    this.absenceReported = true;
    const notice: WireNotice = {
      level: 'info',
      title: `${this.heapName}: not found in "${this.options.sessionName}"`,
      message: `${error.message} It was attached automatically from buddyHeap.live.heaps; give the entry a "debugType", "program" or "sessionName" to attach it only where it exists. Retried quietly at each stop.`,
      blocks: [],
    };
    this.options.log(`${this.heapName}: ${notice.title}: ${notice.message}`);
    this.changed.fire({ source: true, notice });
  }

  /** Stops before the heap is set up are common: a warning once, then quietly until a read succeeds. */
  private reportZeroed(error: LiveReadError): void {
    if (this.zeroedReported) {
      this.state = 'error';
      this.message = error.message;
      this.changed.fire({ source: true });
      return;
    }
    this.zeroedReported = true;
    this.setNotice('error', { level: 'warning', title: `${this.heapName}: ${ERROR_TITLES.zeroed}`, message: error.message, blocks: [] });
  }

  /** Nothing was sent to the adapter; say what it lacks once per session (and per source without one), then stay quiet. */
  private reportUnsupported(error: LiveReadError): void {
    const first = !this.unsupportedReported && (this.options.firstInSession?.(error.message) ?? true);
    this.unsupportedReported = true;
    if (!first) {
      this.state = 'error';
      this.message = error.message;
      this.changed.fire({ source: true });
      return;
    }
    this.setNotice('error', {
      level: 'warning',
      title: `${this.heapName}: ${ERROR_TITLES.unsupported}`,
      message: error.message,
      blocks: [],
    });
  }

  private resumeRefused(): void {
    this.running = false;
    this.resumeSeq = undefined;
    this.state = this.latest ? 'ok' : 'waiting';
    this.message = undefined;
    this.options.log(`${this.heapName}: the adapter refused to resume: still stopped at stop ${this.stops}`);
    this.changed.fire({ source: true, notice: null });
  }

  private setNotice(state: LiveState, notice: WireNotice): void {
    this.state = state;
    this.message = notice.message;
    this.options.log(`${this.heapName}: ${notice.title}: ${notice.message}`);
    this.changed.fire({ source: true, notice });
  }

  private detail(): string {
    const latest = this.latest;
    const where = latest
      ? `${formatBytes(latest.view.heapSize)} at ${hex(latest.view.heapBase)}, ${latest.view.orders} orders, ${latest.read.location.pointerWidth}-byte pointers`
      : 'not read yet';
    const cost = latest
      ? ` · ${latest.read.stats.mode} read: ${formatBytes(latest.read.stats.bytesRead)} in ${latest.read.stats.requests} requests`
      : '';
    const shown =
      this.history_.atLatest || this.history_.total === 0 ? '' : ` · showing step ${this.history_.current} of ${this.history_.total - 1}`;
    const states: Record<LiveState, string> = {
      waiting: this.running ? 'running, waiting for a stop' : 'waiting for a stop',
      reading: `reading at stop ${this.stops}`,
      ok: `stop ${this.stops}`,
      stale: `STALE — target running, showing stop ${this.stops}`,
      error: `error at stop ${this.stops}`,
      ended: 'session ended',
    };
    return `Live · ${states[this.state]}${shown} · ${where}${cost}`;
  }
}
