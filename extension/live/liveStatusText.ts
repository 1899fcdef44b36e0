// What the live status bar item shows for a heap's status: icon and words, the tooltip, and whether
// it asks for attention. Pure (no vscode import) so every state is unit-tested.
import * as l10n from '@vscode/l10n';
import { formatBytes } from '../../core/layout';
import type { LiveStatus } from './liveHeapSource';

export type StatusBarView =
  { readonly visible: false } | { readonly visible: true; readonly text: string; readonly tooltip: string; readonly alarm: boolean };

const findingCount = (n: number) => (n === 1 ? l10n.t('1 finding') : l10n.t('{0} findings', n));

/** The state as the tooltip names it. */
function stateWord(state: LiveStatus['state']): string {
  switch (state) {
    case 'waiting':
      return l10n.t('waiting');
    case 'reading':
      return l10n.t('reading');
    case 'ok':
      return l10n.t('ok');
    case 'stale':
      return l10n.t('stale');
    case 'error':
      return l10n.t('error');
    case 'ended':
      return l10n.t('ended');
  }
}

/** The item for the live heap the panel shows (or was last used); hidden when there is none. */
export function statusBarView(source: { readonly heapName: string; status(): LiveStatus } | undefined): StatusBarView {
  if (!source) return { visible: false };
  const name = source.heapName;
  const status = source.status();
  const free = status.freeBytes !== undefined ? l10n.t('{0} free', formatBytes(status.freeBytes)) : l10n.t('not read');
  const findings = findingCount(status.findings);
  const by: Record<LiveStatus['state'], [string, string]> = {
    waiting: ['$(clock)', l10n.t('waiting for a stop')],
    reading: ['$(sync~spin)', l10n.t('reading… ({0})', free)],
    ok: status.findings > 0 ? ['$(warning)', `${findings} · ${free}`] : ['$(pass)', free],
    stale: ['$(history)', l10n.t('stale (running) · {0}', free)],
    error: ['$(error)', l10n.t('error · {0}', free)],
    ended: ['$(debug-disconnect)', l10n.t('ended · {0}', free)],
  };
  const [icon, what] = by[status.state];
  const tooltip = [
    status.findings > 0
      ? l10n.t('Buddy Heap: {0} — {1} at stop {2}, {3}', name, stateWord(status.state), status.stops, findings)
      : l10n.t('Buddy Heap: {0} — {1} at stop {2}', name, stateWord(status.state), status.stops),
    ...(status.message ? [status.message] : []),
    l10n.t('Click to show it in the heap panel.'),
  ].join('\n');
  // Findings only alarm on a fresh read: a stale or ended view says so by its icon instead.
  return {
    visible: true,
    text: `${icon} ${name}: ${what}`,
    tooltip,
    alarm: status.state === 'error' || (status.state === 'ok' && status.findings > 0),
  };
}
