// The life of one live heap as a state machine: one union of states, one transition function, no
// I/O. LiveHeapSource feeds it session events, user intents and read outcomes, and carries out the
// effects it returns (start or cancel a read, forget the cached location, say something). The unit
// tests check it as a table of (state, event) → (state, effects).
//
//   idle ──stopped/attachedStopped──▶ reading ──readOk──▶ stopped(read)
//     ▲                                 │  ▲  └─readFailed─▶ stopped(failed | absent) / running / ended
//     │                                 │  └──refresh, memoryChanged, frameSelected (same stop)
//   running ◀──resumed────────────── (reading | stopped)     resumeRefused ──▶ back to stopped
//   any ──terminated / end──▶ ended (final)
import * as l10n from '@vscode/l10n';
import type { LiveErrorKind } from '../dap/liveErrors';
import type { StopContext } from '../dap/liveHeapReader';
import type { SessionEvent } from '../dap/sessionEvents';

/** How the last read at a stop ended. */
export type ReadOutcome =
  /** A snapshot (or the same one again). */
  | 'read'
  /** An error the user is told about (bad expression, busy adapter, unreadable struct, …). */
  | 'failed'
  /** An auto-attached heap this session's program does not have: retried quietly. */
  | 'absent';

export type LiveMachineState =
  /** Attached; no stop seen yet. */
  | { readonly kind: 'idle' }
  /**
   * The target runs (the last snapshot, if any, is stale). `resumeSeq`: the request that resumed it;
   * `stop`: where it was stopped, should the adapter refuse that request.
   */
  | { readonly kind: 'running'; readonly resumeSeq?: number; readonly stop?: StopContext }
  /** Reading at a stop. `sameStop`: a re-read of a stop already in the history; `pendingFrame`: picked meanwhile. */
  | {
      readonly kind: 'reading';
      readonly stop: StopContext;
      readonly text: string;
      readonly sameStop: boolean;
      readonly pendingFrame?: number;
    }
  | { readonly kind: 'stopped'; readonly stop: StopContext; readonly outcome: ReadOutcome }
  /** Final: no more reads; the last snapshot stays visible. */
  | { readonly kind: 'ended'; readonly why: string };

export interface LiveMachine {
  readonly state: LiveMachineState;
  /** Stops seen since the heap was attached. */
  readonly stops: number;
}

export type MachineEvent =
  | SessionEvent
  /** Attached while the session was already stopped here. */
  | { readonly kind: 'attachedStopped'; readonly stop: StopContext }
  /** The user asked for a read now (Refresh Live Heap). */
  | { readonly kind: 'refresh'; readonly frameId?: number }
  /** The user selected a stack frame of this session. */
  | { readonly kind: 'frameSelected'; readonly frameId: number; readonly frameMatters: boolean; readonly frameUsed?: number }
  | { readonly kind: 'readOk' }
  | { readonly kind: 'readFailed'; readonly error: LiveErrorKind; readonly quietWhenAbsent: boolean }
  /** Ended from outside (the session went away, the heap was replaced). */
  | { readonly kind: 'end'; readonly why: string };

/** Things the machine says; the notice policy (liveNotices.ts) words them. */
export type Announcement = 'running' | 'refreshWhileRunning' | 'resumeRefused';

export type Effect =
  | { readonly kind: 'read'; readonly stop: StopContext; readonly text: string; readonly sameStop: boolean }
  | { readonly kind: 'cancelRead' }
  /** No more reads ever (the session ended). */
  | { readonly kind: 'stopReading' }
  | { readonly kind: 'forgetLocation' }
  | { readonly kind: 'announce'; readonly what: Announcement }
  /** A frame picked during a read: decide it now, as a fresh frameSelected. */
  | { readonly kind: 'replayFrame'; readonly frameId: number }
  | { readonly kind: 'ended'; readonly why: string };

export interface Transition {
  readonly machine: LiveMachine;
  readonly effects: readonly Effect[];
}

export const INITIAL_MACHINE: LiveMachine = { state: { kind: 'idle' }, stops: 0 };

export function stopText(stops: number, what: string, stop?: StopContext): string {
  return stop?.description ? l10n.t('stop {0}: {1} ({2})', stops, what, stop.description) : l10n.t('stop {0}: {1}', stops, what);
}

/** Whether the target is stopped at a stop the history knows (reads are possible). */
export function isAtStop(state: LiveMachineState): state is Extract<LiveMachineState, { kind: 'reading' | 'stopped' }> {
  return state.kind === 'reading' || state.kind === 'stopped';
}

