// The live heap's state machine as a table: each row is (state, event) → (state, effects). Rows
// are written out by hand from the behaviour the live source promises (see liveHeapSource.test.ts
// for the same behaviour end to end), so a change to the machine shows up as a changed row.
import * as assert from 'node:assert/strict';
import {
  type Effect,
  INITIAL_MACHINE,
  type LiveMachine,
  type LiveMachineState,
  type MachineEvent,
  transition,
} from '../../../extension/live/liveHeapMachine';

const STOP = { threadId: 1, reason: 'breakpoint' };
const at = (state: LiveMachineState, stops = 1): LiveMachine => ({ state, stops });
const reading = (text: string, sameStop = false, stop: object = STOP): LiveMachineState => ({
  kind: 'reading',
  stop,
  text,
  sameStop,
});
const shown: LiveMachineState = { kind: 'stopped', stop: STOP, outcome: 'read' };
const read = (text: string, sameStop = false, stop: object = STOP): Effect => ({ kind: 'read', stop, text, sameStop });
const running = (resumeSeq?: number): LiveMachineState => ({
  kind: 'running',
  ...(resumeSeq !== undefined ? { resumeSeq } : {}),
  stop: STOP,
});

interface Row {
  readonly name: string;
  readonly from: LiveMachine;
  readonly event: MachineEvent;
  readonly to: LiveMachine;
  readonly effects: readonly Effect[];
}

