// Replay throughput: `buddy-heap replay --json` end to end (Node's start, loading, parse, model,
// JSON out) next to the Rust reference on the same trace (its line protocol), on three traces: a
// 1,000,000-operation random one, an allocator's steady state and a long free list; with where
// the CLI's time goes (see breakdown). Node runs without this environment's TLS-only variables
// (plainNodeEnv), whose cost to Node's start has a row of its own.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Random } from '../support/random';
import { type GeneratedTrace, generateTrace } from '../support/randomTrace';
import { SHAPES_VERSION, longFreeListTrace, steadyStateTrace } from './replayShapes';
import { REPO_ROOT, buildReference } from '../support/reference';
import { REPLAY_PARTS, profileReplay } from './replayProfile';
import { plainNodeEnv, tlsOnlyVariablesSet } from './plainNodeEnv';

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

/** How a trace is had: generated, and kept under its name when `keep` (generating takes seconds). */
interface TraceSpec {
  readonly name: string;
  readonly operations: number;
  readonly generate: () => GeneratedTrace;
  readonly keep: boolean;
  readonly runs: number;
}

/**
 * `buddy-heap replay --json` and the reference on one trace, interleaved `runs` times so load from
 * other processes hits both alike: the fastest run of each is the least disturbed, the median the
 * typical one; CPU time (user + system of the child) is steadier than wall time on a busy machine.
 * With them, in the same loop, the two runs the breakdown subtracts: Node starting and exiting
 * with nothing to do, and the CLI on the trace's heap line alone (Node, loading the CLI, exit).
 */
function compareOnTrace(spec: TraceSpec, reference: ReturnType<typeof buildReference>, result: Record<string, number | string>): void {
  const dir = path.join(REPO_ROOT, '.cache', 'bench');
  fs.mkdirSync(dir, { recursive: true });
  const base = `${spec.name}-${spec.operations}` + (spec.keep ? `-v${SHAPES_VERSION}` : '');
  const tracePath = path.join(dir, `${base}.trace`);
  const referencePath = path.join(dir, `${base}.protocol`);
  if (!spec.keep || !fs.existsSync(tracePath) || !fs.existsSync(referencePath)) {
    const generated = spec.generate();
    fs.writeFileSync(referencePath, generated.reference.join('\n') + '\n');
    fs.writeFileSync(tracePath, generated.trace.join('\n') + '\n');
  }
  const heapLinePath = path.join(dir, `${base}.heap-line.trace`);
  const firstLine = fs.readFileSync(tracePath, 'utf8').slice(0, 4096).split('\n')[0]!;
  fs.writeFileSync(heapLinePath, firstLine + '\n');
  const cliPath = path.join(REPO_ROOT, 'dist', 'cli.js');
  const spawnTimed = (what: string, command: string, args: string[], input: number | 'ignore' = 'ignore') =>
    timedChild(() => {
      const run = spawnSync(command, args, { stdio: [input, 'ignore', 'inherit'], env: plainNodeEnv() });
      if (run.status !== 0) throw new Error(`${what} failed in the benchmark (${spec.name})`);
    });
  const runCli = () => spawnTimed('buddy-heap replay', process.execPath, [cliPath, 'replay', tracePath, '--json']);
  const runHeapLine = () => spawnTimed('buddy-heap replay of the heap line', process.execPath, [cliPath, 'replay', heapLinePath, '--json']);
  const runNode = () => spawnTimed('node -e ""', process.execPath, ['-e', '']);
  const runReference = reference.ok
    ? () => {
        const input = fs.openSync(referencePath, 'r');
        try {
          return spawnTimed('the reference', reference.binary, [], input);
        } finally {
          fs.closeSync(input);
        }
      }
    : undefined;
  const cli: Timing[] = [];
  const native: Timing[] = [];
  const node: Timing[] = [];
  const heapLine: Timing[] = [];
  for (let i = 0; i < spec.runs; i++) {
    cli.push(runCli());
    if (runReference) native.push(runReference());
    // Short runs, a few ms apart: more of them, so their minimums are as undisturbed as the CLI's.
    for (let k = 0; k < 3; k++) {
      node.push(runNode());
      heapLine.push(runHeapLine());
    }
  }
  const label = `replay ${spec.name} (${spec.operations} operations)`;
  const wall = (t: Timing[]) => Math.min(...t.map(x => x.wallMs));
  const cpu = (t: Timing[]) => (t.every(x => x.cpuMs !== undefined) ? median(t.map(x => x.cpuMs!)) : undefined);
  result[`${label}: CLI min ms`] = Math.round(wall(cli));
  result[`${label}: CLI median ms`] = Math.round(median(cli.map(x => x.wallMs)));
  const cliCpu = cpu(cli);
  if (cliCpu !== undefined) result[`${label}: CLI CPU median ms`] = Math.round(cliCpu);
  breakdown(label, cliPath, tracePath, { cli: wall(cli), node: wall(node), heapLine: wall(heapLine) }, result);
  if (native.length === 0) {
    if (!reference.ok) result.replayReferenceSkipped = reference.reason;
    return;
  }
  result[`${label}: reference min ms`] = Math.round(wall(native));
  result[`${label}: reference median ms`] = Math.round(median(native.map(x => x.wallMs)));
  const nativeCpu = cpu(native);
  if (nativeCpu !== undefined) result[`${label}: reference CPU median ms`] = Math.round(nativeCpu);
  // The ratio: the CLI's time over the reference's (aim ≤ 1.0), min wall and median CPU.
  result[`${label}: CLI / reference, min wall`] = Number((wall(cli) / wall(native)).toFixed(3));
  if (cliCpu !== undefined && nativeCpu !== undefined && nativeCpu > 0)
    result[`${label}: CLI / reference, median CPU`] = Number((cliCpu / nativeCpu).toFixed(3));
}