export function transition(machine: LiveMachine, event: MachineEvent): Transition {
  const { state, stops } = machine;
  const same = (effects: readonly Effect[] = []): Transition => ({ machine, effects });
  const to = (next: LiveMachineState, effects: readonly Effect[] = [], nextStops = stops): Transition => ({
    machine: { state: next, stops: nextStops },
    effects,
  });
  if (state.kind === 'ended') return same();

  switch (event.kind) {
    case 'stopped': {
      // A new stop reads in the stopped thread's top frame: a frame picked at the last stop is gone.
      const n = stops + 1;
      const { reading, effect } = startReading(event.stop, false, () => stopText(n, event.stop.reason ?? l10n.t('stopped'), event.stop));
      return to(reading, [effect], n);
    }
    case 'attachedStopped': {
      const n = Math.max(stops, 1);
      const { reading, effect } = startReading(event.stop, false, () => stopText(n, event.stop.reason ?? l10n.t('attached')));
      return to(reading, [effect], n);
    }
    case 'resumed': {
      // A resume request and the adapter's `continued` both say so: tell the user once.
      const resumeSeq = event.requestSeq !== undefined ? { resumeSeq: event.requestSeq } : {};
      if (state.kind === 'running') return to({ ...state, ...resumeSeq }, [{ kind: 'cancelRead' }]);
      const stop = isAtStop(state) ? { stop: state.stop } : {};
      return to({ kind: 'running', ...resumeSeq, ...stop }, [{ kind: 'cancelRead' }, { kind: 'announce', what: 'running' }]);
    }
    case 'resumeRefused':
      if (state.kind !== 'running' || state.resumeSeq !== event.requestSeq) return same();
      // The target never ran: the view is current again, with no read.
      return to(stops === 0 ? { kind: 'idle' } : { kind: 'stopped', stop: state.stop ?? {}, outcome: 'read' }, [
        { kind: 'announce', what: 'resumeRefused' },
      ]);
    case 'memoryChanged':
      return isAtStop(state) ? reread(machine, state.stop, 'memory changed') : same();
    case 'programChanged':
      return same([{ kind: 'forgetLocation' }]);
    case 'capabilities':
      return same();
    case 'refresh':
      if (state.kind === 'running') return same([{ kind: 'announce', what: 'refreshWhileRunning' }]);
      if (state.kind === 'idle') return withFirst({ kind: 'forgetLocation' }, reread(machine, withFrame({}, event.frameId), 'refresh'));
      // A manual refresh is also the way out of a stale cached location.
      return withFirst({ kind: 'forgetLocation' }, reread(machine, withFrame(state.stop, event.frameId), 'refresh'));
    case 'frameSelected': {
      if (!isAtStop(state)) return same();
      if (state.kind === 'reading') return to({ ...state, pendingFrame: event.frameId });
      if (!event.frameMatters || event.frameUsed === event.frameId) return same();
      return reread(machine, withFrame(state.stop, event.frameId), 'frame selected');
    }
    case 'readOk':
    case 'readFailed': {
      if (state.kind !== 'reading') return same();
      const settled = afterRead(state, event);
      const replay: Effect[] = state.pendingFrame !== undefined ? [{ kind: 'replayFrame', frameId: state.pendingFrame }] : [];
      return to(settled.state, [...settled.effects, ...replay]);
    }
    case 'terminated':
      return end(machine, l10n.t('the debug session ended'));
    case 'end':
      return end(machine, event.why);
  }
}

/**
 * The reading state and its read effect, sharing one text made when first asked for: the source
 * asks once the stop's requests are out (formatting it cost more than sending them).
 */
function startReading(
  stop: StopContext,
  sameStop: boolean,
  makeText: () => string,
): { reading: Extract<LiveMachineState, { kind: 'reading' }>; effect: Extract<Effect, { kind: 'read' }> } {
  let made: string | undefined;
  const text = () => (made ??= makeText());
  return {
    reading: {
      kind: 'reading',
      stop,
      get text() {
        return text();
      },
      sameStop,
    },
    effect: {
      kind: 'read',
      stop,
      get text() {
        return text();
      },
      sameStop,
    },
  };
}

function withFrame(stop: StopContext, frameId: number | undefined): StopContext {
  return frameId === undefined ? stop : { ...stop, frameId };
}

function withFirst(effect: Effect, t: Transition): Transition {
  return { machine: t.machine, effects: [effect, ...t.effects] };
}

/**
 * A re-read of the current stop. One that overtakes the read of a new stop is still that stop's
 * read: it must add the stop's history step, under the stop's name.
 */
function reread(machine: LiveMachine, stop: StopContext, what: string): Transition {
  const { state, stops } = machine;
  const overtakesNewStop = state.kind === 'reading' && !state.sameStop;
  const sameStop = !overtakesNewStop;
  const { reading, effect } = startReading(stop, sameStop, overtakesNewStop ? () => state.text : () => stopText(stops, what));
  return { machine: { state: reading, stops }, effects: [effect] };
}

function afterRead(
  state: Extract<LiveMachineState, { kind: 'reading' }>,
  event: Extract<MachineEvent, { kind: 'readOk' | 'readFailed' }>,
): { state: LiveMachineState; effects: Effect[] } {
  const stopped = (outcome: ReadOutcome): LiveMachineState => ({ kind: 'stopped', stop: state.stop, outcome });
  if (event.kind === 'readOk') return { state: stopped('read'), effects: [] };
  switch (event.error) {
    case 'cancelled':
      return { state, effects: [] };
    case 'disconnected':
      return {
        state: { kind: 'ended', why: l10n.t('the debug session ended while the heap was being read') },
        effects: [{ kind: 'stopReading' }],
      };
    case 'notStopped':
      // The adapter says the target runs: the view is stale until the next stop.
      return { state: { kind: 'running' }, effects: [] };
    case 'expression':
      return { state: stopped(event.quietWhenAbsent ? 'absent' : 'failed'), effects: [] };
    default:
      return { state: stopped('failed'), effects: [] };
  }
}

function end(machine: LiveMachine, why: string): Transition {
  return { machine: { state: { kind: 'ended', why }, stops: machine.stops }, effects: [{ kind: 'stopReading' }, { kind: 'ended', why }] };
}
