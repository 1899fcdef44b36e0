// Core dumps in the extension: the Open Core Dump command.
import type * as vscode from 'vscode';
import { registerCommandTable } from '../commands/registerTable';
import type { HeapDebugger } from '../heapDebugger';
import { openCoreDump } from './openCoreDump';

export { CoreDumpSource } from './coreDumpSource';

export function activateCoreDumps(app: HeapDebugger): vscode.Disposable[] {
  return registerCommandTable({ 'buddyHeap.openCoreDump': args => openCoreDump(app, args) }, app.log);
}
