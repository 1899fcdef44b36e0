// `buddy-heap replay`: JSON lines for machines, a table for people.
import { formatBytes, hex } from '../layout';
import { TraceReplayer } from '../trace/replay';
import { type TraceOp, TraceSyntaxError } from '../trace/parse';
import { replayToJsonLines } from '../trace/streamReplay';
import { explainError } from './errorText';
import { CliError, type CliIo, parseArgs } from './io';
import { readTrace } from './traceInput';

const USAGE = 'buddy-heap replay <trace|-> [--json]';

export async function runReplay(args: readonly string[], io: CliIo): Promise<number> {
  const { positional, flags } = parseArgs(args, ['--json']);
  if (flags.has('--json')) {
    // Streams: results are printed up to a malformed line, which then stops the replay (exit 2).
    const path = positional[0];
    if (path === undefined) throw new CliError(`missing trace file (use - for standard input)\nusage: ${USAGE}`, 2);
    // A file streams; standard input is read whole first, as before, so a failure reading it
    // comes before any output.
    const trace = path !== '-' && io.streamBytes ? io.streamBytes(path) : await io.readBytes(path);
    try {
      replayToJsonLines(trace, chunk => io.outBytes(chunk));
    } catch (error) {
      if (error instanceof TraceSyntaxError) throw new CliError(`${path === '-' ? 'stdin' : path}: ${error.message}`, 2);
      throw error;
    }
    return 0;
  }
  const ops = await readTrace(positional[0], io, USAGE);
  const replayer = new TraceReplayer();
  io.out('line  operation                         result\n');
  for (const op of ops) {
    const result = replayer.apply(op);
    const heap = replayer.heap;
    let text: string;
    if ('error' in result) text = `error ${explainError(op, result)}`;
    else if (result.op === 'alloc') text = result.address;
    else if (result.op === 'dump') {
      text = result.freeLists
        .map(
          (list, order) =>
            `\n      order ${order} (${formatBytes(heap ? heap.orderSize(order) : 0)}): ${list.length ? list.join(' → ') : '(empty)'}`,
        )
        .join('');
    } else if (result.op === 'heap' && heap) {
      text = `ok: ${formatBytes(heap.layout.size)} at ${hex(heap.layout.base)}, min block ${formatBytes(heap.minBlock)}`;
    } else text = 'ok';
    io.out(`${String(op.line).padStart(4)}  ${describe(op).padEnd(32)}  ${text}\n`);
  }
  return 0;
}

function describe(op: TraceOp): string {
  switch (op.op) {
    case 'heap':
      return `heap ${hex(op.size)} orders=${op.orders}`;
    case 'alloc':
      return `alloc ${op.size} align ${op.align}${op.owner ? ` [${op.owner}]` : ''}`;
    case 'free':
      return `free ${hex(op.address)} ${op.size} ${op.align}`;
    case 'dump':
      return 'dump';
  }
}
