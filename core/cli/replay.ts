// `buddy-heap replay`: JSON lines for machines, a table for people.
import { formatBytes, hex } from '../layout';
import { TraceReplayer } from '../trace/replay';
import type { TraceOp } from '../trace/parse';
import { replayToJsonLines } from '../trace/streamReplay';
import { quoteText } from '../util/quote';
import { explainError } from './errorText';
import { type CliIo, parseArgs, traceSource } from './io';
import { forEachOp, openTrace, requireTracePath, traceFailure } from './traceInput';

const USAGE = 'buddy-heap replay <trace|-> [--json]';

export async function runReplay(args: readonly string[], io: CliIo): Promise<number> {
  const { positional, flags } = parseArgs(args, ['--json']);
  const path = requireTracePath(positional[0], USAGE);
  if (flags.has('--json')) {
    // Streams, files and standard input alike: results are printed as lines are read, up to a
    // malformed line or a failed read, which then stops the replay naming the line.
    const trace = await traceSource(io, path);
    try {
      replayToJsonLines(trace, chunk => io.outBytes(chunk));
    } catch (error) {
      throw traceFailure(path, error);
    }
    return 0;
  }
  const input = await openTrace(path, io, USAGE);
  const replayer = new TraceReplayer();
  io.out('line  operation                         result\n');
  forEachOp(input, op => {
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
  });
  return 0;
}

function describe(op: TraceOp): string {
  switch (op.op) {
    case 'heap':
      return `heap ${hex(op.size)} orders=${op.orders}`;
    case 'alloc':
      // Quoted: a label is the trace's text, and may hold escape sequences meant for the terminal.
      return `alloc ${op.size} align ${op.align}${op.owner ? ` [${quoteText(op.owner, 128)}]` : ''}`;
    case 'free':
      return `free ${hex(op.address)} ${op.size} ${op.align}`;
    case 'dump':
      return 'dump';
  }
}
