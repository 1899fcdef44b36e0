// Live debugging in VS Code: a DebugAdapterTracker on every session feeds the adapter's events to
// the live heap sources attached to it, and attaches the configured heaps by itself when a session
// stops (buddyHeap.live.autoAttach). Sources are per (session, heap); the panel shows one of them.
import * as vscode from 'vscode';
import { resumeRequestSeq } from './resumeRequests';
import type { HeapDebugger } from '../heapDebugger';
import type { DapSession } from '../live/dapSession';
import type { WireNotice } from '../../core/protocol/viewModel';
import type { SourceChange } from '../source/heapSource';
import { LiveHeapReader, type StopContext } from '../live/liveHeapReader';
import { LiveHeapSource } from './liveHeapSource';
import { type LiveSettings, type NamedHeap, parseLiveSettings } from './liveSettings';
import { type SessionFacts, describeFilter, matchesSession } from './sessionMatch';
import { isRecord } from '../../core/protocol/guards';
import { AdapterCapabilities } from '../live/adapterCapabilities';

interface TrackedSession {
  readonly session: vscode.DebugSession;
  /** From the adapter's initialize answer (vscode.DebugSession does not expose them). */
  readonly capabilities: AdapterCapabilities;
  /** What this session's heaps have told the user already (a missing capability is said once per session). */
  readonly said: Set<string>;
  stopped: boolean;
  skipLogged?: boolean;
  stop: StopContext & { reason?: string };
}

/** vscode.DebugSession answers with a Thenable; the reader wants a Promise, and the adapter's capabilities. */
function dapSession(session: vscode.DebugSession, capabilities: AdapterCapabilities): DapSession {
  return { customRequest: (command, args) => Promise.resolve(session.customRequest(command, args)), capabilities };
}

/** What a heap entry's debugType/program/sessionName are matched against. */
export function sessionFacts(session: vscode.DebugSession): SessionFacts {
  const program: unknown = session.configuration.program;
  return { type: session.type, name: session.name, ...(typeof program === 'string' && program !== '' ? { program } : {}) };
}

/** The frame the user selected, when it belongs to this session (evaluate there, as the Watch view does). */
export function selectedFrameId(session: vscode.DebugSession): number | undefined {
  const item = vscode.debug.activeStackItem;
  return item instanceof vscode.DebugStackFrame && item.session.id === session.id ? item.frameId : undefined;
}

export class LiveDebugging implements vscode.Disposable {
  private readonly sessions = new Map<string, TrackedSession>();
  private readonly sources = new Map<string, LiveHeapSource[]>();
  private lastSource: LiveHeapSource | undefined;
  private readonly changed = new vscode.EventEmitter<void>();
  /** Any live source changed state, or one was attached or ended (the status bar listens). */
  readonly onDidChange = this.changed.event;
  private readonly shownProblems = new Set<string>();

  constructor(private readonly app: HeapDebugger) {}

  register(): vscode.Disposable[] {
    return [
      vscode.debug.registerDebugAdapterTrackerFactory('*', { createDebugAdapterTracker: session => this.track(session) }),
      vscode.debug.onDidTerminateDebugSession(session => this.ended(session)),
      vscode.debug.onDidChangeActiveStackItem(item => this.frameSelected(item)),
      vscode.workspace.onDidChangeConfiguration(event => {
        if (event.affectsConfiguration('buddyHeap.live')) this.shownProblems.clear();
      }),
      this.changed,
    ];
  }

  /** The settings, checked; each problem is shown once (notification and log) until they change. */
  settings(): LiveSettings {
    const config = vscode.workspace.getConfiguration('buddyHeap.live');
    const settings = parseLiveSettings({
      heaps: config.get('heaps'),
      readMode: config.get('readMode'),
      maxChunkBytes: config.get('maxChunkBytes'),
      endianness: config.get('endianness'),
      orders: config.get('orders'),
      pointerWidth: config.get('pointerWidth'),
      autoAttach: config.get('autoAttach'),
    });
    for (const problem of settings.problems) {
      if (this.shownProblems.has(problem)) continue;
      this.shownProblems.add(problem);
      this.app.log(`settings: ${problem}`);
      void vscode.window.showWarningMessage(`Buddy Heap: ${problem}`);
    }
    return settings;
  }

