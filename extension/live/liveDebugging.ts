// Live debugging in VS Code: the session tracker's events reach the live heap sources attached to
// each session, and the configured heaps are attached by themselves when a session stops
// (buddyHeap.live.autoAttach). Sources are per (session, heap); the panel shows one of them.
import * as vscode from 'vscode';
import type { ShownSource } from '../panel/shownSource';
import type { DapChannel } from '../dap/dapSession';
import type { WireNotice } from '../../core/protocol/viewModel';
import type { SourceChange } from '../panel/panelSource';
import { AdapterCapabilities } from '../dap/adapterCapabilities';
import { LiveHeapReader } from '../dap/liveHeapReader';
import { LiveHeapSource } from './liveHeapSource';
import { type LiveSettings, type NamedHeap, parseLiveSettings } from './liveSettings';
import { type SessionFacts, describeFilter, matchesSession } from './sessionMatch';
import type { SessionTracker, TrackedEvent } from './sessionTracker';
import { DisposableBase } from '../util/dispose';
import { ProgramCache } from './program/programCache';
import { discoveredHeapEntries } from './program/sessionHeaps';
import { SessionPrograms } from './program/sessionPrograms';
import { type OwnershipScanner } from './liveHeapSource';
import { scanLiveOwnership } from '../dap/ownership/liveOwnership';
import { ownershipSettings } from './ownershipSettings';
import { heapSpecLabel } from '../dap/heapSpec';
import { Emitter } from '../util/emitter';

