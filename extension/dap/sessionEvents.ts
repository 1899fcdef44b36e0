// The one place DAP traffic becomes meaning. A debug session's messages (what VS Code sends the
// adapter, what the adapter sends back) are turned into typed session events; everything else
// subscribes to these and never parses a DAP message itself. No vscode import: the extension's
// tracker (live/sessionTracker.ts) and the e2e tests' client feed it the real messages.
import type { DebugProtocol } from '@vscode/debugprotocol';
import { isRecord } from '../../core/protocol/guards';
import type { StopContext } from './stopContext';

export type SessionEvent =
  /**
   * The adapter's capabilities: all of them from its `initialize` response (`initial`), or the ones
   * a `capabilities` event changes.
   */
  | { readonly kind: 'capabilities'; readonly capabilities: DebugProtocol.Capabilities; readonly initial: boolean }
  | { readonly kind: 'stopped'; readonly stop: StopContext }
  /**
   * The target runs: a continue/step request VS Code sent (`requestSeq`: the DAP spec lets adapters
   * omit `continued` after it), or the adapter's `continued` event (no requestSeq).
   */
  | { readonly kind: 'resumed'; readonly requestSeq?: number }
  /** The adapter refused the resume request with this seq ("cannot step here"): the target never ran. */
  | { readonly kind: 'resumeRefused'; readonly requestSeq: number }
  /** Something wrote target memory while stopped (a watch edit, another tool): read again. */
  | { readonly kind: 'memoryChanged' }
  /** A (re)loaded module or process: a heap may now be somewhere else. */
  | { readonly kind: 'programChanged' }
  | { readonly kind: 'terminated' };

/** Requests that let the target run. */
const RESUMING_REQUESTS: ReadonlySet<string> = new Set([
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

/** A message VS Code sends the adapter (a tracker's onWillReceiveMessage), as a session event. */
export function eventFromClient(message: unknown): SessionEvent | undefined {
  if (!isRequest(message) || !RESUMING_REQUESTS.has(message.command)) return undefined;
  return { kind: 'resumed', requestSeq: typeof message.seq === 'number' ? message.seq : -1 };
}

/**
 * A message the adapter sends (a tracker's onDidSendMessage), as a session event. `resumeSeqs` are
 * the seqs of resume requests still unanswered: only their failure is a refused resume.
 */
export function eventFromAdapter(message: unknown): SessionEvent | undefined {
  if (isResponse(message)) {
    if (message.command === 'initialize' && message.success && isRecord(message.body))
      return { kind: 'capabilities', capabilities: message.body as DebugProtocol.Capabilities, initial: true };
    if (!message.success && RESUMING_REQUESTS.has(message.command)) return { kind: 'resumeRefused', requestSeq: message.request_seq };
    return undefined;
  }
  if (!isEvent(message)) return undefined;
  const body = isRecord(message.body) ? message.body : {};
  switch (message.event) {
    case 'stopped':
      return {
        kind: 'stopped',
        stop: {
          ...(typeof body.threadId === 'number' ? { threadId: body.threadId } : {}),
          reason: typeof body.reason === 'string' ? body.reason : 'stopped',
          ...(typeof body.description === 'string' ? { description: body.description } : {}),
        },
      };
    case 'continued':
      return { kind: 'resumed' };
    case 'capabilities':
      return isRecord(body.capabilities)
        ? { kind: 'capabilities', capabilities: body.capabilities as DebugProtocol.Capabilities, initial: false }
        : undefined;
    case 'memory':
    case 'invalidated':
      return { kind: 'memoryChanged' };
    case 'module':
    case 'loadedSource':
    case 'process':
      return { kind: 'programChanged' };
    case 'terminated':
    case 'exited':
      return { kind: 'terminated' };
    default:
      return undefined;
  }
}

function isRequest(message: unknown): message is DebugProtocol.Request {
  return isRecord(message) && message.type === 'request' && typeof message.command === 'string';
}

function isResponse(message: unknown): message is DebugProtocol.Response {
  return (
    isRecord(message) &&
    message.type === 'response' &&
    typeof message.command === 'string' &&
    typeof message.request_seq === 'number' &&
    typeof message.success === 'boolean'
  );
}

function isEvent(message: unknown): message is DebugProtocol.Event {
  return isRecord(message) && message.type === 'event' && typeof message.event === 'string';
}
