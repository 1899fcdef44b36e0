// Layout settings or a *.buddyheap.json changed: offer to restart the simulated heap with the new
// layout (never silently: that would throw away the user's history), and reload the file's live
// heaps (quietly: they are used at the next attach). Debounced, because saving a layout writes five
// settings one by one.
import * as vscode from 'vscode';
import { hex } from '../../core/layout';
import type { HeapDebugger } from '../heapDebugger';
import { loadFileHeaps, loadLayout } from './layoutConfig';
import { type FileHeaps, currentFileHeaps, setFileHeaps } from './layoutFileHeaps';

const SETTLE_MS = 400;

export function watchLayout(app: HeapDebugger): vscode.Disposable[] {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let heapsTimer: ReturnType<typeof setTimeout> | undefined;
  const heapsChanged = () => {
    if (heapsTimer) clearTimeout(heapsTimer);
    heapsTimer = setTimeout(() => void reloadHeaps(app), SETTLE_MS);
  };
  const changed = () => {
    heapsChanged();
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => void offer(app), SETTLE_MS);
  };
  const files = vscode.workspace.createFileSystemWatcher('**/*.buddyheap.json');
  void reloadHeaps(app);
  return [
    vscode.workspace.onDidChangeConfiguration(e => {
      if (e.affectsConfiguration('buddyHeap.layout') || e.affectsConfiguration('buddyHeap.layoutFile')) changed();
    }),
    files,
    files.onDidChange(changed),
    files.onDidCreate(changed),
    // A deleted file takes its heaps along; the layout in use stays until the user changes it.
    files.onDidDelete(heapsChanged),
    {
      dispose: () => {
        if (timer) clearTimeout(timer);
        if (heapsTimer) clearTimeout(heapsTimer);
      },
    },
  ];
}

/** Loads the layout file's live heaps again; liveSettings sees them at the next read of the settings. */
async function reloadHeaps(app: HeapDebugger): Promise<void> {
  const before = currentFileHeaps();
  const next = await loadFileHeaps();
  setFileHeaps(next);
  const describe = (h: FileHeaps | undefined) =>
    h && h.entries.length > 0 ? `${h.entries.length} heap entr${h.entries.length === 1 ? 'y' : 'ies'} in ${h.origin}` : '';
  if (describe(next) !== describe(before)) app.log(`live heaps from the layout file: ${describe(next) || 'none'}`);
}

async function offer(app: HeapDebugger): Promise<void> {
  const loaded = await loadLayout();
  if (!loaded.result.ok) {
    void vscode.window.showWarningMessage(
      vscode.l10n.t('Buddy Heap: the layout from {0} is not used. {1}', loaded.origin, loaded.result.message),
    );
    return;
  }
  const next = loaded.result.layout;
  const now = app.simulation.layout;
  if (
    next.base === now.base &&
    next.size === now.size &&
    next.orders === now.orders &&
    next.pointerWidth === now.pointerWidth &&
    next.endianness === now.endianness
  )
    return;
  const apply = vscode.l10n.t('Restart the simulated heap');
  const question =
    loaded.origin === 'default'
      ? vscode.l10n.t(
          'Buddy Heap: no heap layout is configured any more, so the default applies ({0} bytes at {1}, {2} orders). Restart the simulated heap with it? Its history is cleared.',
          hex(next.size),
          hex(next.base),
          next.orders,
        )
      : vscode.l10n.t(
          'Buddy Heap: the heap layout in {0} changed ({1} bytes at {2}, {3} orders). Restart the simulated heap with it? Its history is cleared.',
          loaded.origin,
          hex(next.size),
          hex(next.base),
          next.orders,
        );
  const choice = await vscode.window.showInformationMessage(question, apply);
  if (choice === apply) {
    app.replaceSimulation(next);
    app.log(`simulated heap restarted with the layout from ${loaded.origin}`);
  }
}