/** vscode.DebugSession answers with a Thenable; the reader wants a Promise, and the adapter's capabilities. */
function dapChannel(session: vscode.DebugSession, capabilities: AdapterCapabilities): DapChannel {
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

/** What live debugging needs from the extension: the log, which source the panel shows, and the panel. */
export interface LiveHost {
  readonly sources: ShownSource;
  log(message: string): void;
  showPanel(): unknown;
}

export { programUri } from './program/programUri';

export class LiveDebugging extends DisposableBase {
  private readonly sources = new Map<string, LiveHeapSource[]>();
  /** Sessions told which configured heaps auto-attach skips (said once per session). */
  private readonly skipLogged = new Set<string>();
  /** What each session's heaps have told the user already (what its adapter lacks is said once a session). */
  private readonly said = new Map<string, Set<string>>();
  private lastSource: LiveHeapSource | undefined;
  private readonly changed = this.register(new Emitter<void>());
  /** Any live source changed state, or one was attached or ended (the status bar listens). */
  readonly onDidChange = this.changed.event;
  private readonly shownProblems = new Set<string>();
  private readonly programs: SessionPrograms;
  /** Sessions whose program is being searched for heaps now (a stop during the search starts no second one). */
  private readonly discovering = new Set<string>();

  constructor(
    private readonly app: LiveHost,
    readonly tracker: SessionTracker,
  ) {
    super();
    this.programs = new SessionPrograms(this.register(new ProgramCache(app.log)));
    this.register(this.tracker.onDidEvent(tracked => this.onEvent(tracked)));
    this.register(this.tracker.onDidEnd(session => this.ended(session)));
    this.register(vscode.debug.onDidChangeActiveStackItem(item => this.frameSelected(item)));
    this.register(
      vscode.workspace.onDidChangeConfiguration(event => {
        if (event.affectsConfiguration('buddyHeap.live')) this.shownProblems.clear();
      }),
    );
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
      void vscode.window.showWarningMessage(vscode.l10n.t('Buddy Heap: {0}', problem));
    }
    return settings;
  }

  /** Debug sessions that are still running, newest last. */
  debugSessions(): vscode.DebugSession[] {
    return this.tracker.all().map(s => s.session);
  }

  session(id: string): vscode.DebugSession | undefined {
    return this.tracker.get(id)?.session;
  }

  isStopped(sessionId: string): boolean {
    return this.tracker.get(sessionId)?.stopped ?? false;
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
    const tracked = this.tracker.get(session.id);
    // A session the tracker never saw start has unknown capabilities: nothing beyond the baseline is sent.
    const capabilities = tracked?.capabilities ?? new AdapterCapabilities(session.type);
    const said = this.saidIn(session.id);
    const channel = dapChannel(session, capabilities);
    const source = new LiveHeapSource({
      sessionId: session.id,
      sessionName: session.name,
      heapName: heap.name,
      reader: new LiveHeapReader(channel, heap.source, settings.read),
      ownership: this.ownershipScanner(session, channel),
      log: this.app.log,
      quietWhenAbsent: auto,
      firstInSession: what => !said.has(what) && Boolean(said.add(what)),
    });
    source.onDidChange(change => {
      this.changed.fire();
      if (auto) this.routeAutoAttached(source, change);
    });
    this.sources.set(session.id, [...this.allSources(session.id), source]);
    this.lastSource = source;
    this.app.log(`attached ${heap.name} (${heapSpecLabel(heap.source)}) to debug session "${session.name}"`);
    if (show) this.show(source);
    if (tracked?.stopped) {
      const frameId = selectedFrameId(session);
      void source.stoppedAlready({ ...tracked.stop, ...(frameId !== undefined ? { frameId } : {}) });
    }
    this.changed.fire();
    return source;
  }

  /** Puts a live source in the heap panel, with a notice to show beside it (switching clears the panel's). */
  show(source: LiveHeapSource, notice?: WireNotice): void {
    this.lastSource = source;
    this.app.sources.setActive(source);
    this.app.showPanel();
    if (notice) this.app.sources.notify(notice);
    this.changed.fire();
  }

  override dispose(): void {
    for (const source of this.allSources()) source.dispose();
    this.sources.clear();
    super.dispose();
  }

  /**
   * An absent heap's notice reaches the panel even when another heap is shown (quietly: no popup);
   * and a heap that reads replaces an absent one the panel was showing for the same session.
   */
  private routeAutoAttached(source: LiveHeapSource, change: SourceChange): void {
    const active = this.app.sources.active;
    // Switching now is safe: the panel drops the rest of a change from a source it no longer shows.
    if (change.notice && source.absent) {
      const readable = this.allSources(source.sessionId).find(x => x !== source && x.latestRead && !x.ended);
      // Switching clears the panel's notice: the absent heap's one goes with the switch.
      if (active === source && readable) this.show(readable, change.notice);
      else if (active !== source) this.app.sources.notify(change.notice);
    } else if (
      change.view &&
      active instanceof LiveHeapSource &&
      active !== source &&
      active.sessionId === source.sessionId &&
      active.absent
    ) {
      this.show(source);
    }
  }

  private detach(source: LiveHeapSource): void {
    this.sources.set(
      source.sessionId,
      this.allSources(source.sessionId).filter(s => s !== source),
    );
    source.end(vscode.l10n.t('replaced by a new attach'));
    if (this.app.sources.active !== source) source.dispose();
  }

  /** One event of a session: its heaps follow it; a stop with no heap attached may auto-attach. */
  private onEvent({ session, event }: TrackedEvent): void {
    const attached = this.allSources(session.id);
    for (const source of attached) source.handle(event);
    if (event.kind === 'stopped' && attached.length === 0) this.autoAttach(session);
  }

  /** The user picked a frame in the Call Stack view: heaps of that session, if stopped, evaluate there. */
  private frameSelected(item: vscode.DebugThread | vscode.DebugStackFrame | undefined): void {
    try {
      if (!(item instanceof vscode.DebugStackFrame) || !this.tracker.get(item.session.id)?.stopped) return;
      for (const source of this.allSources(item.session.id)) void source.selectFrame(item.frameId);
    } catch (error) {
      this.app.log(
        `live heap: following the selected frame failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
      );
    }
  }

  private autoAttach(session: vscode.DebugSession): void {
    const settings = this.settings();
    if (!settings.autoAttach) return;
    const facts = sessionFacts(session);
    const matching = settings.heaps.filter(heap => matchesSession(heap.sessions, facts));
    const skipped = settings.heaps.filter(heap => !matching.includes(heap));
    // Say once per session which heaps were left out, not at every stop.
    if (skipped.length > 0 && !this.skipLogged.has(session.id)) {
      this.skipLogged.add(session.id);
      this.app.log(
        `auto-attach to "${session.name}" (${facts.type}${facts.program ? `, ${facts.program}` : ''}) skips ${skipped.map(h => `${h.name} (only ${describeFilter(h.sessions)})`).join(', ')}`,
      );
    }
    matching.forEach((heap, i) => this.attach(session, heap, i === 0, true));
    // No configured heap applies: the program's debug info may declare some.
    if (matching.length === 0) void this.discover(session);
  }

  /** Attaches every heap the session's program declares (named by DWARF path), showing the first. */
  private async discover(session: vscode.DebugSession): Promise<void> {
    const tracked = this.tracker.get(session.id);
    if (this.discovering.has(session.id) || !tracked) return;
    this.discovering.add(session.id);
    try {
      const program = await this.programs.resolve(session, dapChannel(session, tracked.capabilities), tracked.stop);
      if ('problem' in program) {
        this.logOnce(session.id, program.what, program.problem);
        return;
      }
      const { loaded, path } = program;
      if (loaded.heaps.length === 0) {
        const misses = loaded.nearMisses.map(m => `${m.path}: ${m.reason}`).join('; ');
        this.logOnce(
          session.id,
          'no-heap',
          `"${session.name}": no buddy heap in the debug info of ${path.path}${misses ? ` (${misses})` : ''}`,
        );
        return;
      }
      // The session may have ended, or heaps been attached by hand, while the file was read.
      if (!this.tracker.get(session.id) || this.allSources(session.id).length > 0) return;
      this.app.log(
        `"${session.name}": found ${loaded.heaps.map(h => h.path).join(', ')} in ${path.path} (from ${path.from}); load bias 0x${program.bias.toString(16)}, ${program.how}`,
      );
      discoveredHeapEntries(loaded, path.path, program.bias, tracked.started).forEach((heap, i) =>
        this.attach(session, heap, i === 0, true),
      );
    } finally {
      this.discovering.delete(session.id);
    }
  }

  /** The ownership scan for a session's heaps, from its program's debug info (none when turned off). */
  private ownershipScanner(session: vscode.DebugSession, channel: DapChannel): OwnershipScanner {
    return {
      scan: async (read, view, stop, signal) => {
        const settings = ownershipSettings(
          vscode.workspace.getConfiguration('buddyHeap.live.ownership'),
          this.settings().read.maxChunkBytes,
        );
        if (!settings.enabled) return undefined;
        const program = await this.programs.resolve(session, channel, stop);
        if ('problem' in program) {
          this.logOnce(session.id, program.what, `${program.problem}: no ownership scan`);
          return undefined;
        }
        return scanLiveOwnership(channel, program.loaded.ownershipProgram(program.bias), read, view, stop, settings.scan, signal);
      },
    };
  }

  private logOnce(sessionId: string, what: string, line: string): void {
    const said = this.saidIn(sessionId);
    if (said.has(`discovery:${what}`)) return;
    said.add(`discovery:${what}`);
    this.app.log(line);
  }

  private saidIn(sessionId: string): Set<string> {
    let said = this.said.get(sessionId);
    if (!said) this.said.set(sessionId, (said = new Set()));
    return said;
  }

  private ended(session: vscode.DebugSession): void {
    this.skipLogged.delete(session.id);
    this.programs.forget(session.id);
    this.said.delete(session.id);
    const attached = this.sources.get(session.id);
    if (!attached) return;
    this.sources.delete(session.id);
    for (const source of attached) {
      source.end(vscode.l10n.t('the debug session "{0}" ended', session.name));
      // The panel keeps showing an ended source until another is picked; others can go.
      if (this.app.sources.active !== source && this.lastSource !== source) source.dispose();
    }
    this.changed.fire();
  }
}
