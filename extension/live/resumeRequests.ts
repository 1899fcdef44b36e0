// Requests that let the target run. The DAP spec says an adapter need not send `continued` after
// them (the client infers it), so a heap view is stale from the moment VS Code sends one.
import { isRecord } from '../../core/protocol/guards';

const RESUMING_REQUESTS = new Set([
  'continue',
  'next',
  'stepIn',
  'stepOut',
  'stepBack',
  'reverseContinue',
  'goto',
  'restartFrame',
  'restart',
]);

/** The request's seq when the message is a request that resumes the target; undefined otherwise. */
export function resumeRequestSeq(message: unknown): number | undefined {
  if (!isRecord(message) || message.type !== 'request' || typeof message.command !== 'string' || !RESUMING_REQUESTS.has(message.command))
    return undefined;
  return typeof message.seq === 'number' ? message.seq : -1;
}
