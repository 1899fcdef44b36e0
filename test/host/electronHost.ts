// Electron route: a VS Code desktop build downloaded by @vscode/test-electron (the default where
// its download works). We spawn it ourselves instead of calling runTests(): runTests offers no
// timeout and no handle to kill VS Code's process tree, and every wait here must be bounded.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { downloadAndUnzipVSCode } from '@vscode/test-electron';
import type { HostTestOptions } from './runTest';
import { TIMEOUT_EXIT } from './serverHost';
import { QUIET_USER_SETTINGS, REPO_ROOT } from './serverTools';

/** Resolves to the VS Code executable; rejects fast (ENOTFOUND) or after the idle timeout. */
export function downloadVSCode(): Promise<string> {
  return downloadAndUnzipVSCode({
    version: process.env.VSCODE_TEST_VERSION || 'stable',
    cachePath: path.join(REPO_ROOT, '.vscode-test'),
    timeout: Number(process.env.VSCODE_DOWNLOAD_TIMEOUT_MS) || 15_000,
  });
}

export async function runInElectron(o: HostTestOptions, executable: string): Promise<number> {
  const timeoutMs = o.timeoutMs ?? 5 * 60_000;
  const profile = path.join(REPO_ROOT, '.vscode-test', `profile-${o.layer}`);
  fs.rmSync(profile, { recursive: true, force: true });
  fs.mkdirSync(path.join(profile, 'user-data', 'User'), { recursive: true });
  fs.writeFileSync(path.join(profile, 'user-data', 'User', 'settings.json'), JSON.stringify(QUIET_USER_SETTINGS, null, 2));
  // The same flags @vscode/test-electron's runTests passes, plus one flag per development path.
  const args = [
    o.workspace,
    '--no-sandbox',
    '--disable-gpu-sandbox',
    '--disable-updates',
    '--skip-welcome',
    '--skip-release-notes',
    '--disable-workspace-trust',
    `--extensionTestsPath=${o.suitePath}`,
    ...o.extensionDevelopmentPaths.map(p => `--extensionDevelopmentPath=${p}`),
    `--user-data-dir=${path.join(profile, 'user-data')}`,
    `--extensions-dir=${path.join(profile, 'extensions')}`,
  ];
  // As runTests' extensionTestsEnv: VS Code passes its own environment on to the extension host.
  const env: NodeJS.ProcessEnv = { ...process.env, ...o.env };
  delete env.ELECTRON_RUN_AS_NODE;
  const child = spawn(executable, args, { env, detached: true, stdio: ['ignore', 'inherit', 'inherit'] });
  let timer: NodeJS.Timeout | undefined;
  try {
    return await new Promise<number>(resolve => {
      timer = setTimeout(() => {
        console.error(`host: no result within ${timeoutMs} ms`);
        resolve(TIMEOUT_EXIT);
      }, timeoutMs);
      child.once('error', e => {
        console.error(`host: could not start VS Code: ${e.message}`);
        resolve(1);
      });
      child.once('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
    });
  } finally {
    clearTimeout(timer);
    // The whole group: helpers (extension host, GPU, utility processes) may outlive the main process.
    if (child.pid !== undefined) {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        /* group already gone */
      }
    }
  }
}
