// Reading and parsing a trace for a CLI command: a syntax error becomes exit code 2 with the line.
import { TraceOp, TraceSyntaxError, parseTrace } from '../trace/parse';
import { CliError, type CliIo } from './io';

export async function readTrace(path: string | undefined, io: CliIo, usage: string): Promise<TraceOp[]> {
  if (path === undefined) throw new CliError(`missing trace file (use - for standard input)\nusage: ${usage}`, 2);
  const text = await io.readText(path);
  try {
    return parseTrace(text);
  } catch (error) {
    if (error instanceof TraceSyntaxError) throw new CliError(`${path === '-' ? 'stdin' : path}: ${error.message}`, 2);
    throw error;
  }
}
