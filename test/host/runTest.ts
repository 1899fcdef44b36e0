// runHostTests(): runs a compiled mocha suite inside a real VS Code extension host and returns the
// exit code (0 = all passed). Route: VSCODE_TEST_HOST=electron|server|auto (default auto):
//   electron  @vscode/test-electron's desktop download (fails where it cannot be downloaded)
//   server    the offline VS Code server + headless Chromium (scripts/setup-test-host.sh)
//   auto      try the download; fall back to the server only when its tools are installed
//             (on Linux without a display the desktop build cannot start: straight to the server)
// Other knobs: HOST_TEST_TIMEOUT_MS (whole run, default 5 min), VSCODE_TEST_TOOLS (server tools
// dir), CHROMIUM_PATH, VSCODE_TEST_VERSION / VSCODE_DOWNLOAD_TIMEOUT_MS (electron download),
// HOST_LOG_ALL=1 (print the workbench log unfiltered).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { downloadVSCode, runInElectron } from './electronHost';
import { runInServerHost } from './serverHost';
import { findServerTools, SETUP_HINT } from './serverTools';

export interface HostTestOptions {
  /** Names the failure-log folder `<resultsDir>/<layer>-logs/`. */
  layer: string;
  /** Absolute path of the compiled suite entry exporting `run(): Promise<void>`. */
  suitePath: string;
  /** Absolute path of the folder VS Code opens. */
  workspace: string;
  /** Absolute extension roots loaded as development extensions (ours, plus fixtures). */
  extensionDevelopmentPaths: readonly string[];
  /** Environment variables for the extension host (and so for the suite). */
  env?: Readonly<Record<string, string>>;
  /** Bound on the whole run (default HOST_TEST_TIMEOUT_MS or 5 minutes). */
  timeoutMs?: number;
  /** Absolute results folder (default <cwd>/test-results). */
  resultsDir: string;
}

export type HostRoute = 'electron' | 'server' | 'auto';

export function hostRoute(value = process.env.VSCODE_TEST_HOST): HostRoute {
  const v = (value || 'auto').toLowerCase();
  if (v === 'electron' || v === 'server' || v === 'auto') return v;
  throw new Error(`VSCODE_TEST_HOST must be electron, server or auto (got "${value}")`);
}

export type RunHostTestsOptions = Omit<HostTestOptions, 'resultsDir'> & { resultsDir?: string };

export async function runHostTests(options: RunHostTestsOptions): Promise<number> {
  const o: HostTestOptions = {
    ...options,
    resultsDir: options.resultsDir ?? path.resolve('test-results'),
    timeoutMs: options.timeoutMs ?? (Number(process.env.HOST_TEST_TIMEOUT_MS) || 5 * 60_000),
  };
  if (o.extensionDevelopmentPaths.length === 0) throw new Error('runHostTests: at least one extensionDevelopmentPath is needed');
  for (const p of [o.suitePath, o.workspace, ...o.extensionDevelopmentPaths]) {
    if (!path.isAbsolute(p)) throw new Error(`runHostTests: paths must be absolute (got ${p})`);
  }
  const route = hostRoute();
  let exe: string | undefined;
  const noDisplay = process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY;
  if (route === 'auto' && noDisplay && findServerTools()) {
    console.log('host: no display for a desktop VS Code (run under xvfb-run for the electron route)');
  } else if (route !== 'server') {
    const t = Date.now();
    try {
      exe = await downloadVSCode(); // where hosts do not resolve: ENOTFOUND in ~50 ms
    } catch (e) {
      if (route === 'electron') throw e;
      console.warn(
        `host: VS Code download failed after ${Date.now() - t} ms (${e instanceof Error ? e.message : String(e)}); trying the server route`,
      );
    }
  }
  if (exe) {
    // kept apart from the download's catch: a failing suite must not fall back
    console.log(`host: electron route (${exe})`);
    return runInElectron(o, exe);
  }
  const tools = findServerTools();
  if (!tools) {
    console.error(`host: the offline VS Code server is not installed: ${SETUP_HINT}`);
    return 1;
  }
  console.log('host: server route (VS Code server + headless Chromium)');
  return runInServerHost(o, tools);
}

/** A fresh temp copy of a fixture workspace (tests may write to it), or an empty temp folder. */
export function freshWorkspace(fixture: string, prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  if (fs.existsSync(fixture)) fs.cpSync(fixture, dir, { recursive: true });
  return dir;
}
