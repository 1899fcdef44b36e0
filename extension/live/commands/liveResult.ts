// A live source's state as a command result (what tests and other extensions get back).
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
    return { ok: false, error: 'LiveReadFailed', message: status.message ?? `${source.heapName} could not be read`, ...facts };
  return { ok: true, ...facts };
}
