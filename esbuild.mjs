// One build script for everything: the three shipped bundles (extension host, webview, CLI) and a
// plain per-file transpile of all TypeScript into out/ for the test runners. Type checking is
// separate (`npm run typecheck`), so a type error elsewhere never blocks a test run.
import * as esbuild from 'esbuild';
import { readdirSync, statSync, chmodSync, existsSync, copyFileSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');

/** Every .ts file under the given folders (the transpile has no bundler to follow imports). */
function tsFiles(...roots) {
  const found = [];
  const walk = dir => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) {
        if (name !== 'node_modules') walk(path);
      } else if (name.endsWith('.ts') && !name.endsWith('.d.ts')) found.push(path);
    }
  };
  for (const root of roots) {
    try {
      walk(root);
    } catch {
      /* folder not there yet */
    }
  }
  return found;
}

/**
 * Prints one "[watch] build started" / "[watch] build finished" pair however many of the four
 * builds a change triggers, so the $esbuild-watch problem matcher (and F5) waits for all of them.
 */
let running = 0;
const problemMatcher = {
  name: 'problem-matcher',
  setup(build) {
    build.onStart(() => {
      if (watch && running++ === 0) console.log('[watch] build started');
    });
    build.onEnd(result => {
      for (const e of result.errors)
        console.error(`✘ [ERROR] ${e.text}\n    ${e.location?.file}:${e.location?.line}:${e.location?.column}:`);
      if (watch && --running === 0) console.log('[watch] build finished');
    });
  },
};

const common = { sourcemap: !production, minify: production, logLevel: 'warning', plugins: [problemMatcher], tsconfig: 'tsconfig.json' };

const allConfigs = [
  {
    ...common,
    entryPoints: ['extension/main.ts'],
    outfile: 'dist/extension.js',
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode'],
  },
  {
    ...common,
    entryPoints: ['webview/main.ts'],
    outfile: 'dist/webview.js',
    bundle: true,
    platform: 'browser',
    format: 'esm',
    target: 'es2022',
  },
  // The CLI: dist/cli.js only dispatches, and loads the bundle of the command asked for (Node
  // compiles all of a script it loads, so `replay` does not pay for the other commands' code).
  {
    ...common,
    entryPoints: ['core/cli/bin.ts'],
    outfile: 'dist/cli.js',
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['./cli/*'],
    banner: { js: '#!/usr/bin/env node' },
  },
  ...[
    ['core/cli/replayMain.ts', 'dist/cli/replay.js'],
    ['core/cli/main.ts', 'dist/cli/all.js'],
  ].map(([entry, outfile]) => ({
    ...common,
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
  })),
  {
    ...common,
    entryPoints: tsFiles('core', 'extension', 'webview', 'test'),
    outdir: 'out',
    outbase: '.',
    bundle: false,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    sourcemap: true,
    minify: false,
  },
];

// A bundle whose entry file is not written yet is skipped with a notice, not a failed build.
const configs = allConfigs.filter(
  c => c.entryPoints.length > 0 && c.entryPoints.every(e => existsSync(e) || (console.warn(`skipping bundle: ${e} does not exist`), false)),
);

// The webview's icon font ships beside its bundle: the panel's CSP loads styles and fonts only
// from the extension's own files, never from a CDN.
mkdirSync('dist', { recursive: true });
for (const file of ['codicon.css', 'codicon.ttf'])
  copyFileSync(join('node_modules', '@vscode', 'codicons', 'dist', file), join('dist', file));

if (watch) {
  for (const config of configs) await (await esbuild.context(config)).watch();
} else {
  // A file moved or deleted must not leave its old test behind in out/ for the runners to find.
  rmSync('out', { recursive: true, force: true });
  await Promise.all(configs.map(config => esbuild.build(config)));
  try {
    chmodSync('dist/cli.js', 0o755);
  } catch {
    /* CLI entry not there yet */
  }
}
