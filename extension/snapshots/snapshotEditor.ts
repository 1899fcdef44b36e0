// The read-only custom editor for `*.buddyheap` files (double-click in the explorer, or Open Heap
// Snapshot): each editor is the heap panel's UI on a SnapshotSource of that file, with its own
// controller, so a snapshot open beside a live heap never replaces it.
import * as vscode from 'vscode';
import type { HeapDebugger } from '../heapDebugger';
import { HeapPanel } from '../panel/heapPanel';
import { ShownSource } from '../panel/shownSource';
import { type LoadedSnapshot, loadSnapshot, snapshotName } from './snapshotFiles';
import { SnapshotSource } from './snapshotSource';

export const SNAPSHOT_VIEW_TYPE = 'buddyHeap.snapshot';

class SnapshotDocument implements vscode.CustomDocument {
  constructor(
    readonly uri: vscode.Uri,
    readonly loaded: LoadedSnapshot,
  ) {}

  dispose(): void {}
}

export class SnapshotEditorProvider implements vscode.CustomReadonlyEditorProvider<SnapshotDocument> {
  /** The open snapshot editors by file (host tests read what they show). */
  readonly editors = new Map<string, HeapPanel>();
  private active: SnapshotSource | undefined;

  constructor(private readonly app: HeapDebugger) {}

  /** The snapshot shown by the focused snapshot editor, if one is focused (what Save Heap Snapshot saves then). */
  get activeSource(): SnapshotSource | undefined {
    return this.active;
  }

  async openCustomDocument(uri: vscode.Uri): Promise<SnapshotDocument> {
    return new SnapshotDocument(uri, await loadSnapshot(uri));
  }

  resolveCustomEditor(document: SnapshotDocument, webviewPanel: vscode.WebviewPanel): void {
    const loaded = document.loaded;
    if (!loaded.ok) {
      this.app.log(loaded.message);
      webviewPanel.webview.options = { enableScripts: false };
      webviewPanel.webview.html = errorPage(loaded.message);
      return;
    }
    const source = new SnapshotSource([{ name: snapshotName(document.uri), file: loaded.file }]);
    const shown = new ShownSource(source);
    const panel = new HeapPanel(webviewPanel, this.app.extensionUri, shown, this.app.log);
    panel.panel.title = snapshotName(document.uri);
    const key = document.uri.toString();
    this.editors.set(key, panel);
    if (webviewPanel.active) this.active = source;
    const focus = webviewPanel.onDidChangeViewState(() => {
      if (webviewPanel.active) this.active = source;
      else if (this.active === source) this.active = undefined;
    });
    panel.onDidDispose(() => {
      focus.dispose();
      if (this.editors.get(key) === panel) this.editors.delete(key);
      if (this.active === source) this.active = undefined;
      shown.dispose();
      source.dispose();
    });
  }
}

function errorPage(message: string): string {
  const escaped = message.replace(/[&<>"']/g, c => `&#${c.charCodeAt(0)};`);
  return `<!DOCTYPE html><html><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'"></head><body style="font-family: var(--vscode-font-family); padding: 1em"><h3>${vscode.l10n.t('Cannot open this heap snapshot')}</h3><p>${escaped}</p></body></html>`;
}
