// Server route: the VS Code server from code-server runs the real (Node) extension host and
// headless Chromium plays the workbench. Used where no VS Code desktop build can be downloaded.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as util from 'node:util';
import { chromium, type Browser } from 'playwright-core';
import type { HostTestOptions } from './runTest';
import {
  CHROMIUM_ARGS,
  chromiumPath,
  makeRunDirs,
  remoteUri,
  startServer,
  workbenchUrl,
  type ServerTools,
  type StartedServer,
} from './serverTools';

interface BrowserLog {
  relativePath: string;
  contents: string;
}

/** Exit code used when a wait runs out (as timeout(1) does). */
export const TIMEOUT_EXIT = 124;

// Workbench chatter that reaches codeAutomationLog next to mocha's output (same level, info).
// Anchored and specific, so a test's own output or failure is never dropped; everything
// is still in the failure transcript.
const NOISE: readonly RegExp[] = [
  /^Resolv(ing|ed) connection token/,
  /^Creating a socket \(renderer-/,
  /^\[(reconnection-grace-time|AccountPolicyGate|AgentHost[^\]]*|Service Worker)\]/,
  /^Updating additional builtin extensions cache/,
  /^Creation of workbench contribution '[\w.]+' took \d+ms/,
  /^Timed out waiting for authentication provider '[\w-]+' to register/,
  /^getaddrinfo \w+ [^\n]*\n\s+at \S*[Gg]allery/, // extension gallery lookups (offline)
];

/** Mocha output is forwarded as `[format, ...values]`; anything else is printed as given. */
export function formatAutomationArgs(args: unknown): string {
  if (!Array.isArray(args)) return String(args);
  const [fmt, ...rest] = args as unknown[];
  return typeof fmt === 'string' ? util.format(fmt, ...rest) : util.format(...(args as unknown[]));
}

export function isNoise(level: string, line: string): boolean {
  if (NOISE.some(r => r.test(line))) return true;
  // trace/debug are the workbench's own diagnostics; mocha's reporter writes at info level.
  return level === 'trace' || level === 'debug';
}