  /** Debug sessions that are still running, newest last. */
  debugSessions(): vscode.DebugSession[] {
    return [...this.sessions.values()].map(s => s.session);
  }

  session(id: string): vscode.DebugSession | undefined {
    return this.sessions.get(id)?.session;
  }

  isStopped(sessionId: string): boolean {
    return this.sessions.get(sessionId)?.stopped ?? false;
  }

  /** Live sources of one session, or of all sessions. */
  allSources(sessionId?: string): LiveHeapSource[] {
    return sessionId === undefined ? [...this.sources.values()].flat() : [...(this.sources.get(sessionId) ?? [])];
  }

  /** The live source the panel shows, else the one attached or refreshed last (possibly ended). */
  activeSource(): LiveHeapSource | undefined {
    const shown = this.app.sources.active;
    return shown instanceof LiveHeapSource ? shown : this.lastSource;
  }

  /** Attaches a heap to a session (replacing one of the same name) and reads it now if the session is stopped. */
  attach(session: vscode.DebugSession, heap: NamedHeap, show = true, auto = false): LiveHeapSource {
    const settings = this.settings();
    const existing = this.allSources(session.id).find(s => s.heapName === heap.name);
    if (existing) this.detach(existing);
    const tracked = this.sessions.get(session.id);
    const capabilities = tracked?.capabilities ?? new AdapterCapabilities(session.type);
    const source = new LiveHeapSource({
      sessionId: session.id,
      sessionName: session.name,
      heapName: heap.name,
      reader: new LiveHeapReader(dapSession(session, capabilities), heap.source, settings.read),
      log: this.app.log,
      quietWhenAbsent: auto,
      firstInSession: what => {
        if (!tracked) return true;
        if (tracked.said.has(what)) return false;
        tracked.said.add(what);
        return true;
      },
    });
    source.onDidChange(change => {
      this.changed.fire();
      if (auto) this.routeAutoAttached(source, change);
    });
    this.sources.set(session.id, [...this.allSources(session.id), source]);
    this.lastSource = source;
    this.app.log(
      `attached ${heap.name} (${heap.source.kind === 'expression' ? heap.source.expression : `0x${heap.source.address.toString(16)}`}) to debug session "${session.name}"`,
    );
    if (show) this.show(source);
    if (tracked?.stopped) {
      const frameId = selectedFrameId(session);
      void source.stoppedAlready({ ...tracked.stop, ...(frameId !== undefined ? { frameId } : {}) });
    }
    this.changed.fire();
    return source;
  }

  /** Puts a live source in the heap panel. */
  show(source: LiveHeapSource): void {
    this.lastSource = source;
    this.app.sources.setActive(source);
    this.app.showPanel();
    this.changed.fire();
  }

  dispose(): void {
    for (const source of this.allSources()) source.dispose();
    this.sources.clear();
    this.sessions.clear();
  }

  /**
   * An absent heap's notice reaches the panel even when another heap is shown (quietly: no popup);
   * and a heap that reads replaces an absent one the panel was showing for the same session.
   */
  private routeAutoAttached(source: LiveHeapSource, change: SourceChange): void {
    const active = this.app.sources.active;
    // Switch after this change has reached every listener (the panel's included), not in the middle.
    const showLater = (next: LiveHeapSource, notice?: WireNotice) =>
      setTimeout(() => {
        if (next.ended || this.app.sources.active !== active) return;
        this.show(next);
        // Switching clears the panel's notice: keep the absent heap's one visible (until dismissed).
        if (notice) this.app.panel?.controller.showNotice(notice);
      }, 0);
    if (change.notice && source.absent) {
      const readable = this.allSources(source.sessionId).find(x => x !== source && x.latestRead && !x.ended);
      if (active === source && readable) showLater(readable, change.notice);
      else if (active !== source) this.app.panel?.controller.showNotice(change.notice);
    } else if (
      change.view &&
      active instanceof LiveHeapSource &&
      active !== source &&
      active.sessionId === source.sessionId &&
      active.absent
    ) {
      showLater(source);
    }
  }

  private detach(source: LiveHeapSource): void {
    this.sources.set(
      source.sessionId,
      this.allSources(source.sessionId).filter(s => s !== source),
    );
    source.end('replaced by a new attach');
    if (this.app.sources.active !== source) source.dispose();
  }