/**
 * Where the CLI's min wall time goes, as rows that add up to it: Node's own start and exit (`node
 * -e ""`), loading the CLI (the heap line alone, less Node), and the replay proper (the rest),
 * split in parts by one profiled run's samples (see replayProfile.ts for what each part holds).
 */
function breakdown(
  label: string,
  cliPath: string,
  tracePath: string,
  minWall: { cli: number; node: number; heapLine: number },
  result: Record<string, number | string>,
): void {
  const profile = profileReplay(cliPath, tracePath);
  const replayParts = REPLAY_PARTS.filter(part => part !== 'load' && part !== 'exit');
  const profiledReplay = replayParts.reduce((sum, part) => sum + profile.ms[part], 0);
  const replayMs = Math.max(0, minWall.cli - minWall.heapLine);
  result[`${label}: node start+exit ms`] = Math.round(minWall.node);
  result[`${label}: load ms`] = Math.round(Math.max(0, minWall.heapLine - minWall.node));
  result[`${label}: replay ms`] = Math.round(replayMs);
  for (const part of replayParts)
    result[`${label}: replay ${part} ms`] = profiledReplay > 0 ? Math.round((replayMs * profile.ms[part]) / profiledReplay) : 0;
  // The profiled run as it was (the profiler slows it a little): its start-up and exit inside Node.
  result[`${label}: profiled load ms`] = Math.round(profile.ms.load);
  result[`${label}: profiled replay ms`] = Math.round(profiledReplay);
  result[`${label}: profiled exit ms`] = Math.round(profile.ms.exit);
  // The same replay in one process, three times over the trace in memory: the first is cold like
  // the CLI's, the others run code V8 has already optimized. The difference is what V8's warm-up
  // (running unoptimized, then compiling) costs a CLI run; a native program never pays it.
  const [cold, ...warm] = replayInProcess(tracePath, 3);
  result[`${label}: in-process replay cold ms`] = Math.round(cold!);
  result[`${label}: in-process replay warm ms`] = Math.round(Math.min(...warm));
}

/** Wall ms of `times` replays of the trace (read whole first) in one child Node, by the CLI's replay bundle. */
function replayInProcess(tracePath: string, times: number): number[] {
  const script = `
    const { replayToJsonLines } = require(${JSON.stringify(path.join(REPO_ROOT, 'dist', 'cli', 'replay.js'))});
    const bytes = new Uint8Array(require('node:fs').readFileSync(${JSON.stringify(tracePath)}));
    const ms = [];
    for (let i = 0; i < ${times}; i++) {
      let out = 0;
      const started = process.hrtime.bigint();
      replayToJsonLines(bytes, chunk => void (out += chunk.length));
      ms.push(Number(process.hrtime.bigint() - started) / 1e6);
    }
    process.stdout.write(JSON.stringify(ms));`;
  const run = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], env: plainNodeEnv() });
  if (run.status !== 0) throw new Error('the in-process replay failed in the benchmark');
  return JSON.parse(run.stdout) as number[];
}

/**
 * What this environment's TLS-only variables add to any Node start (the timed runs go without
 * them, see plainNodeEnv): `node -e ""` with them less without, fastest of 9 each, interleaved.
 */
function tlsVariablesStartCost(result: Record<string, number | string>): void {
  const set = tlsOnlyVariablesSet();
  if (set.length === 0) return;
  const start = (env: NodeJS.ProcessEnv) => timed(() => spawnSync(process.execPath, ['-e', ''], { stdio: 'ignore', env }));
  const withThem: number[] = [];
  const without: number[] = [];
  for (let i = 0; i < 9; i++) {
    withThem.push(start(process.env));
    without.push(start(plainNodeEnv()));
  }
  result[`replay: Node's start with ${set.join(', ')} (set here, left out of the timed runs) less without, ms`] = Math.round(
    Math.min(...withThem) - Math.min(...without),
  );
}

export async function benchReplay(): Promise<Record<string, number | string>> {
  const reference = buildReference();
  const result: Record<string, number | string> = {};
  tlsVariablesStartCost(result);
  // A 16 MiB heap with 32-byte minimum blocks (N = 20): deep splits, long lists, many merges.
  const layout = { size: 1n << 24n, orders: 20, base: 0x2000_0000n, pointerWidth: 8 as const };
  const random = () => generateTrace(new Random(1_000_000), layout, { ops: OPERATIONS, dumpRate: 0, freeRate: 0.45 });
  compareOnTrace({ name: 'random', operations: OPERATIONS, generate: random, keep: false, runs: 9 }, reference, result);
  // The steady-state shape at 2M operations, and a long free list (the crate's linear
  // free_list_remove makes it quadratic; the model unlinks in O(1)).
  const steady = () => steadyStateTrace(2_000_000);
  compareOnTrace({ name: 'steady-state', operations: 2_000_000, generate: steady, keep: true, runs: 9 }, reference, result);
  const long = () => longFreeListTrace(1 << 16, 1);
  compareOnTrace({ name: 'long-free-list', operations: 2 * (1 << 16), generate: long, keep: true, runs: 3 }, reference, result);
  return result;
}
