// The heap panel: one WebviewPanel at a time, created from the command or revived by the
// serializer after a restart. It wires the webview to a PanelController and keeps the webview
// locked down (scripts only from dist/, nothing remote, a fresh nonce per load).
import * as vscode from 'vscode';
import type { ToWebviewMessage } from '../../core/protocol/messages';
import type { ShownSource } from './shownSource';
import { makeNonce, panelHtml } from './html';
import { PanelController } from './panelController';
import { DisposableBase } from '../util/dispose';
import { Emitter } from '../util/emitter';

export const PANEL_VIEW_TYPE = 'buddyHeap.panel';
const title = () => vscode.l10n.t('Buddy Heap');

export function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions & vscode.WebviewPanelOptions {
  return {
    enableScripts: true,
    localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist'), vscode.Uri.joinPath(extensionUri, 'media')],
  };
}

export class HeapPanel extends DisposableBase {
  readonly controller: PanelController;
  private readonly disposedEmitter = new Emitter<void>();
  readonly onDidDispose = this.disposedEmitter.event;

  constructor(
    readonly panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    sources: ShownSource,
    log: (message: string) => void,
  ) {
    super();
    panel.webview.options = webviewOptions(extensionUri);
    panel.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'icon.png');
    this.controller = new PanelController(sources.active, {
      post: (message: ToWebviewMessage) => void panel.webview.postMessage(message),
      log,
      runCommand: command => void vscode.commands.executeCommand(`buddyHeap.${command}`),
    });
    this.register(this.controller);
    this.register(sources.onDidChangeActive(source => this.controller.setSource(source)));
    this.register(sources.onDidNotice(notice => this.controller.showNotice(notice)));
    this.register(panel.webview.onDidReceiveMessage(message => this.controller.receive(message)));
    // A hidden webview is torn down (no retainContextWhenHidden): it asks again with `ready`.
    this.register(
      panel.onDidChangeViewState(() => {
        if (!panel.visible) this.controller.webviewReset();
      }),
    );
    this.register(panel.onDidDispose(() => this.dispose()));
    const distUri = (file: string) => panel.webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', file)).toString();
    panel.webview.html = panelHtml({
      cspSource: panel.webview.cspSource,
      scriptUri: distUri('webview.js'),
      codiconsUri: distUri('codicon.css'),
      l10nBundle: vscode.l10n.bundle,
      language: vscode.env.language,
      nonce: makeNonce(),
      title: title(),
    });
  }

  static create(extensionUri: vscode.Uri, sources: ShownSource, log: (message: string) => void): HeapPanel {
    const panel = vscode.window.createWebviewPanel(PANEL_VIEW_TYPE, title(), vscode.ViewColumn.Active, webviewOptions(extensionUri));
    return new HeapPanel(panel, extensionUri, sources, log);
  }

  reveal(): void {
    this.panel.reveal(undefined, false);
  }

  override dispose(): void {
    if (this.isDisposed) return;
    super.dispose();
    this.disposedEmitter.fire();
    this.disposedEmitter.dispose();
    this.panel.dispose();
  }
}
