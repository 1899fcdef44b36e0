// Builds and drives the Rust reference oracle in ../shared/reference (the seed compiled behind a
// line protocol), when it and rustc are there. Never part of the product.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

export const REPO_ROOT = path.resolve(__dirname, '../../..');
const BUILD_SCRIPT = path.resolve(REPO_ROOT, '../shared/reference/build.sh');

/** The oracle binary, or the reason it cannot be had here. */
export function buildReference(): { ok: true; binary: string } | { ok: false; reason: string } {
  const prebuilt = process.env.BUDDY_HEAP_REFERENCE;
  if (prebuilt && fs.existsSync(prebuilt)) return { ok: true, binary: prebuilt };
  if (!fs.existsSync(BUILD_SCRIPT))
    return { ok: false, reason: `no reference at ${BUILD_SCRIPT} (../shared is not beside the repository)` };
  const rustc = spawnSync('rustc', ['--version'], { encoding: 'utf8' });
  if (rustc.status !== 0) return { ok: false, reason: 'rustc is not installed (Debian package rustc)' };
  const out = path.join(REPO_ROOT, '.cache', 'reference');
  const build = spawnSync('bash', [BUILD_SCRIPT, out], { encoding: 'utf8', timeout: 300_000 });
  if (build.status !== 0) return { ok: false, reason: `the reference did not build: ${build.stderr.trim()}` };
  return { ok: true, binary: build.stdout.trim() };
}

/** The N the shared driver dispatches to (1..24), and the most the crate's callers can ask for. */
export const REFERENCE_MAX_ORDERS = 24;
const WIDE_MAX_ORDERS = 32;

/**
 * The same oracle with Heap<N> for N up to 32: the shared driver stops at 24, so its main.rs is
 * compiled here with the dispatch list extended (the seed itself is included unchanged, as the
 * standard build prepares it). The reference allocates the heap in host memory, so heaps of up to
 * 2^34 bytes (virtual, mostly untouched) are what it can run.
 */
export function buildWideReference(): { ok: true; binary: string } | { ok: false; reason: string } {
  const driver = path.resolve(REPO_ROOT, '../shared/reference/main.rs');
  if (!fs.existsSync(BUILD_SCRIPT) || !fs.existsSync(driver)) return { ok: false, reason: `no reference at ${BUILD_SCRIPT}` };
  const seedDir = path.join(REPO_ROOT, '.cache', 'reference');
  const standard = spawnSync('bash', [BUILD_SCRIPT, seedDir], { encoding: 'utf8', timeout: 300_000 });
  if (standard.status !== 0) return { ok: false, reason: `the reference did not build: ${standard.stderr.trim()}` };
  const dir = path.join(REPO_ROOT, '.cache', 'reference-wide');
  const binary = path.join(dir, 'reference');
  const extra = Array.from({ length: WIDE_MAX_ORDERS - REFERENCE_MAX_ORDERS }, (_, i) => REFERENCE_MAX_ORDERS + 1 + i).join(',');
  const source = fs.readFileSync(driver, 'utf8');
  const widened = source.replace(new RegExp(`(dispatch!\\([^;]*\\b${REFERENCE_MAX_ORDERS})\\)`), `$1,${extra})`);
  if (widened === source) return { ok: false, reason: `${driver} no longer dispatches N 1..${REFERENCE_MAX_ORDERS} as this build expects` };
  fs.mkdirSync(dir, { recursive: true });
  // Sources are compared by content: build.sh rewrites the prepared seed on every call.
  const seed = fs.readFileSync(path.join(seedDir, 'heap_seed.rs'), 'utf8');
  const same = (file: string, text: string) => fs.existsSync(file) && fs.readFileSync(file, 'utf8') === text;
  const main = path.join(dir, 'main.rs');
  const seedCopy = path.join(dir, 'heap_seed.rs');
  if (!fs.existsSync(binary) || !same(main, widened) || !same(seedCopy, seed)) {
    fs.rmSync(binary, { force: true });
    fs.writeFileSync(main, widened);
    fs.writeFileSync(seedCopy, seed);
    const build = spawnSync('rustc', ['-O', '--edition', '2021', '-o', binary, main], {
      encoding: 'utf8',
      timeout: 300_000,
      env: { ...process.env, ORACLE_SRC: dir },
    });
    if (build.status !== 0) return { ok: false, reason: `the wide reference did not build: ${(build.stderr ?? '').trim().slice(0, 500)}` };
  }
  return { ok: true, binary };
}

/**
 * Pipes a protocol script through the oracle (buffered mode) and returns its answer lines. Once a
 * driver's frees stop matching real allocations the seed's behaviour is undefined and it may loop
 * forever, so the run is bounded; whatever it answered by then is returned with `complete: false`.
 */
export function runReference(
  binary: string,
  lines: readonly string[],
  timeoutMs = 20_000,
): { answers: string[]; complete: boolean; problem?: string } {
  const run = spawnSync(binary, [], {
    input: lines.join('\n') + '\n',
    encoding: 'utf8',
    maxBuffer: 1 << 30,
    timeout: timeoutMs,
    killSignal: 'SIGKILL',
  });
  const answers = (run.stdout ?? '').split('\n').filter(line => line !== '');
  if (run.status === 0) return { answers, complete: true };
  const problem = run.error
    ? `did not finish within ${timeoutMs} ms (undefined behaviour after a divergence?)`
    : `exited ${run.status ?? run.signal}: ${run.stderr.trim().slice(0, 500)}`;
  return { answers, complete: false, problem };
}
