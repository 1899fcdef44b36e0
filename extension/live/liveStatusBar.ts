// The status bar item of the live heap: a thin vscode wrapper over statusBarView (the state, text
// and tooltip logic lives there). A click opens the heap panel on it.
import * as vscode from 'vscode';
import { DisposableBase } from '../util/dispose';
import type { LiveDebugging } from './liveDebugging';
import { statusBarView } from './liveStatusText';

export const SHOW_LIVE_COMMAND = 'buddyHeap.live.show';

export class LiveStatusBar extends DisposableBase {
  private readonly item = this.register(vscode.window.createStatusBarItem('buddyHeap.live', vscode.StatusBarAlignment.Left, 50));
  private visible = false;

  constructor(private readonly live: LiveDebugging) {
    super();
    this.item.name = vscode.l10n.t('Buddy Heap (live)');
    this.item.command = SHOW_LIVE_COMMAND;
    this.register(live.onDidChange(() => this.update()));
  }

  /** What the item shows now (for tests). */
  get shown(): { text: string; tooltip: string; visible: boolean } {
    return { text: this.item.text, tooltip: typeof this.item.tooltip === 'string' ? this.item.tooltip : '', visible: this.visible };
  }

  update(): void {
    const view = statusBarView(this.live.activeSource());
    this.visible = view.visible;
    if (!view.visible) {
      this.item.hide();
      return;
    }
    this.item.text = view.text;
    this.item.tooltip = view.tooltip;
    this.item.backgroundColor = view.alarm ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    this.item.show();
  }
}
