// Layout settings or a *.buddyheap.json changed: offer to restart the simulated heap with the new
// layout (never silently: that would throw away the user's history). Debounced, because saving a
// layout writes five settings one by one.
import * as vscode from 'vscode';
import { hex } from '../../core/layout';
import type { HeapDebugger } from '../heapDebugger';
import { loadLayout } from './layoutConfig';

const SETTLE_MS = 400;

export function watchLayout(app: HeapDebugger): vscode.Disposable[] {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const changed = () => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => void offer(app), SETTLE_MS);
  };
  const files = vscode.workspace.createFileSystemWatcher('**/*.buddyheap.json');
  return [
    vscode.workspace.onDidChangeConfiguration(e => {
      if (e.affectsConfiguration('buddyHeap.layout') || e.affectsConfiguration('buddyHeap.layoutFile')) changed();
    }),
    files,
    files.onDidChange(changed),
    files.onDidCreate(changed),
    { dispose: () => timer && clearTimeout(timer) },
  ];
}

async function offer(app: HeapDebugger): Promise<void> {
  const loaded = await loadLayout();
  if (!loaded.result.ok) {
    void vscode.window.showWarningMessage(`Buddy Heap: the layout from ${loaded.origin} is not used. ${loaded.result.message}`);
    return;
  }
  const next = loaded.result.layout;
  const now = app.simulation.layout;
  if (next.base === now.base && next.size === now.size && next.orders === now.orders && next.pointerWidth === now.pointerWidth && next.endianness === now.endianness) return;
  const apply = 'Restart the simulated heap';
  const choice = await vscode.window.showInformationMessage(
    `Buddy Heap: the heap layout in ${loaded.origin} changed (${hex(next.size)} bytes at ${hex(next.base)}, ${next.orders} orders). Restart the simulated heap with it? Its history is cleared.`,
    apply,
  );
  if (choice === apply) {
    app.replaceSimulation(next);
    app.log(`simulated heap restarted with the layout from ${loaded.origin}`);
  }
}
