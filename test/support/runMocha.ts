// Runs a list of compiled mocha test files in this process and records the layer's counts in
// test-results/<layer>.json for test/run-all.mjs. Used by every layer that runs under plain Node.
import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';

export interface LayerCounts {
  passed: number;
  failed: number;
  skipped: number;
  notice?: string;
  /** "<full title>: <first line of the error>" per failed test, printed again in the final summary. */
  failures?: string[];
}

/** The counts of a finished mocha run, with each failure's title and reason. */
export function countsOf(runner: Mocha.Runner, failed: number, failures: string[]): LayerCounts {
  const stats = runner.stats;
  return { passed: stats?.passes ?? 0, failed, skipped: stats?.pending ?? 0, ...(failures.length > 0 ? { failures } : {}) };
}

/** Collects "<full title>: <reason>" for each failing test (hooks included) of a run. */
export function collectFailures(runner: Mocha.Runner): string[] {
  const failures: string[] = [];
  runner.on('fail', (test: Mocha.Runnable, error: unknown) => {
    const reason = (error instanceof Error ? error.message : String(error)).split('\n')[0];
    failures.push(`${test.fullTitle()}: ${reason}`);
  });
  return failures;
}

export function writeLayerResults(layer: string, counts: LayerCounts, resultsDir = path.resolve('test-results')): void {
  fs.mkdirSync(resultsDir, { recursive: true });
  fs.writeFileSync(path.join(resultsDir, `${layer}.json`), JSON.stringify(counts));
}

/** Every `*.test.js` below `dir`, sorted so runs are repeatable. */
export function findTestFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...findTestFiles(full));
    else if (entry.name.endsWith('.test.js')) out.push(full);
  }
  return out.sort();
}

export function runMocha(layer: string, files: string[], options: Mocha.MochaOptions = {}): Promise<number> {
  const grep = process.env.MOCHA_GREP;
  const mocha = new Mocha({ ui: 'bdd', color: true, timeout: 10_000, ...options, ...(grep ? { grep } : {}) });
  for (const file of files) mocha.addFile(path.resolve(file));
  return new Promise(resolve => {
    const runner = mocha.run(failed => {
      writeLayerResults(layer, countsOf(runner, failed, failures));
      resolve(failed);
    });
    const failures = collectFailures(runner);
  });
}
