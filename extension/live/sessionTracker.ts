// The one DebugAdapterTracker: every debug session's traffic goes through sessionEvents.ts once,
// and what it means (capabilities, stopped, resumed, memory changed, program changed, ended) is
// published as typed events. The tracker also keeps what the rest of the extension asks about a
// session: whether it is stopped, where, and what its adapter can do.
import * as vscode from 'vscode';
import { AdapterCapabilities } from '../dap/adapterCapabilities';
import type { StopContext } from '../dap/stopContext';
import { DisposableBase } from '../util/dispose';
import { Emitter } from '../util/emitter';
import { type SessionEvent, eventFromAdapter, eventFromClient } from '../dap/sessionEvents';

/** What is known about one debug session. */
export interface TrackedDebugSession {
  readonly session: vscode.DebugSession;
  readonly stopped: boolean;
  /** The last stop (meaningful while stopped). */
  readonly stop: StopContext;
  /** What the adapter advertised (learnt from its initialize answer and capabilities events). */
  readonly capabilities: AdapterCapabilities;
  /** When the session started (ms since the epoch): a program file modified later was rebuilt since. */
  readonly started: number;
}

export interface TrackedEvent {
  readonly session: vscode.DebugSession;
  readonly event: SessionEvent;
}

export class SessionTracker extends DisposableBase {
  private readonly sessions = new Map<string, TrackedDebugSession>();
  private readonly events = this.register(new Emitter<TrackedEvent>());
  private readonly endings = this.register(new Emitter<vscode.DebugSession>());
  /** Every event of every session, after the tracker's own record is updated. */
  readonly onDidEvent = this.events.event;
  /** A session ended (terminated, its adapter exited, or VS Code ended it). */
  readonly onDidEnd = this.endings.event;

  constructor(private readonly log: (message: string) => void) {
    super();
    this.register(vscode.debug.registerDebugAdapterTrackerFactory('*', { createDebugAdapterTracker: session => this.track(session) }));
    this.register(vscode.debug.onDidTerminateDebugSession(session => this.ended(session)));
  }

  /** Debug sessions that are still running, oldest first. */
  all(): TrackedDebugSession[] {
    return [...this.sessions.values()];
  }

  get(sessionId: string): TrackedDebugSession | undefined {
    return this.sessions.get(sessionId);
  }

  override dispose(): void {
    this.sessions.clear();
    super.dispose();
  }

  private track(session: vscode.DebugSession): vscode.DebugAdapterTracker {
    this.sessions.set(session.id, {
      session,
      stopped: false,
      stop: {},
      capabilities: new AdapterCapabilities(session.type),
      started: Date.now(),
    });
    return {
      onWillReceiveMessage: message => this.receive(session, () => eventFromClient(message)),
      onDidSendMessage: message => this.receive(session, () => eventFromAdapter(message)),
      onExit: () => this.ended(session),
    };
  }

  /** The tracker runs in VS Code's message path: nothing may throw out of it. */
  private receive(session: vscode.DebugSession, parse: () => SessionEvent | undefined): void {
    let event: SessionEvent | undefined;
    try {
      event = parse();
      if (!event) return;
      const tracked = this.sessions.get(session.id);
      if (tracked) this.sessions.set(session.id, record(tracked, event));
      this.events.fire({ session, event });
      if (event.kind === 'terminated') this.ended(session);
    } catch (error) {
      this.log(
        `live heap: handling ${event ? `a "${event.kind}" event` : 'a debug adapter message'} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
      );
    }
  }

  private ended(session: vscode.DebugSession): void {
    if (!this.sessions.delete(session.id)) return;
    this.endings.fire(session);
  }
}

function record(tracked: TrackedDebugSession, event: SessionEvent): TrackedDebugSession {
  switch (event.kind) {
    case 'capabilities':
      tracked.capabilities.learn(event);
      return tracked;
    case 'stopped':
      return { ...tracked, stopped: true, stop: event.stop };
    case 'resumed':
      return { ...tracked, stopped: false };
    case 'resumeRefused':
      // The target never ran: stopped where it was (when it had stopped at all).
      return { ...tracked, stopped: tracked.stop.reason !== undefined };
    default:
      return tracked;
  }
}
