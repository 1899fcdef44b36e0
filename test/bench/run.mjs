// `npm run bench`: builds, runs every benchmark that can run here and prints one JSON object.
// Benchmarks live in test/bench/*.ts, each exporting `bench<Name>(): Promise<Record<string, ...>>`.
// One that cannot run (no QEMU, no Chromium) reports why under "<name>Skipped".
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';

const require = createRequire(import.meta.url);
const build = spawnSync(process.execPath, ['esbuild.mjs'], { stdio: ['ignore', 'ignore', 'inherit'] });
if (build.status !== 0) process.exit(1);

const wanted = process.argv.slice(2);
const benches = [
  ['replay', 'benchReplay'],
  ['decode', 'benchDecode'],
  ['ownership', 'benchOwnership'],
  ['webview', 'benchWebview'],
  ['hostMessaging', 'benchHostMessaging'],
  ['live', 'benchLive'],
  ['memory', 'benchMemory'],
  ['discovery', 'benchDiscovery'],
  ['refreshRequests', 'benchRefreshRequests'],
].filter(([name]) => wanted.length === 0 || wanted.includes(name));

const results = { machine: { cpus: (await import('node:os')).cpus().length, node: process.version } };

// What the panel downloads: the webview bundle as the .vsix ships it (minified, no source map),
// raw and gzipped, and the codicon font with its stylesheet.
if (wanted.length === 0 || wanted.includes('webview')) {
  const esbuild = await import('esbuild');
  const { gzipSync } = await import('node:zlib');
  const { statSync } = await import('node:fs');
  const bundle = await esbuild.build({
    entryPoints: ['webview/main.ts'],
    bundle: true,
    minify: true,
    write: false,
    platform: 'browser',
    format: 'esm',
    target: 'es2022',
    tsconfig: 'tsconfig.json',
    logLevel: 'warning',
  });
  const code = bundle.outputFiles[0].contents;
  results.webviewBundleBytes = code.length;
  results.webviewBundleGzipBytes = gzipSync(code).length;
  results.webviewIconFontBytes = statSync('dist/codicon.ttf').size + statSync('dist/codicon.css').size;
}
for (const [name, fn] of benches) {
  const file = resolve(`out/test/bench/${name}.js`);
  if (!existsSync(file)) {
    results[`${name}Skipped`] = `${file} is not built`;
    continue;
  }
  const started = Date.now();
  try {
    const mod = require(file);
    Object.assign(results, await mod[fn]());
  } catch (error) {
    results[`${name}Skipped`] = error instanceof Error ? error.message : String(error);
  }
  console.error(`bench ${name}: ${((Date.now() - started) / 1000).toFixed(1)} s`);
}
// Issue 14's table read back from this run: each row against its aim, and what remains where missed.
const aims = resolve('out/test/bench/aims.js');
if (existsSync(aims)) {
  const rows = require(aims).issue14Aims(results);
  if (rows.length > 0) results.issue14Aims = rows;
}
console.log(JSON.stringify(results, null, 2));
