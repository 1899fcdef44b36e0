// `npm test`: builds once, then runs each test layer in its own process and prints one
// "<layer>: N passed, N failed" line per layer and a final "N passed, N failed".
// Usage: node test/run-all.mjs [unit] [webview] [host] [e2e]   (default: all layers)
// Each layer's runner (out/test/<layer>/run.js) exits non-zero on failure and writes
// test-results/<layer>.json = {"passed":N,"failed":N,"skipped":N,"notice":"...","failures":["title: reason"]}.
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync, mkdirSync } from 'node:fs';

const ALL = ['unit', 'webview', 'host', 'e2e'];
const layers = process.argv.slice(2).length ? process.argv.slice(2) : ALL;
for (const layer of layers)
  if (!ALL.includes(layer)) {
    console.error(`unknown test layer "${layer}"; choose from ${ALL.join(', ')}`);
    process.exit(2);
  }

const build = spawnSync(process.execPath, ['esbuild.mjs'], { stdio: 'inherit' });
if (build.status !== 0) {
  console.error('build failed: no tests ran');
  process.exit(1);
}

rmSync('test-results', { recursive: true, force: true });
mkdirSync('test-results', { recursive: true });

const summary = [];
let failedLayers = 0;
for (const layer of layers) {
  console.log(`\n=== ${layer} tests ===`);
  const started = Date.now();
  const run = spawnSync(process.execPath, [`out/test/${layer}/run.js`], { stdio: 'inherit', env: process.env });
  let counts = { passed: 0, failed: 0, skipped: 0 };
  try {
    counts = { ...counts, ...JSON.parse(readFileSync(`test-results/${layer}.json`, 'utf8')) };
  } catch {
    counts.failed = Math.max(counts.failed, 1);
    counts.notice = 'the layer wrote no results (it crashed before reporting)';
  }
  const ok = run.status === 0 && counts.failed === 0;
  if (!ok) {
    failedLayers++;
    if (counts.failed === 0) counts.failed = 1;
  }
  summary.push({ layer, ...counts, seconds: ((Date.now() - started) / 1000).toFixed(1), exit: run.status });
}

console.log('\n=== summary ===');
let passed = 0,
  failed = 0,
  skipped = 0;
for (const s of summary) {
  passed += s.passed;
  failed += s.failed;
  skipped += s.skipped;
  console.log(
    `${s.layer}: ${s.passed} passed, ${s.failed} failed, ${s.skipped} skipped (${s.seconds}s${s.exit === 0 ? '' : `, exit ${s.exit}`})${s.notice ? ` — ${s.notice}` : ''}`,
  );
  // Repeated here because CI logs are often read from their tail.
  for (const failure of s.failures ?? []) console.log(`  ✗ ${failure}`);
}
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failedLayers === 0 ? 0 : 1);
