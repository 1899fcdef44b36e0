// Host layer: the suites under out/test/host/ run inside a real VS Code extension host with our
// extension (the repo root) loaded as a development extension. See runTest.ts for the routes.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { type LayerCounts, writeLayerResults } from '../support/runMocha';
import { freshWorkspace, runHostTests } from './runTest';
import { REPO_ROOT, findServerTools } from './serverTools';

/**
 * The README's demo command must stay true: `npm run demo -- --check` starts the demo as a new
 * user would (server route, headless) and passes only when the panel shows the default simulated
 * heap. Counted as one more host test.
 */
function checkDemo(resultsDir: string): 'passed' | 'failed' | string {
  if (!findServerTools()) return 'the demo check needs the offline VS Code server (scripts/setup-test-host.sh)';
  console.log('\nhost: the README demo (npm run demo -- --check)');
  const run = spawnSync(process.execPath, [path.join(REPO_ROOT, 'scripts', 'demo.mjs'), `--check=${path.join(resultsDir, 'demo.png')}`], {
    cwd: REPO_ROOT,
    stdio: 'inherit',
    timeout: 240_000,
  });
  return run.status === 0 ? 'passed' : 'failed';
}

async function main(): Promise<number> {
  const layer = 'host';
  const resultsDir = path.join(REPO_ROOT, 'test-results');
  const resultsFile = path.join(resultsDir, `${layer}.json`);
  fs.rmSync(resultsFile, { force: true }); // only this run's suite may report
  if (!fs.existsSync(path.join(REPO_ROOT, 'dist', 'extension.js')))
    console.warn('host: dist/extension.js is missing (build first); activation tests will fail');
  const workspace = freshWorkspace(path.join(REPO_ROOT, 'test', 'fixtures', 'workspace'), 'buddy-host-ws-');
  const started = Date.now();
  let code = 1;
  try {
    code = await runHostTests({
      layer,
      suitePath: path.join(__dirname, 'suite', 'index.js'),
      workspace,
      extensionDevelopmentPaths: [REPO_ROOT],
      resultsDir,
      env: {
        BUDDY_TEST_LAYER: layer,
        BUDDY_TEST_ROOT: __dirname,
        BUDDY_TEST_RESULTS_DIR: resultsDir,
        ...(process.env.MOCHA_GREP ? { MOCHA_GREP: process.env.MOCHA_GREP } : {}),
      },
    });
  } catch (e) {
    console.error(`host: ${e instanceof Error ? e.message : String(e)}`);
  } finally {
    fs.rmSync(workspace, { recursive: true, force: true });
  }
  if (!fs.existsSync(resultsFile)) {
    const logs = path.join(resultsDir, `${layer}-logs`);
    const where = fs.existsSync(logs) ? `see ${path.relative(REPO_ROOT, logs)}/` : 'see the output above';
    writeLayerResults(
      layer,
      { passed: 0, failed: 1, skipped: 0, notice: `the extension host ran no suite (exit ${code}); ${where}` },
      resultsDir,
    );
  }
  const demo = checkDemo(resultsDir);
  const counts = JSON.parse(fs.readFileSync(resultsFile, 'utf8')) as LayerCounts;
  if (demo === 'passed') counts.passed++;
  else if (demo === 'failed') {
    counts.failed++;
    code = code || 1;
    counts.notice = [counts.notice, 'the demo did not show the default heap (test-results/demo.png)'].filter(Boolean).join('; ');
  } else {
    counts.skipped++;
    counts.notice = [counts.notice, demo].filter(Boolean).join('; ');
  }
  writeLayerResults(layer, counts, resultsDir);
  console.log(`host: exit ${code} after ${((Date.now() - started) / 1000).toFixed(1)}s`);
  return code;
}

// Exit explicitly: a lingering browser/child handle must not keep the layer alive.
void main().then(code => process.exit(code === 0 ? 0 : code || 1));
