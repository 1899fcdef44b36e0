// Every contributed command, bound to the app. Ids match package.json `contributes.commands`.
import * as vscode from 'vscode';
import type { HeapDebugger } from '../heapDebugger';
import type { CommandResult } from './args';
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
  return Object.entries(COMMANDS).map(([id, handler]) =>
    vscode.commands.registerCommand(id, async (args?: unknown) => {
      try {
        return await handler(app, args);
      } catch (error) {
        // A bug must not leave the user with a silent command: say so and keep the log.
        const message = error instanceof Error ? error.message : String(error);
        app.log(`${id} failed: ${error instanceof Error ? error.stack : message}`);
        void vscode.window.showErrorMessage(`Buddy Heap: ${message}`);
        return { ok: false, error: 'InternalError', message };
      }
    }),
  );
}
