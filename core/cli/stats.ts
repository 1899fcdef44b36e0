// `buddy-heap stats`: how fragmentation evolves over a trace, one row per operation.
import { formatBytes } from '../layout';
import type { BuddyHeap } from '../model/buddyHeap';
import { TraceReplayer } from '../trace/replay';
import { type CliIo, parseArgs } from './io';
import { forEachOp, openTrace } from './traceInput';

const USAGE = 'buddy-heap stats <trace|-> [--json]';

export interface HeapStatsRow {
  readonly line: number;
  readonly op: string;
  readonly ok: boolean;
  readonly freeBytes: number;
  readonly usedBytes: number;
  readonly largestFreeBlock: number;
  /** 1 - largest free / total free; 0 when nothing is free. */
  readonly fragmentation: number;
  readonly freeBlocks: number;
}

export function statsRow(heap: BuddyHeap, line: number, op: string, ok: boolean): HeapStatsRow {
  const freeBytes = heap.freeBytes();
  const largest = heap.largestFreeBlock();
  let freeBlocks = 0;
  for (let order = 0; order < heap.orders; order++) freeBlocks += heap.freeCount(order);
  return {
    line,
    op,
    ok,
    freeBytes,
    usedBytes: heap.size - freeBytes,
    largestFreeBlock: largest,
    fragmentation: freeBytes === 0 ? 0 : 1 - largest / freeBytes,
    freeBlocks,
  };
}

export async function runStats(args: readonly string[], io: CliIo): Promise<number> {
  const { positional, flags } = parseArgs(args, ['--json']);
  const json = flags.has('--json');
  const input = await openTrace(positional[0], io, USAGE);
  const replayer = new TraceReplayer();
  if (!json) io.out('line  op     ok   free        used        largest free  fragmentation  free blocks\n');
  forEachOp(input, op => {
    const result = replayer.apply(op);
    const heap = replayer.heap;
    if (op.op === 'dump' || !heap) return;
    const row = statsRow(heap, op.line, op.op, !('error' in result));
    if (json) io.out(JSON.stringify(row) + '\n');
    else {
      io.out(
        `${String(row.line).padStart(4)}  ${row.op.padEnd(5)}  ${row.ok ? 'ok ' : 'err'}  ${formatBytes(row.freeBytes).padEnd(10)}  ${formatBytes(row.usedBytes).padEnd(10)}  ` +
          `${formatBytes(row.largestFreeBlock).padEnd(12)}  ${(row.fragmentation * 100).toFixed(1).padStart(12)}%  ${String(row.freeBlocks).padStart(11)}\n`,
      );
    }
  });
  return 0;
}
