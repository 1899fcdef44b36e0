// Every contributed command, bound to the app. Ids match package.json `contributes.commands`.
import * as vscode from 'vscode';
import type { HeapDebugger } from '../heapDebugger';
import type { CommandResult } from './args';
import { registerCommandTable } from './registerTable';
import { configureLayout } from './configureLayout';
import { resetHeap } from './resetHeap';
import { simulateAllocation } from './simulateAllocation';
import { simulateDeallocation } from './simulateDeallocation';
import { exportTrace, replayTrace } from './traceFiles';

type Handler = (app: HeapDebugger, args?: unknown) => CommandResult | Promise<CommandResult>;

export const COMMANDS: Readonly<Record<string, Handler>> = {
  'buddyHeap.openPanel': app => {
    app.showPanel();
    return { ok: true };
  },
  'buddyHeap.simulateAllocation': simulateAllocation,
  'buddyHeap.simulateDeallocation': simulateDeallocation,
  'buddyHeap.resetHeap': resetHeap,
  'buddyHeap.configureLayout': configureLayout,
  'buddyHeap.replayTrace': replayTrace,
  'buddyHeap.exportTrace': exportTrace,
};

export function registerCommands(app: HeapDebugger): vscode.Disposable[] {
  const bound = Object.fromEntries(Object.entries(COMMANDS).map(([id, handler]) => [id, (args?: unknown) => handler(app, args)]));
  return registerCommandTable(bound, app.log);
}
