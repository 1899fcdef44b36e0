// Heap snapshots in the extension: the `*.buddyheap` custom editor and its three commands.
import * as vscode from 'vscode';
import { registerCommandTable } from '../commands/registerTable';
import type { HeapDebugger } from '../heapDebugger';
import { compareSnapshots, openSnapshot, saveSnapshot } from './snapshotCommands';
import { SNAPSHOT_VIEW_TYPE, SnapshotEditorProvider } from './snapshotEditor';

export { SNAPSHOT_VIEW_TYPE, SnapshotEditorProvider };

export function activateSnapshots(app: HeapDebugger): { editors: SnapshotEditorProvider; disposables: vscode.Disposable[] } {
  const editors = new SnapshotEditorProvider(app);
  const disposables = [
    // One webview per editor; nothing to keep when hidden (it asks again with `ready`).
    vscode.window.registerCustomEditorProvider(SNAPSHOT_VIEW_TYPE, editors, { supportsMultipleEditorsPerDocument: true }),
    ...registerCommandTable(
      {
        'buddyHeap.saveSnapshot': args => saveSnapshot(app, editors, args),
        'buddyHeap.openSnapshot': args => openSnapshot(app, args),
        'buddyHeap.compareSnapshots': args => compareSnapshots(app, args),
      },
      app.log,
    ),
  ];
  return { editors, disposables };
}