export async function runInServerHost(o: HostTestOptions, tools: ServerTools): Promise<number> {
  const timeoutMs = o.timeoutMs ?? 5 * 60_000;
  const logsDir = path.join(o.resultsDir, `${o.layer}-logs`);
  fs.rmSync(logsDir, { recursive: true, force: true });
  const runRoot = fs.mkdtempSync(path.join(os.tmpdir(), `buddy-host-${o.layer}-`));
  const dirs = makeRunDirs(runRoot);
  const transcript: string[] = []; // everything the workbench logged, unfiltered, for failure logs
  let browserLogs: BrowserLog[] = [];
  let server: StartedServer | undefined;
  let browser: Browser | undefined;
  let code = 1;
  const started = Date.now();
  const showAll = process.env.HOST_LOG_ALL === '1'; // debugging aid: unfiltered, with levels
  try {
    server = await startServer({ tools, dirs });
    const port = server.port;
    browser = await chromium.launch({
      executablePath: chromiumPath(),
      headless: true,
      args: [...CHROMIUM_ARGS, ...debugPortArgs()],
      timeout: 60_000,
    });
    const page = await browser.newPage();
    let finish!: (c: number) => void;
    const exited = new Promise<number>(resolve => (finish = resolve));
    await page.exposeFunction('codeAutomationLog', (level: string, args: unknown) => {
      const line = formatAutomationArgs(args);
      transcript.push(`[${level}] ${line}`);
      if (showAll) console.log(`[${level}] ${line}`);
      else if (!isNoise(level, line)) (level === 'error' ? console.error : console.log)(line);
    });
    await page.exposeFunction('codeAutomationExit', (c: number, logs?: BrowserLog[]) => {
      browserLogs = Array.isArray(logs) ? logs : [];
      finish(typeof c === 'number' ? c : 1);
    });
    page.on('console', m => transcript.push(`[browser ${m.type()}] ${m.text()}`));
    page.on('crash', () => {
      console.error('host: the workbench page crashed');
      finish(1);
    });
    page.on('close', () => finish(1));

    const payload: Array<[string, string]> = [
      ['extensionDevelopmentPath', remoteUri(port, devLocation(o.extensionDevelopmentPaths, runRoot))],
      ['extensionTestsPath', remoteUri(port, o.suitePath)],
      ['extensionEnvironment', JSON.stringify(o.env ?? {})],
      ['skipWelcome', 'true'],
    ];
    await page.goto(workbenchUrl(port, o.workspace, payload), { timeout: 60_000, waitUntil: 'domcontentloaded' });

    const left = Math.max(1, timeoutMs - (Date.now() - started));
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<number>(resolve => {
      timer = setTimeout(() => resolve(TIMEOUT_EXIT), left);
    });
    code = await Promise.race([exited, timedOut]);
    clearTimeout(timer);
    if (code === TIMEOUT_EXIT) console.error(`host: no result within ${timeoutMs} ms (set HOST_TEST_TIMEOUT_MS to change)`);
  } catch (e) {
    console.error(`host: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    code = 1;
  } finally {
    await browser?.close().catch(() => undefined);
    server?.stop();
    if (code !== 0) saveLogs(logsDir, runRoot, transcript, browserLogs);
    removeDevLinks(runRoot); // before the recursive delete: those links point into the repo
    fs.rmSync(runRoot, { recursive: true, force: true, maxRetries: 3 });
  }
  return code;
}

/** Debugging aid: HOST_DEBUG_PORT=9222 lets DevTools (or a CDP script) attach to the browser. */
function debugPortArgs(): string[] {
  const port = Number(process.env.HOST_DEBUG_PORT);
  return Number.isInteger(port) && port > 0 ? [`--remote-debugging-port=${port}`] : [];
}

const DEV_LINKS = 'dev-extensions';

/**
 * The workbench reads `payload` into a Map, so a repeated `extensionDevelopmentPath` pair keeps
 * only the last one. But the server scans a development path without package.json as a folder
 * of extensions (scanOneOrMultipleExtensions), so several paths become one folder of symlinks.
 */
export function devLocation(paths: readonly string[], runRoot: string): string {
  if (paths.length === 1 && paths[0]) return paths[0];
  const dir = path.join(runRoot, DEV_LINKS);
  fs.mkdirSync(dir, { recursive: true });
  paths.forEach((p, i) => fs.symlinkSync(p, path.join(dir, `${i}-${path.basename(p) || 'root'}`), 'dir'));
  return dir;
}

function removeDevLinks(runRoot: string): void {
  const dir = path.join(runRoot, DEV_LINKS);
  if (!fs.existsSync(dir)) return;
  for (const name of fs.readdirSync(dir)) fs.unlinkSync(path.join(dir, name));
}

/** Keeps what explains a failure: server log, every *.log the server wrote, the workbench's logs. */
function saveLogs(logsDir: string, runRoot: string, transcript: string[], browserLogs: BrowserLog[]): void {
  try {
    fs.mkdirSync(logsDir, { recursive: true });
    fs.writeFileSync(path.join(logsDir, 'workbench-transcript.log'), transcript.join('\n') + '\n');
    for (const log of browserLogs) writeInside(path.join(logsDir, 'browser'), log.relativePath, log.contents);
    const walk = (dir: string): void => {
      for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
        const full = path.join(dir, e.name);
        if (e.isDirectory()) {
          if (!['extensions', DEV_LINKS, 'node_modules'].includes(e.name)) walk(full);
        } else if (e.name.endsWith('.log')) writeInside(logsDir, path.relative(runRoot, full), fs.readFileSync(full));
      }
    };
    walk(runRoot); // server.log, user-data/logs/<time>/exthost1/remoteexthost.log, ...
    console.error(`host: logs kept in ${path.relative(process.cwd(), logsDir) || logsDir}`);
  } catch (e) {
    console.error(`host: could not keep logs: ${String(e)}`);
  }
}

function writeInside(root: string, relative: string, contents: string | Buffer): void {
  const target = path.resolve(root, relative);
  if (!target.startsWith(path.resolve(root) + path.sep)) return; // never write outside the logs dir
  fs.mkdirSync(path.dirname(target), { recursive: true });
  fs.writeFileSync(target, contents);
}
