// Requests that let the target run. The DAP spec says an adapter need not send `continued` after
// them (the client infers it), so a heap view is stale from the moment VS Code sends one.
const RESUMING_REQUESTS = new Set(['continue', 'next', 'stepIn', 'stepOut', 'stepBack', 'reverseContinue', 'goto', 'restartFrame', 'restart']);

/** The request's seq when the message is a request that resumes the target; undefined otherwise. */
export function resumeRequestSeq(message: unknown): number | undefined {
  if (typeof message !== 'object' || message === null) return undefined;
  const m = message as Record<string, unknown>;
  if (m.type !== 'request' || typeof m.command !== 'string' || !RESUMING_REQUESTS.has(m.command)) return undefined;
  return typeof m.seq === 'number' ? m.seq : -1;
}
