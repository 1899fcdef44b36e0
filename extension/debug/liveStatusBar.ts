// The status bar item of the live heap: its state (reading, ok, findings, stale while running,
// error, ended) and free bytes. A click opens the heap panel on it.
import * as vscode from 'vscode';
import { formatBytes } from '../../core/layout';
import type { LiveDebugging } from './liveDebugging';
import type { LiveStatus } from './liveHeapSource';

export const SHOW_LIVE_COMMAND = 'buddyHeap.live.show';

/** The item's text and tooltip for a status (pure, for tests). */
export function statusText(name: string, status: LiveStatus): { text: string; tooltip: string; alarm: boolean } {
  const free = status.freeBytes !== undefined ? `${formatBytes(status.freeBytes)} free` : 'not read';
  const findings = `${status.findings} finding${status.findings === 1 ? '' : 's'}`;
  const by: Record<LiveStatus['state'], [string, string]> = {
    waiting: ['$(clock)', 'waiting for a stop'],
    reading: ['$(sync~spin)', `reading… (${free})`],
    ok: status.findings > 0 ? ['$(warning)', `${findings} · ${free}`] : ['$(pass)', free],
    stale: ['$(history)', `stale (running) · ${free}`],
    error: ['$(error)', `error · ${free}`],
    ended: ['$(debug-disconnect)', `ended · ${free}`],
  };
  const [icon, what] = by[status.state];
  const tooltip = `Buddy Heap: ${name} — ${status.state} at stop ${status.stops}${status.findings > 0 ? `, ${findings}` : ''}${status.message ? `\n${status.message}` : ''}\nClick to show it in the heap panel.`;
  return { text: `${icon} ${name}: ${what}`, tooltip, alarm: status.state === 'error' || (status.state === 'ok' && status.findings > 0) };
}

export class LiveStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('buddyHeap.live', vscode.StatusBarAlignment.Left, 50);
  private readonly subscription: vscode.Disposable;

  constructor(private readonly live: LiveDebugging) {
    this.item.name = 'Buddy Heap (live)';
    this.item.command = SHOW_LIVE_COMMAND;
    this.subscription = live.onDidChange(() => this.update());
  }

  /** What the item shows now (for tests). */
  get shown(): { text: string; tooltip: string; visible: boolean } {
    return { text: this.item.text, tooltip: typeof this.item.tooltip === 'string' ? this.item.tooltip : '', visible: this.visible };
  }

  private visible = false;

  update(): void {
    const source = this.live.activeSource();
    if (!source) {
      this.item.hide();
      this.visible = false;
      return;
    }
    const { text, tooltip, alarm } = statusText(source.heapName, source.status());
    this.item.text = text;
    this.item.tooltip = tooltip;
    this.item.backgroundColor = alarm ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    this.item.show();
    this.visible = true;
  }

  dispose(): void {
    this.subscription.dispose();
    this.item.dispose();
  }
}
