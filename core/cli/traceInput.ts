// A trace for a CLI command, operation by operation as it is read: a syntax error becomes exit code
// 2 naming the line, a read error exit code 1 saying which lines the output covers.
import { type ByteSource, TraceReadError } from '../trace/lineBuffer';
import { type TraceOp, TraceSyntaxError } from '../trace/parse';
import { forEachTraceOp } from '../trace/traceLines';
import { CliError, type CliIo, describePath, inputName, traceSource } from './io';

/** Opens the trace (a missing file fails here, before any output). */
export async function openTrace(
  path: string | undefined,
  io: CliIo,
  usage: string,
): Promise<{ path: string; trace: ByteSource | Uint8Array }> {
  const checked = requireTracePath(path, usage);
  return { path: checked, trace: await traceSource(io, checked) };
}

/** Calls `visit` with each operation as it is read. */
export function forEachOp(input: { path: string; trace: ByteSource | Uint8Array }, visit: (op: TraceOp) => void): void {
  try {
    forEachTraceOp(input.trace, visit);
  } catch (error) {
    throw traceFailure(input.path, error);
  }
}

export function requireTracePath(path: string | undefined, usage: string): string {
  if (path === undefined) throw new CliError(`missing trace file (use - for standard input)\nusage: ${usage}`, 2);
  return path;
}

/** The CliError for a trace that stopped at a malformed line or a failed read; other errors as they are. */
export function traceFailure(path: string, error: unknown): unknown {
  if (error instanceof TraceSyntaxError) return new CliError(`${inputName(path)}: ${error.message}`, 2);
  if (error instanceof TraceReadError) {
    const what = error.cause instanceof CliError ? error.cause.message : `cannot read ${describePath(path)}: ${error.message}`;
    const covered =
      error.afterLine === 0
        ? 'before its first line; nothing was replayed'
        : `after line ${error.afterLine}; the output covers lines 1 to ${error.afterLine}`;
    return new CliError(`${what} ${covered}`, 1);
  }
  return error;
}
