// Every way a live read can fail, as one error type with a kind the UI can act on and a message
// that says what happened and what to do. Adapter rejections are classified by their text because
// DAP has no error codes for "target running" or "session gone".
import * as l10n from '@vscode/l10n';

export type LiveErrorKind =
  /** A newer stop or a resume overtook this refresh: not shown to the user. */
  | 'cancelled'
  /** The target runs: read again at the next stop. */
  | 'notStopped'
  /** The adapter is busy with something else (while stopped): read again at the next stop or on Refresh. */
  | 'busy'
  /** The debug session or adapter went away mid-read. */
  | 'disconnected'
  /** The adapter does not advertise a request the read needs (readMemory): nothing is sent, the session is safe. */
  | 'unsupported'
  /** The heap expression does not evaluate in the current frame. */
  | 'expression'
  /** The expression evaluates, but not to something shaped like buddyalloc's Heap<N>. */
  | 'notAHeap'
  /** The heap struct's own bytes could not be read. */
  | 'unreadable'
  /** Every field of the heap struct reads as zero: not initialised yet, or unmapped memory read as zeros. */
  | 'zeroed'
  /** The adapter answered with something DAP does not allow. */
  | 'badResponse'
  /** Any other adapter failure. */
  | 'adapter'
  /** A heap setting is malformed. */
  | 'settings';

export class LiveReadError extends Error {
  constructor(
    readonly kind: LiveErrorKind,
    message: string,
  ) {
    super(message);
    this.name = 'LiveReadError';
  }
}

const RUNNING = /\b(is running|target running|running target|not (stopped|suspended|paused|halted)|notStopped)\b/i;
/**
 * Running answers that need the request to tell: lldb-dap's stackTrace says `invalid thread` while
 * the process runs; Cortex-Debug answers exactly `Busy` to every request while the target runs.
 */
const RUNNING_FOR: Readonly<Record<string, RegExp>> = { stackTrace: /\binvalid thread\b/i };
const RUNNING_EXACT = /^\s*busy\.?\s*$/i;
/** Checked before RUNNING: "another request is running" means busy, not a running target. */
const BUSY =
  /\b(busy|EBUSY|another (request|command|operation) is (in progress|pending|running)|(request|command) (is )?already in progress)\b/i;
const GONE =
  /\b(adapter (has )?exited|session (has )?(ended|terminated)|not connected|disconnected|connection (closed|reset)|no debug session|debug session .* not found|EPIPE|channel closed|client closed)\b/i;

export function errorText(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (typeof error === 'string') return error;
  try {
    return JSON.stringify(error);
  } catch {
    return String(error);
  }
}

/** Turns a rejected DAP request into a LiveReadError with a message for the user. */
export function classifyRequestError(command: string, error: unknown): LiveReadError {
  if (error instanceof LiveReadError) return error;
  const text = errorText(error);
  if (RUNNING_EXACT.test(text) || RUNNING_FOR[command]?.test(text)) return running(command, text);
  if (BUSY.test(text))
    return new LiveReadError(
      'busy',
      l10n.t(
        'The debug adapter is busy ({0}: {1}), so the heap was not read at this stop; it is read again at the next stop, or run "Buddy Heap: Refresh Live Heap" once the adapter is idle.',
        command,
        text,
      ),
    );
  if (RUNNING.test(text)) return running(command, text);
  if (GONE.test(text))
    return new LiveReadError('disconnected', l10n.t('The debug session ended while the heap was being read ({0}: {1}).', command, text));
  return new LiveReadError('adapter', l10n.t('The debug adapter refused {0}: {1}', command, text));
}

function running(command: string, text: string): LiveReadError {
  return new LiveReadError(
    'notStopped',
    l10n.t('The target is running, so the heap cannot be read now ({0}: {1}); it is read again at the next stop.', command, text),
  );
}

export function cancelled(): LiveReadError {
  return new LiveReadError('cancelled', l10n.t('The heap refresh was overtaken by a newer stop or a resume.'));
}

/** True for errors that end a whole refresh (as opposed to one unreadable chunk): the rest would fail the same way. */
export function isFatal(error: LiveReadError): boolean {
  return (
    error.kind === 'cancelled' ||
    error.kind === 'notStopped' ||
    error.kind === 'busy' ||
    error.kind === 'disconnected' ||
    error.kind === 'unsupported'
  );
}