const ROWS: readonly Row[] = [
  {
    name: 'a first stop reads at that stop',
    from: INITIAL_MACHINE,
    event: { kind: 'stopped', stop: STOP },
    to: at(reading('stop 1: breakpoint')),
    effects: [read('stop 1: breakpoint')],
  },
  {
    name: 'the stop description goes into the history text',
    from: at(shown, 3),
    event: { kind: 'stopped', stop: { ...STOP, description: 'Paused on breakpoint' } },
    to: at(reading('stop 4: breakpoint (Paused on breakpoint)', false, { ...STOP, description: 'Paused on breakpoint' }), 4),
    effects: [read('stop 4: breakpoint (Paused on breakpoint)', false, { ...STOP, description: 'Paused on breakpoint' })],
  },
  {
    name: 'attached while stopped counts as stop 1 and reads',
    from: INITIAL_MACHINE,
    event: { kind: 'attachedStopped', stop: { threadId: 1 } },
    to: at(reading('stop 1: attached', false, { threadId: 1 })),
    effects: [read('stop 1: attached', false, { threadId: 1 })],
  },
  {
    name: 'a read that succeeds shows the stop',
    from: at(reading('stop 1: breakpoint')),
    event: { kind: 'readOk' },
    to: at(shown),
    effects: [],
  },
  {
    name: 'a resume request cancels the read and says the target runs, once',
    from: at(reading('stop 1: breakpoint')),
    event: { kind: 'resumed', requestSeq: 42 },
    to: at(running(42)),
    effects: [{ kind: 'cancelRead' }, { kind: 'announce', what: 'running' }],
  },
  {
    name: "the adapter's continued after the request says nothing again",
    from: at(running(42)),
    event: { kind: 'resumed' },
    to: at(running(42)),
    effects: [{ kind: 'cancelRead' }],
  },
  {
    name: 'a refused resume: the target never ran, the view is current again without a read',
    from: at(running(50)),
    event: { kind: 'resumeRefused', requestSeq: 50 },
    to: at({ kind: 'stopped', stop: STOP, outcome: 'read' }),
    effects: [{ kind: 'announce', what: 'resumeRefused' }],
  },
  {
    name: 'a refusal of another request changes nothing',
    from: at(running(50)),
    event: { kind: 'resumeRefused', requestSeq: 49 },
    to: at(running(50)),
    effects: [],
  },
  {
    name: 'a memory event at a stop re-reads the same stop',
    from: at(shown, 2),
    event: { kind: 'memoryChanged' },
    to: at(reading('stop 2: memory changed', true), 2),
    effects: [read('stop 2: memory changed', true)],
  },
  {
    name: "a memory event during a new stop's read keeps that stop's own step",
    from: at(reading('stop 2: breakpoint'), 2),
    event: { kind: 'memoryChanged' },
    to: at(reading('stop 2: breakpoint'), 2),
    effects: [read('stop 2: breakpoint')],
  },
  {
    name: 'no read while running, whatever memory does',
    from: at(running()),
    event: { kind: 'memoryChanged' },
    to: at(running()),
    effects: [],
  },
  {
    name: 'a refresh while running reads nothing and says why',
    from: at(running()),
    event: { kind: 'refresh' },
    to: at(running()),
    effects: [{ kind: 'announce', what: 'refreshWhileRunning' }],
  },
  {
    name: 'a refresh at a stop forgets the cached location and re-reads in the frame given',
    from: at(shown),
    event: { kind: 'refresh', frameId: 1001 },
    to: at(reading('stop 1: refresh', true, { ...STOP, frameId: 1001 })),
    effects: [{ kind: 'forgetLocation' }, read('stop 1: refresh', true, { ...STOP, frameId: 1001 })],
  },
  {
    name: 'a frame that matters re-reads there',
    from: at(shown),
    event: { kind: 'frameSelected', frameId: 1001, frameMatters: true, frameUsed: 1000 },
    to: at(reading('stop 1: frame selected', true, { ...STOP, frameId: 1001 })),
    effects: [read('stop 1: frame selected', true, { ...STOP, frameId: 1001 })],
  },
  {
    name: 'the frame the read used already: nothing',
    from: at(shown),
    event: { kind: 'frameSelected', frameId: 1000, frameMatters: true, frameUsed: 1000 },
    to: at(shown),
    effects: [],
  },
  {
    name: 'a static heap: the frame does not matter',
    from: at(shown),
    event: { kind: 'frameSelected', frameId: 1001, frameMatters: false },
    to: at(shown),
    effects: [],
  },
  {
    name: 'a frame picked during a read waits for it',
    from: at(reading('stop 1: breakpoint')),
    event: { kind: 'frameSelected', frameId: 1001, frameMatters: true },
    to: at({ ...(reading('stop 1: breakpoint') as object), pendingFrame: 1001 } as LiveMachineState),
    effects: [],
  },
  {
    name: 'and is decided when the read settles',
    from: at({ ...(reading('stop 1: breakpoint') as object), pendingFrame: 1001 } as LiveMachineState),
    event: { kind: 'readOk' },
    to: at(shown),
    effects: [{ kind: 'replayFrame', frameId: 1001 }],
  },
  {
    name: 'no frame decisions while running',
    from: at(running()),
    event: { kind: 'frameSelected', frameId: 1001, frameMatters: true },
    to: at(running()),
    effects: [],
  },
  {
    name: 'a read failure is an error at that stop',
    from: at(reading('stop 1: breakpoint')),
    event: { kind: 'readFailed', error: 'busy', quietWhenAbsent: false },
    to: at({ kind: 'stopped', stop: STOP, outcome: 'failed' }),
    effects: [],
  },
  {
    name: 'an auto-attached heap that does not evaluate is absent, not failed',
    from: at(reading('stop 1: breakpoint')),
    event: { kind: 'readFailed', error: 'expression', quietWhenAbsent: true },
    to: at({ kind: 'stopped', stop: STOP, outcome: 'absent' }),
    effects: [],
  },
  {
    name: 'the adapter says the target runs: running, not failed',
    from: at(reading('stop 1: breakpoint')),
    event: { kind: 'readFailed', error: 'notStopped', quietWhenAbsent: false },
    to: at({ kind: 'running' }),
    effects: [],
  },
  {
    name: 'the adapter went away mid-read: ended, no more reads',
    from: at(reading('stop 1: breakpoint')),
    event: { kind: 'readFailed', error: 'disconnected', quietWhenAbsent: false },
    to: at({ kind: 'ended', why: 'the debug session ended while the heap was being read' }),
    effects: [{ kind: 'stopReading' }],
  },
  {
    name: 'a module event forgets the location and changes nothing else',
    from: at(shown),
    event: { kind: 'programChanged' },
    to: at(shown),
    effects: [{ kind: 'forgetLocation' }],
  },
  {
    name: 'terminated ends it',
    from: at(shown),
    event: { kind: 'terminated' },
    to: at({ kind: 'ended', why: 'the debug session ended' }),
    effects: [{ kind: 'stopReading' }, { kind: 'ended', why: 'the debug session ended' }],
  },
  {
    name: 'ended is final',
    from: at({ kind: 'ended', why: 'x' }),
    event: { kind: 'stopped', stop: STOP },
    to: at({ kind: 'ended', why: 'x' }),
    effects: [],
  },
  {
    name: 'a read result after a resume is dropped',
    from: at(running()),
    event: { kind: 'readOk' },
    to: at(running()),
    effects: [],
  },
];

describe('live heap state machine', () => {
  for (const row of ROWS) {
    it(row.name, () => {
      const { machine, effects } = transition(row.from, row.event);
      assert.deepEqual(machine, row.to);
      assert.deepEqual(effects, row.effects);
    });
  }

  it('every state kind and every event kind appears in the table', () => {
    const states = new Set(ROWS.map(r => r.from.state.kind));
    assert.deepEqual([...states].sort(), ['ended', 'idle', 'reading', 'running', 'stopped']);
    const events = new Set(ROWS.map(r => r.event.kind));
    for (const kind of [
      'stopped',
      'attachedStopped',
      'resumed',
      'resumeRefused',
      'memoryChanged',
      'programChanged',
      'refresh',
      'frameSelected',
      'readOk',
      'readFailed',
      'terminated',
    ])
      assert.ok(events.has(kind as MachineEvent['kind']), kind);
  });
});
