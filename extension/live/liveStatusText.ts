// What the live status bar item shows for a heap's status: icon and words, the tooltip, and whether
// it asks for attention. Pure (no vscode import) so every state is unit-tested.
import { formatBytes } from '../../core/layout';
import type { LiveStatus } from './liveHeapSource';

export type StatusBarView =
  { readonly visible: false } | { readonly visible: true; readonly text: string; readonly tooltip: string; readonly alarm: boolean };

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** The item for the live heap the panel shows (or was last used); hidden when there is none. */
export function statusBarView(source: { readonly heapName: string; status(): LiveStatus } | undefined): StatusBarView {
  if (!source) return { visible: false };
  const name = source.heapName;
  const status = source.status();
  const free = status.freeBytes !== undefined ? `${formatBytes(status.freeBytes)} free` : 'not read';
  const findings = plural(status.findings, 'finding');
  const by: Record<LiveStatus['state'], [string, string]> = {
    waiting: ['$(clock)', 'waiting for a stop'],
    reading: ['$(sync~spin)', `reading… (${free})`],
    ok: status.findings > 0 ? ['$(warning)', `${findings} · ${free}`] : ['$(pass)', free],
    stale: ['$(history)', `stale (running) · ${free}`],
    error: ['$(error)', `error · ${free}`],
    ended: ['$(debug-disconnect)', `ended · ${free}`],
  };
  const [icon, what] = by[status.state];
  const tooltip = [
    `Buddy Heap: ${name} — ${status.state} at stop ${status.stops}${status.findings > 0 ? `, ${findings}` : ''}`,
    ...(status.message ? [status.message] : []),
    'Click to show it in the heap panel.',
  ].join('\n');
  // Findings only alarm on a fresh read: a stale or ended view says so by its icon instead.
  return {
    visible: true,
    text: `${icon} ${name}: ${what}`,
    tooltip,
    alarm: status.state === 'error' || (status.state === 'ok' && status.findings > 0),
  };
}
