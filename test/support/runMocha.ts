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
    const runner = mocha.run(failures => {
      const stats = runner.stats;
      writeLayerResults(layer, { passed: stats?.passes ?? 0, failed: failures, skipped: stats?.pending ?? 0 });
      resolve(failures);
    });
  });
}
