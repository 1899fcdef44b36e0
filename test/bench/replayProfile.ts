// Where a `buddy-heap replay --json` run spends its time, from V8's CPU profile of one run
// (`node --cpu-prof`): every sample is put in a phase by when it was taken (before the replay
// loop, in it, after it) and, in the loop, in a part by the source file of the code it was in
// (through the bundle's source map, so code V8 inlined into the loop still counts where it was
// written: the model's unlinking inside LineReplay is the model's time, not the parser's).
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { SourceMap } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { plainNodeEnv } from './plainNodeEnv';

/**
 * The parts of a replay. load: after Node's own start, loading and compiling the CLI, opening the
 * trace; read and write: the system calls on the trace and the output; parse: the replay loop
 * (lines, fields, digits: core/trace); model: allocate and deallocate (core/model, core/memory);
 * output: JSON lines into the output buffer (jsonLineWriter); gc; other: samples in the replay's
 * time with no JS on the stack; exit: after the last line. V8 compiling or deoptimizing on the main
 * thread counts in the part of the code it was called from: its cost shows as the difference
 * between a cold replay and a warm one (see the bench).
 */
export const REPLAY_PARTS = ['load', 'read', 'parse', 'model', 'output', 'write', 'gc', 'other', 'exit'] as const;
export type ReplayPart = (typeof REPLAY_PARTS)[number];

interface CallFrame {
  readonly functionName: string;
  readonly url: string;
  readonly lineNumber: number;
  readonly columnNumber: number;
}
interface ProfileNode {
  readonly id: number;
  readonly callFrame: CallFrame;
  readonly children?: number[];
  readonly positionTicks?: { line: number; ticks: number }[];
}
interface CpuProfile {
  readonly nodes: ProfileNode[];
  readonly startTime: number;
  readonly endTime: number;
  readonly samples: number[];
  readonly timeDeltas: number[];
}

