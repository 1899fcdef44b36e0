// What VS Code's webview messaging costs, measured in a real VS Code: the offline VS Code server's
// extension host with headless Chromium as the workbench (the host test layer's route), or desktop
// VS Code with VSCODE_TEST_HOST=electron where it can be downloaded. For each message form (the
// 1M-leaf model as typed arrays, the same as plain arrays, a ~1 KB update) the medians of:
//   hostMessaging<Host><Form>PostMs       the extension host's own time in webview.postMessage
//   hostMessaging<Host><Form>ResolvedMs   until postMessage's promise resolves
//   hostMessaging<Host><Form>DeliveredMs  until the webview's acknowledgement is back in the
//                                         extension host (a full round trip; see SmallAck for
//                                         what the way back alone costs at most)
//   hostMessaging<Host><Form>WebviewReadMs  the webview's handler: the message deserialized and
//                                         its block codes read
// and hostMessaging<Form>Bytes, hostMessaging<Host>TypedArrivesTyped (1: the codes arrived as a
// Uint8Array, the buffer path). The in-host part is test/bench/hostMessaging/inHost.ts.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { downloadVSCode, runInElectron } from '../host/electronHost';
import { freshWorkspace, type HostTestOptions } from '../host/runTest';
import { runInServerHost } from '../host/serverHost';
import { REPO_ROOT, SETUP_HINT, findServerTools } from '../host/serverTools';
import type { FormTimes, HostMessagingResults } from './hostMessaging/inHost';

/** The whole run, server start to the last acknowledgement (typically ~30 s on 2 cores). */
const RUN_TIMEOUT_MS = 120_000;

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;
const round = (n: number) => Math.round(n * 10) / 10;

type Host = 'Server' | 'Electron';

async function runIn(host: Host): Promise<HostMessagingResults> {
  const runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'buddy-bench-messaging-'));
  const out = path.join(runDir, 'results.json');
  const workspace = freshWorkspace(path.join(runDir, 'no-fixture'), 'buddy-bench-ws-');
  const options: HostTestOptions = {
    layer: `bench-host-messaging-${host.toLowerCase()}`,
    suitePath: path.join(__dirname, 'hostMessaging', 'inHost.js'),
    workspace,
    extensionDevelopmentPaths: [REPO_ROOT],
    env: { BUDDY_BENCH_OUT: out },
    timeoutMs: RUN_TIMEOUT_MS,
    resultsDir: path.join(REPO_ROOT, 'test-results'),
  };
  try {
    let code: number;
    if (host === 'Server') {
      const tools = findServerTools();
      if (!tools) throw new Error(`the offline VS Code server is not installed: ${SETUP_HINT}`);
      code = await runInServerHost(options, tools);
    } else code = await runInElectron(options, await downloadVSCode());
    const written = fs.existsSync(out)
      ? (JSON.parse(fs.readFileSync(out, 'utf8')) as { ok: boolean; error?: string; results?: HostMessagingResults })
      : undefined;
    if (!written?.ok || !written.results) throw new Error(written?.error ?? `the extension host wrote no results (exit ${code})`);
    return written.results;
  } finally {
    fs.rmSync(runDir, { recursive: true, force: true });
    fs.rmSync(workspace, { recursive: true, force: true });
  }
}

function rows(host: Host, results: HostMessagingResults): Record<string, number> {
  const out: Record<string, number> = {};
  const forms: [string, FormTimes][] = [
    ['Typed1M', results.typed],
    ['Json1M', results.json],
    ['Small1K', results.small],
  ];
  for (const [name, t] of forms) {
    out[`hostMessaging${host}${name}PostMs`] = round(median(t.postMs));
    out[`hostMessaging${host}${name}ResolvedMs`] = round(median(t.resolvedMs));
    out[`hostMessaging${host}${name}DeliveredMs`] = round(median(t.ackMs));
    out[`hostMessaging${host}${name}WebviewReadMs`] = round(median(t.webviewReadMs));
    out[`hostMessaging${name}Bytes`] = t.bytes;
  }
  out[`hostMessaging${host}TypedArrivesTyped`] = results.typed.arrivedTyped ? 1 : 0;
  return out;
}

export async function benchHostMessaging(): Promise<Record<string, number | string>> {
  const out: Record<string, number | string> = rows('Server', await runIn('Server'));
  if (process.env.VSCODE_TEST_HOST === 'electron') {
    try {
      Object.assign(out, rows('Electron', await runIn('Electron')));
    } catch (error) {
      out.hostMessagingElectronSkipped = `desktop VS Code did not run: ${error instanceof Error ? error.message : String(error)}`;
    }
  } else {
    out.hostMessagingElectronSkipped =
      'desktop VS Code (Electron) is not measured: it cannot be downloaded here (only the npm registry and Debian are reachable); run with VSCODE_TEST_HOST=electron where it can';
  }
  return out;
}
