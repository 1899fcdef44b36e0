// In-host mocha entry (extensionTestsPath): VS Code calls run() inside the extension host. Reused
// by other layers: the runner sets, through the extension host's environment,
//   BUDDY_TEST_LAYER        results name (default "host")
//   BUDDY_TEST_ROOT         absolute folder searched recursively for *.test.js (default out/test/host)
//   BUDDY_TEST_RESULTS_DIR  absolute folder for <layer>.json (the host's cwd is not the repo)
//   MOCHA_GREP              optional filter, as in the other layers
import * as path from 'node:path';
import Mocha from 'mocha';
import { collectFailures, countsOf, findTestFiles, writeLayerResults } from '../../support/runMocha';

export function run(): Promise<void> {
  const layer = process.env.BUDDY_TEST_LAYER || 'host';
  const root = process.env.BUDDY_TEST_ROOT || path.resolve(__dirname, '..');
  const resultsDir = process.env.BUDDY_TEST_RESULTS_DIR || path.resolve(__dirname, '..', '..', '..', '..', 'test-results');
  const grep = process.env.MOCHA_GREP;
  const mocha = new Mocha({
    ui: 'bdd',
    color: true,
    timeout: Number(process.env.HOST_MOCHA_TIMEOUT_MS) || 20_000,
    ...(grep ? { grep } : {}),
  });
  const files = findTestFiles(root);
  for (const file of files) mocha.addFile(file);
  return new Promise((resolve, reject) => {
    if (files.length === 0) {
      writeLayerResults(layer, { passed: 0, failed: 1, skipped: 0, notice: `no *.test.js under ${root}` }, resultsDir);
      reject(new Error(`no test files under ${root}`));
      return;
    }
    try {
      const runner = mocha.run(failed => {
        writeLayerResults(layer, countsOf(runner, failed, failures), resultsDir);
        if (failed > 0) reject(new Error(`${failed} ${layer} test(s) failed`));
        else resolve();
      });
      const failures = collectFailures(runner);
    } catch (e) {
      // A test file that throws at load time (syntax, missing module) lands here.
      writeLayerResults(layer, { passed: 0, failed: 1, skipped: 0, notice: `suite did not load: ${String(e)}` }, resultsDir);
      reject(e instanceof Error ? e : new Error(String(e)));
    }
  });
}