  private track(session: vscode.DebugSession): vscode.DebugAdapterTracker {
    this.sessions.set(session.id, {
      session,
      capabilities: new AdapterCapabilities(session.type),
      said: new Set(),
      stopped: false,
      stop: {},
    });
    return {
      onWillReceiveMessage: message => this.onRequest(session, message),
      onDidSendMessage: message => this.onMessage(session, message),
      onExit: () => this.ended(session),
    };
  }

  /** A request VS Code sends the adapter: a continue or step makes the session's heaps stale. */
  private onRequest(session: vscode.DebugSession, message: unknown): void {
    try {
      if (resumeRequestSeq(message) === undefined) return;
      const tracked = this.sessions.get(session.id);
      if (tracked) tracked.stopped = false;
      for (const source of this.allSources(session.id)) source.handleRequest(message);
    } catch (error) {
      this.app.log(`live heap: handling a request failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    }
  }

  private onMessage(session: vscode.DebugSession, message: unknown): void {
    // The tracker runs in VS Code's message path: nothing may throw out of it.
    try {
      if (!isRecord(message)) return;
      // The initialize answer and `capabilities` events say which requests the adapter takes.
      this.sessions.get(session.id)?.capabilities.observe(message);
      if (message.type === 'response') {
        for (const source of this.allSources(session.id)) source.handleMessage(message);
        return;
      }
      if (message.type !== 'event') return;
      const tracked = this.sessions.get(session.id);
      const body = isRecord(message.body) ? message.body : {};
      if (tracked && message.event === 'stopped') {
        tracked.stopped = true;
        tracked.stop = {
          ...(typeof body.threadId === 'number' ? { threadId: body.threadId } : {}),
          reason: typeof body.reason === 'string' ? body.reason : 'stopped',
        };
      } else if (tracked && message.event === 'continued') {
        tracked.stopped = false;
      }
      const attached = this.allSources(session.id);
      for (const source of attached) source.handleMessage(message);
      if (message.event === 'stopped' && attached.length === 0) this.autoAttach(session);
    } catch (error) {
      this.app.log(
        `live heap: handling a "${String(message && isRecord(message) ? message.event : '?')}" event failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
      );
    }
  }

  /** The user picked a frame in the Call Stack view: heaps of that session, if stopped, evaluate there. */
  private frameSelected(item: vscode.DebugThread | vscode.DebugStackFrame | undefined): void {
    try {
      if (!(item instanceof vscode.DebugStackFrame) || !this.sessions.get(item.session.id)?.stopped) return;
      for (const source of this.allSources(item.session.id)) void source.selectFrame(item.frameId);
    } catch (error) {
      this.app.log(
        `live heap: following the selected frame failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
      );
    }
  }

  private autoAttach(session: vscode.DebugSession): void {
    const settings = this.settings();
    if (!settings.autoAttach || settings.heaps.length === 0) return;
    const facts = sessionFacts(session);
    const matching = settings.heaps.filter(heap => matchesSession(heap.sessions, facts));
    const skipped = settings.heaps.filter(heap => !matching.includes(heap));
    const tracked = this.sessions.get(session.id);
    // Say once per session which heaps were left out, not at every stop.
    if (skipped.length > 0 && tracked && !tracked.skipLogged) {
      tracked.skipLogged = true;
      this.app.log(
        `auto-attach to "${session.name}" (${facts.type}${facts.program ? `, ${facts.program}` : ''}) skips ${skipped.map(h => `${h.name} (only ${describeFilter(h.sessions)})`).join(', ')}`,
      );
    }
    matching.forEach((heap, i) => this.attach(session, heap, i === 0, true));
  }

  private ended(session: vscode.DebugSession): void {
    this.sessions.delete(session.id);
    const attached = this.sources.get(session.id);
    if (!attached) return;
    this.sources.delete(session.id);
    for (const source of attached) {
      source.end(`the debug session "${session.name}" ended`);
      // The panel keeps showing an ended source until another is picked; others can go.
      if (this.app.sources.active !== source && this.lastSource !== source) source.dispose();
    }
    this.changed.fire();
  }
}
