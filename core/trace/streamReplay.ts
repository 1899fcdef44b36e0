// Replays trace bytes straight to JSON lines, for `buddy-heap replay --json` on traces of millions
// of operations: the trace is read in chunks of whole lines, which LineReplay replays.
import { LineReplay } from './lineReplay';

const NEWLINE = 10;

/** Copies the next bytes of a trace into `into` from `at` on; returns how many, 0 at the end. */
export type ByteSource = (into: Uint8Array, at: number) => number;

/**
 * Read size for a ByteSource. Streaming in chunks, instead of holding an 18 MB trace (and its
 * text), keeps memory small: on these machines a page fault costs more than parsing a line.
 */
const CHUNK = 1 << 18;

/**
 * Replays a trace (UTF-8 bytes, a source of them, or text), handing the JSON lines to `write` as
 * bytes in large chunks (valid only during the call). Throws TraceSyntaxError at a malformed line;
 * the results of the lines before it have been written by then.
 */
export function replayToJsonLines(trace: Uint8Array | ByteSource | string, write: (chunk: Uint8Array) => void): void {
  const replay = new LineReplay(write);
  try {
    if (typeof trace === 'string') replay.lines(new TextEncoder().encode(trace));
    else if (trace instanceof Uint8Array) replay.lines(trace);
    else {
      let buffer = new Uint8Array(CHUNK);
      let filled = 0;
      for (;;) {
        const n = trace(buffer, filled);
        filled += n;
        if (n === 0) {
          replay.lines(buffer.subarray(0, filled));
          return;
        }
        // Whole lines now; a partial last line waits for the rest of its bytes.
        const whole = buffer.lastIndexOf(NEWLINE, filled - 1) + 1;
        replay.lines(buffer.subarray(0, whole));
        buffer.copyWithin(0, whole, filled);
        filled -= whole;
        if (filled === buffer.length) {
          const larger = new Uint8Array(buffer.length * 2);
          larger.set(buffer);
          buffer = larger;
        }
      }
    }
  } finally {
    replay.flush();
  }
}
