// Replay throughput on a 1,000,000-operation random trace: `buddy-heap replay --json` end to end
// (parse, model, JSON out) next to the Rust reference on the same trace (its line protocol).
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Random } from '../support/random';
import { type GeneratedTrace, generateTrace } from '../support/randomTrace';
import { SHAPES_VERSION, longFreeListTrace, steadyStateTrace } from './replayShapes';
import { REPO_ROOT, buildReference } from '../support/reference';

const OPERATIONS = 1_000_000;

function timed(run: () => void): number {
  const started = process.hrtime.bigint();
  run();
  return Number(process.hrtime.bigint() - started) / 1e6;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** CPU time of this process's reaped children (Linux /proc; clock ticks of 10 ms), or undefined elsewhere. */
function childrenCpuMs(): number | undefined {
  try {
    // Fields after the command's closing parenthesis: cutime and cstime are the 14th and 15th.
    const fields = fs.readFileSync('/proc/self/stat', 'utf8').split(') ')[1]!.split(' ');
    return ((Number(fields[13]) + Number(fields[14])) * 1000) / 100;
  } catch {
    return undefined;
  }
}

interface Timing {
  readonly wallMs: number;
  readonly cpuMs: number | undefined;
}

function timedChild(run: () => void): Timing {
  const cpuBefore = childrenCpuMs();
  const wallMs = timed(run);
  const cpuAfter = childrenCpuMs();
  return { wallMs, cpuMs: cpuBefore === undefined || cpuAfter === undefined ? undefined : cpuAfter - cpuBefore };
}

/**
 * `buddy-heap replay --json` and the reference on one trace, interleaved `runs` times so load from
 * other processes hits both alike: the fastest run of each is the least disturbed, the median the
 * typical one; CPU time (user + system of the child) is steadier than wall time on a busy machine.
 */
function compareOnTrace(
  name: string,
  operations: number,
  generate: () => GeneratedTrace,
  runs: number,
  reference: ReturnType<typeof buildReference>,
  result: Record<string, number | string>,
): void {
  const dir = path.join(REPO_ROOT, '.cache', 'bench');
  fs.mkdirSync(dir, { recursive: true });
  const tracePath = path.join(dir, `${name}-${operations}-v${SHAPES_VERSION}.trace`);
  const referencePath = path.join(dir, `${name}-${operations}-v${SHAPES_VERSION}.protocol`);
  // Generating millions of operations on the model takes tens of seconds: a trace is kept under a
  // name that says what made it (shape, operations, generator version).
  if (!fs.existsSync(tracePath) || !fs.existsSync(referencePath)) {
    const generated = generate();
    fs.writeFileSync(referencePath, generated.reference.join('\n') + '\n');
    fs.writeFileSync(tracePath, generated.trace.join('\n') + '\n');
  }
  const cliPath = path.join(REPO_ROOT, 'dist', 'cli.js');
  const runCli = () =>
    timedChild(() => {
      const run = spawnSync(process.execPath, [cliPath, 'replay', tracePath, '--json'], { stdio: ['ignore', 'ignore', 'inherit'] });
      if (run.status !== 0) throw new Error(`buddy-heap replay failed in the benchmark (${name})`);
    });
  const runReference = reference.ok
    ? () =>
        timedChild(() => {
          const input = fs.openSync(referencePath, 'r');
          const run = spawnSync(reference.binary, [], { stdio: [input, 'ignore', 'inherit'] });
          fs.closeSync(input);
          if (run.status !== 0) throw new Error(`the reference failed in the benchmark (${name})`);
        })
    : undefined;
  const cli: Timing[] = [];
  const native: Timing[] = [];
  for (let i = 0; i < runs; i++) {
    cli.push(runCli());
    if (runReference) native.push(runReference());
  }
  const label = `replay ${name} (${operations} operations)`;
  const wall = (t: Timing[]) => Math.min(...t.map(x => x.wallMs));
  const cpu = (t: Timing[]) => (t.every(x => x.cpuMs !== undefined) ? median(t.map(x => x.cpuMs!)) : undefined);
  result[`${label}: CLI min ms`] = Math.round(wall(cli));
  result[`${label}: CLI median ms`] = Math.round(median(cli.map(x => x.wallMs)));
  const cliCpu = cpu(cli);
  if (cliCpu !== undefined) result[`${label}: CLI CPU median ms`] = Math.round(cliCpu);
  if (native.length === 0) return;
  result[`${label}: reference min ms`] = Math.round(wall(native));
  result[`${label}: reference median ms`] = Math.round(median(native.map(x => x.wallMs)));
  const nativeCpu = cpu(native);
  if (nativeCpu !== undefined) result[`${label}: reference CPU median ms`] = Math.round(nativeCpu);
  // The ratio: the CLI's time over the reference's (aim ≤ 1.0), min wall and median CPU.
  result[`${label}: CLI / reference, min wall`] = Number((wall(cli) / wall(native)).toFixed(3));
  if (cliCpu !== undefined && nativeCpu !== undefined && nativeCpu > 0)
    result[`${label}: CLI / reference, median CPU`] = Number((cliCpu / nativeCpu).toFixed(3));
}

export async function benchReplay(): Promise<Record<string, number | string>> {
  const dir = path.join(REPO_ROOT, '.cache', 'bench');
  fs.mkdirSync(dir, { recursive: true });
  // A 16 MiB heap with 32-byte minimum blocks (N = 20): deep splits, long lists, many merges.
  const layout = { size: 1n << 24n, orders: 20, base: 0x2000_0000n, pointerWidth: 8 as const };
  const generated = generateTrace(new Random(1_000_000), layout, { ops: OPERATIONS, dumpRate: 0, freeRate: 0.45 });
  const tracePath = path.join(dir, 'replay-1m.trace');
  const referencePath = path.join(dir, 'replay-1m.protocol');
  fs.writeFileSync(tracePath, generated.trace.join('\n') + '\n');
  fs.writeFileSync(referencePath, generated.reference.join('\n') + '\n');

  const cli = path.join(REPO_ROOT, 'dist', 'cli.js');
  const runCli = () =>
    timed(() => {
      const run = spawnSync(process.execPath, [cli, 'replay', tracePath, '--json'], { stdio: ['ignore', 'ignore', 'inherit'] });
      if (run.status !== 0) throw new Error('buddy-heap replay failed in the benchmark');
    });
  const reference = buildReference();
  const runReference = reference.ok
    ? () =>
        timed(() => {
          const input = fs.openSync(referencePath, 'r');
          const run = spawnSync(reference.binary, [], { stdio: [input, 'ignore', 'inherit'] });
          fs.closeSync(input);
          if (run.status !== 0) throw new Error('the reference failed in the benchmark');
        })
    : undefined;
  // Node starting and exiting with nothing to do: the part of the CLI's time no replay code can
  // shorten (about 100 ms on the 2-core bench machines, over half the reference's whole run).
  const runNode = () =>
    timed(() => {
      const run = spawnSync(process.execPath, ['-e', ''], { stdio: 'ignore' });
      if (run.status !== 0) throw new Error('node -e "" failed in the benchmark');
    });
  // Interleaved runs, so load from other processes hits both sides alike; the fastest run of each
  // is the least disturbed measurement, the median the typical one.
  const cliMs: number[] = [];
  const referenceMs: number[] = [];
  const nodeMs: number[] = [];
  for (let i = 0; i < 5; i++) {
    cliMs.push(runCli());
    if (runReference) referenceMs.push(runReference());
    nodeMs.push(runNode());
  }
  const result: Record<string, number | string> = {
    replayOperations: generated.trace.length,
    replayCliMedianMs: Math.round(median(cliMs)),
    replayCliMinMs: Math.round(Math.min(...cliMs)),
    replayCliOpsPerSec: Math.round(generated.trace.length / (Math.min(...cliMs) / 1000)),
    replayNodeStartExitMinMs: Math.round(Math.min(...nodeMs)),
  };
  if (referenceMs.length > 0) {
    result.replayReferenceMedianMs = Math.round(median(referenceMs));
    result.replayReferenceMinMs = Math.round(Math.min(...referenceMs));
    result.replayReferenceOpsPerSec = Math.round(generated.reference.length / (Math.min(...referenceMs) / 1000));
    // The aim: at least half the native reference's speed, end to end (parse, allocate, print).
    result.replayCliVsReference = Number((Math.min(...referenceMs) / Math.min(...cliMs)).toFixed(3));
    result['replay 1M random: CLI / reference, min wall'] = Number((Math.min(...cliMs) / Math.min(...referenceMs)).toFixed(3));
  } else if (!reference.ok) {
    result.replayReferenceSkipped = reference.reason;
  }
  // The steady-state shape at 2M operations, and a long free list (the crate's linear
  // free_list_remove makes it quadratic; the model unlinks in O(1)).
  compareOnTrace('steady-state', 2_000_000, () => steadyStateTrace(2_000_000), 5, reference, result);
  compareOnTrace('long-free-list', 2 * (1 << 16), () => longFreeListTrace(1 << 16, 1), 3, reference, result);
  return result;
}
