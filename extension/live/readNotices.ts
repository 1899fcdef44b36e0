// The panel notices a live read can raise besides errors: integrity findings, parts of the heap the
// adapter could not read, and notes about the read (a byte order other than the setting's). The
// panel shows one notice at a time, so several are merged into one: the first leads, the others
// follow in its message. Pure, so the unit tests cover every case.
import * as l10n from '@vscode/l10n';
import type { DecodedHeapView } from '../../core/decoder/types';
import type { WireNotice } from '../../core/protocol/viewModel';
import type { ReadNote } from '../dap/liveHeapReader';
import type { ReadStats } from '../dap/readStats';

const LEVELS: readonly WireNotice['level'][] = ['info', 'warning', 'error'];

export function findingsNotice(heapName: string, view: DecodedHeapView): WireNotice | undefined {
  if (view.findings.length === 0) return undefined;
  const errors = view.findings.filter(f => f.severity === 'error');
  const first = errors[0] ?? view.findings[0]!;
  const blocks = view.findings.flatMap(f => (f.offset !== undefined ? [{ offset: f.offset, order: f.order ?? 0 }] : [])).slice(0, 64);
  return {
    level: errors.length > 0 ? 'error' : 'warning',
    title:
      view.findings.length === 1
        ? l10n.t('{0}: 1 integrity finding', heapName)
        : l10n.t('{0}: {1} integrity findings', heapName, view.findings.length),
    message:
      view.findings.length > 1
        ? l10n.t('{0} (and {1} more: see the findings list)', first.message, view.findings.length - 1)
        : first.message,
    blocks,
  };
}

/** Failed or short chunk reads: their bytes are unknown, and the user should know why the map shows them so. */
export function readProblemNotice(heapName: string, stats: ReadStats): WireNotice | undefined {
  if (stats.failedReads + stats.shortReads === 0) return undefined;
  const parts = [
    ...(stats.failedReads > 0 ? [l10n.t('{0} of {1} reads failed', stats.failedReads, stats.readMemoryRequests)] : []),
    ...(stats.shortReads > 0
      ? [l10n.t('{0} returned fewer bytes than asked (or bytes the adapter marked unreadable)', stats.shortReads)]
      : []),
  ];
  const first = stats.firstFailure ? ` ${l10n.t('First failure: {0}.', stats.firstFailure)}` : '';
  const hint = stats.failedReads > 0 ? ` ${l10n.t('If the adapter refuses large reads, lower buddyHeap.live.maxChunkBytes.')}` : '';
  const what = parts.length === 2 ? l10n.t('{0} and {1}', parts[0]!, parts[1]!) : parts[0]!;
  return {
    level: 'warning',
    title: l10n.t('{0}: part of the heap could not be read', heapName),
    message: `${l10n.t('{0}; those bytes are shown as unknown, never as free.', what)}${first}${hint}`,
    blocks: [],
  };
}

/** A warning note (a setting the target contradicts) as a notice; info notes go to the log only. */
export function noteNotice(heapName: string, note: ReadNote): WireNotice | undefined {
  return note.level === 'warning'
    ? { level: 'warning', title: l10n.t('{0}: check the heap settings', heapName), message: note.message, blocks: [] }
    : undefined;
}

/** One notice for several: the first present one leads, at the most severe level; null when there are none. */
export function mergeNotices(notices: readonly (WireNotice | undefined)[]): WireNotice | null {
  const present = notices.filter((n): n is WireNotice => n !== undefined);
  const [lead, ...rest] = present;
  if (!lead) return null;
  const level = LEVELS[Math.max(...present.map(n => LEVELS.indexOf(n.level)))]!;
  const message = [lead.message, ...rest.map(n => l10n.t('Also, {0}: {1}', n.title.replace(/^[^:]*: /, ''), n.message))].join(' ');
  return { level, title: lead.title, message, blocks: present.flatMap(n => n.blocks).slice(0, 64) };
}
