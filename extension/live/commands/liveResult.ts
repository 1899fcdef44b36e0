// A live source's state as a command result (what tests and other extensions get back).
import * as l10n from '@vscode/l10n';
import type { CommandResult } from '../../commands/args';
import type { LiveHeapSource } from '../liveHeapSource';

export function liveResult(source: LiveHeapSource): CommandResult {
  const status = source.status();
  const facts = {
    heap: source.heapName,
    sessionId: source.sessionId,
    state: status.state,
    stops: status.stops,
    findings: status.findings,
    freeBytes: status.freeBytes ?? null,
    step: source.history().current,
  };
  if (status.state === 'error' || (status.state === 'ended' && status.freeBytes === undefined))
    return { ok: false, error: 'LiveReadFailed', message: status.message ?? l10n.t('{0} could not be read', source.heapName), ...facts };
  return { ok: true, ...facts };
}
