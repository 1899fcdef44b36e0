// extension/live: live debugging. SessionTracker turns each debug session's traffic into typed
// events (sessionEvents.ts); LiveDebugging attaches heaps to sessions as LiveHeapSources (each a
// state machine, liveHeapMachine.ts). This file wires them with the live commands and the status
// bar, and is the handle the extension's API exposes (the host tests drive it).
import type * as vscode from 'vscode';
import type { HeapDebugger } from '../heapDebugger';
import { AllocationFailureBreaks, TOGGLE_BREAK_ON_FAILURE_COMMAND } from './allocFailure/allocationFailureBreaks';
import { registerCommandTable } from '../commands/registerTable';
import { registerLiveCommands } from './commands/register';
import { LiveDebugging } from './liveDebugging';
import { LiveStatusBar } from './liveStatusBar';
import { SessionTracker } from './sessionTracker';

export { LiveDebugging } from './liveDebugging';
export { LiveHeapSource, type LiveState, type LiveStatus } from './liveHeapSource';
export type { LiveStatusBar } from './liveStatusBar';
export type { AllocationFailureBreaks } from './allocFailure/allocationFailureBreaks';

export function activateLive(app: HeapDebugger): {
  live: LiveDebugging;
  statusBar: LiveStatusBar;
  allocationFailures: AllocationFailureBreaks;
  disposables: vscode.Disposable[];
} {
  const tracker = new SessionTracker(app.log);
  const live = new LiveDebugging(app, tracker);
  const statusBar = new LiveStatusBar(live);
  const allocationFailures = new AllocationFailureBreaks(app, live);
  const toggle = registerCommandTable({ [TOGGLE_BREAK_ON_FAILURE_COMMAND]: () => allocationFailures.toggle() }, app.log);
  return {
    live,
    statusBar,
    allocationFailures,
    disposables: [tracker, live, statusBar, allocationFailures, ...registerLiveCommands(app, live), ...toggle],
  };
}
