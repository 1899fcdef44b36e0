// Runs the real `buddy-heap` in a child Node under a JS heap limit, feeds it generated input through
// a pipe (nothing written to disk), counts its output without keeping it, and reports its peak
// resident memory (getrusage's ru_maxrss, reported by a preload at exit). Used by the memory-bound
// test and bench: the same commands on inputs of very different sizes must stay under one bound.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** The CLI as transpiled into out/ (the same code dist/cli.js bundles). */
export const CLI_PATH = path.join(__dirname, '..', '..', 'core', 'cli', 'main.js');

/** V8's old space for the child. The replay's model, buffers and garbage fit; a whole input does not. */
export const OLD_SPACE_MB = 24;
/**
 * Peak RSS allowed: Node itself (~45 MB), the capped JS heap with its young generation, the
 * decoder's typed arrays and the page cache. Reading a 128 MB trace whole would pass it alone.
 */
export const MAX_RSS_BYTES = 128 * 2 ** 20;

export interface BoundedRun {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  /** Peak resident set size of the CLI process, in bytes (undefined when it died before reporting). */
  readonly maxRssBytes: number | undefined;
  readonly stdoutBytes: number;
  readonly stdoutLines: number;
  /** The last few KiB of standard output (the rest is only counted). */
  readonly stdoutTail: string;
  readonly stderr: string;
  readonly inputBytes: number;
  readonly seconds: number;
}

export interface BoundedRunOptions {
  /** V8's old-space limit for the child: a command that buffered its input would die of it. */
  readonly maxOldSpaceMb: number;
  /** Produces standard input a chunk at a time; undefined ends it. */
  readonly input?: () => Uint8Array | undefined;
}

let preloadPath: string | undefined;

/** A preload that writes the process's peak RSS (KiB) to fd 3 as it exits, whatever the exit code. */
function preload(): string {
  if (preloadPath && fs.existsSync(preloadPath)) return preloadPath;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'buddy-heap-rss-'));
  preloadPath = path.join(dir, 'report-max-rss.js');
  fs.writeFileSync(
    preloadPath,
    "process.on('exit', () => { try { require('fs').writeSync(3, String(process.resourceUsage().maxRSS)); } catch {} });\n",
  );
  return preloadPath;
}

/** Resolves when a full pipe drains, or closes (the child stopped reading). */
export function drained(stream: NodeJS.WritableStream & { destroyed: boolean }): Promise<void> {
  return new Promise(resolve => {
    const done = () => {
      stream.off('drain', done);
      stream.off('close', done);
      resolve();
    };
    stream.on('drain', done);
    stream.on('close', done);
  });
}

export function runBounded(args: readonly string[], options: BoundedRunOptions): Promise<BoundedRun> {
  const started = process.hrtime.bigint();
  const child = spawn(process.execPath, [`--max-old-space-size=${options.maxOldSpaceMb}`, '-r', preload(), CLI_PATH, ...args], {
    stdio: ['pipe', 'pipe', 'pipe', 'pipe'],
  });
  let stdoutBytes = 0;
  let stdoutLines = 0;
  let tail = Buffer.alloc(0);
  let stderr = '';
  let report = '';
  let inputBytes = 0;
  child.stdout!.on('data', (chunk: Buffer) => {
    stdoutBytes += chunk.length;
    for (let i = chunk.indexOf(10); i >= 0; i = chunk.indexOf(10, i + 1)) stdoutLines++;
    tail = Buffer.concat([tail, chunk]).subarray(-4096);
  });
  child.stderr!.on('data', (chunk: Buffer) => {
    if (stderr.length < 1 << 16) stderr += chunk.toString('utf8');
  });
  const reportPipe = child.stdio[3] as NodeJS.ReadableStream;
  reportPipe.on('data', (chunk: Buffer) => (report += chunk.toString('utf8')));
  const stdin = child.stdin!;
  // The child may stop reading (a malformed line, a crash): that is its result, not a test error.
  stdin.on('error', () => undefined);
  const feed = async () => {
    for (let chunk = options.input?.(); chunk !== undefined && !stdin.destroyed; chunk = options.input?.()) {
      inputBytes += chunk.length;
      if (!stdin.write(chunk)) await drained(stdin);
    }
    stdin.end();
  };
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    void feed();
    child.on('close', (code, signal) => {
      const kib = Number(report);
      resolve({
        code,
        signal,
        maxRssBytes: report === '' || !Number.isFinite(kib) ? undefined : kib * 1024,
        stdoutBytes,
        stdoutLines,
        stdoutTail: tail.toString('utf8'),
        stderr,
        inputBytes,
        seconds: Number(process.hrtime.bigint() - started) / 1e9,
      });
    });
  });
}

/**
 * A trace of about `bytes` bytes, made on the fly: a heap line, then the same block of lines again
 * and again. The block mixes lines of the replay's fast path with commented and owner-labelled ones
 * of its general path; every allocation is freed again, so the model stays small and any growth in
 * memory is the command's own. Returns the producer and the number of operation lines it makes.
 */
export function generatedTrace(bytes: number): { next: () => Uint8Array | undefined; operations: number } {
  const note = '# ' + 'padding to make lines long, as commented traces are; '.repeat(3);
  const block = Array.from({ length: 256 }, (_, i) =>
    [`alloc 16 8 owner=task:${i % 7} ${note}`, 'free 0x20000000 16 8', 'alloc 4096 4096', `free 0x20000000 4096 4096 ${note}`].join('\n'),
  ).join('\n');
  const chunk = new TextEncoder().encode(block + '\n');
  const header = new TextEncoder().encode('heap 0x100000 orders=16\n');
  const repeats = Math.max(1, Math.round(bytes / chunk.length));
  let sent = -1;
  return {
    operations: 1 + repeats * 256 * 4,
    next: () => {
      sent++;
      if (sent === 0) return header;
      return sent <= repeats ? chunk : undefined;
    },
  };
}

/**
 * A raw image of a `size`-byte heap (4-byte little-endian pointers, `minBlock`-byte minimum blocks)
 * at 0x20000000, as fragmented as a heap gets: every other minimum block free on the order-0 list
 * (head first, each next word pointing to the one after), the blocks between allocated. Its layout
 * file gives the struct's values. The decoder finds size/minBlock blocks, half of them free.
 */
export function fragmentedImage(size: number, minBlock = 16): { image: Uint8Array; layout: string; freeBlocks: number; blocks: number } {
  const base = 0x2000_0000;
  const words = new Uint32Array(size / 4);
  const stride = 2 * minBlock;
  const freeBlocks = size / stride;
  for (let k = 0; k < freeBlocks; k++) words[(k * stride) / 4] = k + 1 < freeBlocks ? base + (k + 1) * stride : 0;
  const orders = Math.log2(size / minBlock) + 1;
  const freeLists = Array.from({ length: orders }, (_, order) => (order === 0 ? '0x' + base.toString(16) : '0x0'));
  const layout = JSON.stringify({
    pointerWidth: 4,
    endianness: 'little',
    fields: {
      heapBase: '0x' + base.toString(16),
      heapSize: size,
      freeLists,
      minBlockSize: minBlock,
      minBlockSizeLog2: Math.log2(minBlock),
    },
  });
  return { image: new Uint8Array(words.buffer), layout, freeBlocks, blocks: size / minBlock };
}
