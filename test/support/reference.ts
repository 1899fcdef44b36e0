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
  if (!fs.existsSync(BUILD_SCRIPT)) return { ok: false, reason: `no reference at ${BUILD_SCRIPT} (../shared is not beside the repository)` };
  const rustc = spawnSync('rustc', ['--version'], { encoding: 'utf8' });
  if (rustc.status !== 0) return { ok: false, reason: 'rustc is not installed (Debian package rustc)' };
  const out = path.join(REPO_ROOT, '.cache', 'reference');
  const build = spawnSync('bash', [BUILD_SCRIPT, out], { encoding: 'utf8', timeout: 300_000 });
  if (build.status !== 0) return { ok: false, reason: `the reference did not build: ${build.stderr.trim()}` };
  return { ok: true, binary: build.stdout.trim() };
}

/**
 * Pipes a protocol script through the oracle (buffered mode) and returns its answer lines. Once a
 * driver's frees stop matching real allocations the seed's behaviour is undefined and it may loop
 * forever, so the run is bounded; whatever it answered by then is returned with `complete: false`.
 */
export function runReference(binary: string, lines: readonly string[], timeoutMs = 20_000): { answers: string[]; complete: boolean; problem?: string } {
  const run = spawnSync(binary, [], { input: lines.join('\n') + '\n', encoding: 'utf8', maxBuffer: 1 << 30, timeout: timeoutMs, killSignal: 'SIGKILL' });
  const answers = (run.stdout ?? '').split('\n').filter(line => line !== '');
  if (run.status === 0) return { answers, complete: true };
  const problem = run.error ? `did not finish within ${timeoutMs} ms (undefined behaviour after a divergence?)` : `exited ${run.status ?? run.signal}: ${run.stderr.trim().slice(0, 500)}`;
  return { answers, complete: false, problem };
}
