// Reading a trace line by line from a LineBuffer: the text of each line, an over-long line refused
// with its number, and the operations in order for readers that want them as objects (the CLI's
// tables, stats). `replay --json` has its own loop (LineReplay) but the same line rules.
import { LineBuffer, type ByteSource, TraceReadError } from './lineBuffer';
import { MAX_OPERATION_LENGTH, type TraceOp, TraceSyntaxError, parseTraceLine } from './parse';

const NEWLINE = 10;

/** What a line needs of a TextDecoder (core/ is typed without the DOM's TextDecoder type). */
export interface LineDecoder {
  decode(bytes: Uint8Array): string;
}

/**
 * The text of the line input.bytes[pos, end). Lines are split at byte 10, which never occurs inside
 * a UTF-8 sequence and ends any broken one, so decoding line by line gives the text that decoding
 * the whole input would. Throws TraceSyntaxError for a line the buffer cut short.
 */
export function lineText(input: LineBuffer, decoder: LineDecoder, pos: number, end: number, line: number): string {
  const text = decoder.decode(input.bytes.subarray(pos, end));
  if (pos === 0 && input.overlongBytes > 0) {
    throw new TraceSyntaxError(
      line,
      text,
      `an operation of at most ${MAX_OPERATION_LENGTH} bytes before any # comment (put long notes after a #)`,
      `${input.overlongBytes} bytes`,
    );
  }
  return text;
}

export function lineDecoder(): LineDecoder {
  return new TextDecoder('utf-8', { ignoreBOM: true });
}

/**
 * Calls `visit` with each operation of the trace in order, holding one buffer of lines at a time.
 * Throws TraceSyntaxError at a malformed line, after visiting the lines before it; a failing source
 * throws TraceReadError whose afterLine is the number of lines visited before it.
 */
export function forEachTraceOp(source: ByteSource | Uint8Array, visit: (op: TraceOp) => void): void {
  const input = new LineBuffer(source);
  const decoder = lineDecoder();
  let line = 0;
  try {
    while (input.next()) {
      const bytes = input.bytes;
      const end = input.end;
      for (let pos = 0; pos < end;) {
        let stop = bytes.indexOf(NEWLINE, pos);
        if (stop < 0 || stop > end) stop = end;
        line++;
        const op = parseTraceLine(lineText(input, decoder, pos, stop, line), line);
        if (op) visit(op);
        pos = stop + 1;
      }
    }
  } catch (error) {
    if (error instanceof TraceReadError) error.afterLine = line;
    throw error;
  }
}
