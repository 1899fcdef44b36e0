// Replays trace bytes straight to JSON lines, for `buddy-heap replay --json` on traces of millions
// of operations (see LineReplay).
import { type ByteSource, LineBuffer } from './lineBuffer';
import { LineReplay } from './lineReplay';

export { type ByteSource, TraceReadError } from './lineBuffer';

/**
 * Replays a trace (UTF-8 bytes, a source of them, or text), handing the JSON lines to `write` as
 * bytes in large chunks (valid only during the call), holding one buffer of lines at a time. Throws
 * TraceSyntaxError at a malformed line, TraceReadError when the source fails; the results of the
 * lines before have been written by then.
 */
export function replayToJsonLines(trace: Uint8Array | ByteSource | string, write: (chunk: Uint8Array) => void): void {
  new LineReplay(new LineBuffer(typeof trace === 'string' ? new TextEncoder().encode(trace) : trace), write).run();
}