/** A part by the source file code came from (paths as the bundle's source map names them). */
function partOfSource(source: string): ReplayPart | undefined {
  if (/core\/trace\/jsonLineWriter\.ts$/.test(source)) return 'output';
  if (/core\/(model|memory)\/|core\/layout\.ts$|core\/util\/powersOfTwo\.ts$/.test(source)) return 'model';
  if (/core\/trace\//.test(source)) return 'parse';
  return undefined;
}

/** Parts by source line of one bundle, from its source map (the last mapping on each line). */
class BundleLines {
  private readonly map: SourceMap | undefined;
  private readonly cache = new Map<number, ReplayPart | undefined>();

  constructor(file: string) {
    const mapFile = `${file}.map`;
    this.map = fs.existsSync(mapFile) ? new SourceMap(JSON.parse(fs.readFileSync(mapFile, 'utf8'))) : undefined;
  }

  /** `line` is 1-based, as positionTicks give it. */
  part(line: number): ReplayPart | undefined {
    if (!this.map) return undefined;
    if (!this.cache.has(line)) {
      const entry = this.map.findEntry(line - 1, 10_000) as { originalSource?: string };
      this.cache.set(line, entry.originalSource ? partOfSource(entry.originalSource) : undefined);
    }
    return this.cache.get(line);
  }
}

export interface ReplayProfile {
  /** Profiled milliseconds per part (the profiler itself slows a run by a few per cent). */
  readonly ms: Record<ReplayPart, number>;
  readonly totalMs: number;
}

/** Runs the CLI once under the profiler on `tracePath` and splits its samples into parts. */
export function profileReplay(cliPath: string, tracePath: string): ReplayProfile {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'buddy-replay-prof-'));
  try {
    const run = spawnSync(
      process.execPath,
      ['--cpu-prof', '--cpu-prof-dir', dir, '--cpu-prof-interval', '200', cliPath, 'replay', tracePath, '--json'],
      { stdio: ['ignore', 'ignore', 'inherit'], env: plainNodeEnv() },
    );
    if (run.status !== 0) throw new Error(`the profiled replay of ${tracePath} failed`);
    const file = fs.readdirSync(dir).find(name => name.endsWith('.cpuprofile'));
    if (!file) throw new Error('node --cpu-prof wrote no profile');
    return splitProfile(JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')) as CpuProfile);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function splitProfile(profile: CpuProfile): ReplayProfile {
  const byId = new Map(profile.nodes.map(node => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const bundles = new Map<string, BundleLines>();
  const bundle = (url: string): BundleLines | undefined => {
    if (!url.endsWith('.js') || url.startsWith('node:')) return undefined;
    const file = url.startsWith('file:') ? fileURLToPath(url) : url;
    if (!path.isAbsolute(file) || !fs.existsSync(file)) return undefined;
    let lines = bundles.get(file);
    if (!lines) bundles.set(file, (lines = new BundleLines(file)));
    return lines;
  };
  const ancestors = (id: number): ProfileNode[] => {
    const chain: ProfileNode[] = [];
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) chain.push(byId.get(at)!);
    return chain;
  };
  // The replay loop: LineReplay.run and everything it calls.
  const inReplay = new Map<number, boolean>();
  const isInReplay = (id: number): boolean => {
    let known = inReplay.get(id);
    if (known === undefined) {
      known = ancestors(id).some(
        node => node.callFrame.functionName === 'run' && bundle(node.callFrame.url)?.part(node.callFrame.lineNumber + 1) === 'parse',
      );
      inReplay.set(id, known);
    }
    return known;
  };
  // A node's share of each part: by the source lines its ticks fell on, else by where it is called.
  const shares = new Map<number, Map<ReplayPart, number>>();
  const sharesOf = (id: number): Map<ReplayPart, number> => {
    let found = shares.get(id);
    if (found) return found;
    found = new Map();
    const node = byId.get(id)!;
    const lines = bundle(node.callFrame.url);
    const ticks = node.positionTicks ?? [];
    const total = ticks.reduce((sum, t) => sum + t.ticks, 0);
    if (lines && total > 0) {
      for (const t of ticks) {
        const part = lines.part(t.line) ?? 'parse';
        found.set(part, (found.get(part) ?? 0) + t.ticks / total);
      }
    } else {
      found.set(calledFor(ancestors(id), bundle), 1);
    }
    shares.set(id, found);
    return found;
  };
  const ms = Object.fromEntries(REPLAY_PARTS.map(part => [part, 0])) as Record<ReplayPart, number>;
  // Samples in time order: the replay lasts from its first sample to its last.
  let first = -1;
  let last = -1;
  profile.samples.forEach((id, i) => {
    if (isInReplay(id)) {
      if (first < 0) first = i;
      last = i;
    }
  });
  profile.samples.forEach((id, i) => {
    // timeDeltas[i] is the time before sample i; the time a sample stands for is the one after it.
    const sampleMs = (profile.timeDeltas[i + 1] ?? 0) / 1000;
    if (first < 0 || i < first) ms.load += sampleMs;
    else if (i > last) ms.exit += sampleMs;
    else if (isInReplay(id)) for (const [part, share] of sharesOf(id)) ms[part] += sampleMs * share;
    else ms[byId.get(id)!.callFrame.functionName === '(garbage collector)' ? 'gc' : 'other'] += sampleMs;
  });
  return { ms, totalMs: (profile.endTime - profile.startTime) / 1000 };
}

/** The part of code with no source lines of its own (Node's fs, natives): by what called it. */
function calledFor(chain: ProfileNode[], bundle: (url: string) => BundleLines | undefined): ReplayPart {
  for (const node of chain) {
    const name = node.callFrame.functionName;
    if (/^(writeSync|writeAll)$/.test(name)) return 'write';
    if (/^(readSync|readSome)$/.test(name)) return 'read';
    const lines = bundle(node.callFrame.url);
    const part = lines?.part(node.callFrame.lineNumber + 1);
    if (part) return part;
  }
  return 'other';
}
