// Brings the heap panel back after VS Code restarts (or reloads the window): VS Code recreates the
// webview panel and hands it here; the panel then shows the current source (HeapPanel sets the
// webview's options and HTML). The webview's own UI state (zoom, selection, open sections) comes
// back through its getState.
import type * as vscode from 'vscode';

/** Whoever owns the panel (the app) adopts the one VS Code recreated. */
export interface PanelOwner {
  revivePanel(panel: vscode.WebviewPanel): unknown;
}

export function panelSerializer(app: PanelOwner): vscode.WebviewPanelSerializer {
  return {
    async deserializeWebviewPanel(panel: vscode.WebviewPanel): Promise<void> {
      app.revivePanel(panel);
    },
  };
}
