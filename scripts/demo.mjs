#!/usr/bin/env node
// `npm run demo`: builds, then opens the extension in a real VS Code on the demo workspace
// (test/fixtures/demo-workspace, whose settings open the simulated heap panel at startup).
//   desktop  `code --extensionDevelopmentPath=<repo> <workspace>` when `code` is on PATH and a
//            display exists
//   server   otherwise: the offline VS Code server (same tools as the host tests; installed by
//            scripts/setup-test-host.sh when missing) with the repo as a development extension;
//            prints the URL to open and runs until Ctrl+C
// Options: --desktop | --server   force a route (or DEMO_ROUTE=desktop|server)
//          --port N               server port (default DEMO_PORT or any free port)
//          --check[=file.png]     server route, headless: open the URL in Chromium, wait for the
//                                 heap panel, save a screenshot (default test-results/demo.png),
//                                 exit 0 when the panel is open, 1 otherwise
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const workspace = join(repo, 'test', 'fixtures', 'demo-workspace');
const PANEL_TITLE = 'Buddy Heap'; // extension/panel/heapPanel.ts TITLE
// What the panel says of the default layout (extension/config/layoutInput.ts DEFAULT_LAYOUT).
const DEFAULT_HEAP_TEXT = '64 KiB at 0x20000000, 12 orders, 4-byte pointers, little endian';

const argv = process.argv.slice(2);
const opt = name => {
  const a = argv.find(x => x === `--${name}` || x.startsWith(`--${name}=`));
  return a === undefined ? undefined : (a.split('=')[1] ?? '');
};
const portArg = argv.includes('--port') ? argv[argv.indexOf('--port') + 1] : undefined;
const check = opt('check');
const route = argv.includes('--desktop')
  ? 'desktop'
  : argv.includes('--server') || check !== undefined
    ? 'server'
    : process.env.DEMO_ROUTE || 'auto';

function run(cmd, args, what) {
  const t = Date.now();
  const r = spawnSync(cmd, args, { cwd: repo, stdio: 'inherit' });
  if (r.status !== 0) {
    console.error(`demo: ${what} failed (exit ${r.status ?? r.signal})`);
    process.exit(1);
  }
  console.log(`demo: ${what} took ${((Date.now() - t) / 1000).toFixed(1)}s`);
}

function onPath(cmd) {
  return (process.env.PATH ?? '').split(delimiter).some(d => d && existsSync(join(d, cmd)));
}

const hasDisplay = process.platform !== 'linux' || Boolean(process.env.DISPLAY || process.env.WAYLAND_DISPLAY);

run(process.execPath, ['esbuild.mjs'], 'build');
if (!existsSync(join(repo, 'dist', 'extension.js'))) {
  console.error('demo: dist/extension.js was not built (extension/main.ts missing?)');
  process.exit(1);
}
if (!existsSync(workspace)) mkdirSync(workspace, { recursive: true });

if (route === 'desktop' || (route === 'auto' && onPath('code') && hasDisplay)) {
  // The desktop CLI hands the window to a running or new VS Code and returns.
  run('code', [`--extensionDevelopmentPath=${repo}`, workspace], 'starting VS Code');
  process.exit(0);
}

// Server route. The compiled helpers are shared with the host tests (out/test/host/serverTools.js).
const require = createRequire(import.meta.url);
/** @type {typeof import('../test/host/serverTools')} */
const tools = require(join(repo, 'out', 'test', 'host', 'serverTools.js'));
if (!tools.findServerTools()) run('bash', [join(repo, 'scripts', 'setup-test-host.sh')], 'installing the VS Code server');
const installed = tools.findServerTools();
if (!installed) {
  console.error(`demo: server tools still missing: ${tools.SETUP_HINT}`);
  process.exit(1);
}

const runRoot = mkdtempSync(join(tmpdir(), 'buddy-demo-'));
const server = await tools.startServer({
  tools: installed,
  dirs: tools.makeRunDirs(runRoot),
  port: Number(portArg ?? process.env.DEMO_PORT ?? 0),
  // The built workbench only honours the URL's payload (our development extension) with it.
  smokeTestDriver: true,
});
const cleanup = () => {
  server.stop();
  rmSync(runRoot, { recursive: true, force: true });
};
// The payload names the extension by a vscode-remote URI whose authority must be the address in
// the browser's address bar: open the URL exactly as printed (forward the same port if remote).
const url = tools.workbenchUrl(server.port, workspace, [
  ['extensionDevelopmentPath', tools.remoteUri(server.port, repo)],
  ['skipWelcome', 'true'],
]);

if (check === undefined) {
  console.log(`\nBuddy Heap demo (VS Code server ${server.port}, log ${server.logFile}). Open:\n\n  ${url}\n\nCtrl+C stops it.`);
  for (const sig of ['SIGINT', 'SIGTERM'])
    process.on(sig, () => {
      cleanup();
      process.exit(0);
    });
  server.child.once('exit', code => {
    console.error(`demo: the server exited (${code})`);
    cleanup();
    process.exit(1);
  });
} else {
  process.exitCode = await screenshot(url, check || join(repo, 'test-results', 'demo.png')).finally(cleanup);
}

/** Loads the workbench headless, waits for the heap panel's tab and webview, saves a screenshot. */
async function screenshot(target, file) {
  const { chromium } = require('playwright-core');
  mkdirSync(dirname(resolve(file)), { recursive: true });
  const browser = await chromium.launch({
    executablePath: tools.chromiumPath(),
    headless: true,
    args: [...tools.CHROMIUM_ARGS],
    timeout: 60_000,
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    const t = Date.now();
    await page.goto(target, { timeout: 60_000, waitUntil: 'domcontentloaded' });
    let ok = true;
    try {
      await page.locator(`.tabs-container .tab[aria-label^="${PANEL_TITLE}"]`).first().waitFor({ timeout: 90_000 });
      // The webview's document sits in an inner frame; lit's shadow roots are open, so text
      // locators reach the heading. The demo must show the default simulated heap.
      const webview = page.frameLocator('iframe.webview').first().frameLocator('#active-frame');
      await webview.getByText(DEFAULT_HEAP_TEXT).first().waitFor({ timeout: 60_000 });
      await page.waitForTimeout(500); // let the block map paint its first frame
      console.log(`demo: panel "${PANEL_TITLE}" open, showing "${DEFAULT_HEAP_TEXT}", after ${((Date.now() - t) / 1000).toFixed(1)}s`);
    } catch (e) {
      ok = false;
      console.error(`demo: the heap panel did not open showing the default heap: ${e instanceof Error ? e.message.split('\n')[0] : e}`);
    }
    await page.screenshot({ path: file });
    console.log(`demo: screenshot ${file}`);
    return ok ? 0 : 1;
  } finally {
    await browser.close();
  }
}
