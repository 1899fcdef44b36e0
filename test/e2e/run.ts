// E2E layer: real debug adapters on real targets (QEMU Cortex-M3, native Rust under gdb). First the
// plain-Node suites, then the suites under host/ inside a real VS Code extension host with our
// extension and the gdb debug-type fixture loaded. Suites skip only when a toolchain (or the
// offline VS Code host) is missing; the reasons become the layer notice. Counts of both runs are
// merged into test-results/e2e.json.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { freshWorkspace, runHostTests } from '../host/runTest';
import { findServerTools, QUIET_USER_SETTINGS, SETUP_HINT } from '../host/serverTools';
import { type LayerCounts, findTestFiles, runMocha, writeLayerResults } from '../support/runMocha';
import { repoRoot } from './support/paths';
import { skipNotices } from './support/skips';

const HOST_LAYER = 'e2e-host';
const HOST_DIR = path.join(__dirname, 'host');

function readCounts(file: string): LayerCounts | undefined {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as LayerCounts;
  } catch {
    return undefined;
  }
}

/** A workspace for the host suites: quiet settings; the suites set buddyHeap.live.* themselves. */
function hostWorkspace(): string {
  const dir = freshWorkspace(path.join(repoRoot(), 'test', 'fixtures', 'gdb-debug-extension', 'workspace'), 'buddy-e2e-host-ws-');
  fs.mkdirSync(path.join(dir, '.vscode'), { recursive: true });
  fs.writeFileSync(
    path.join(dir, '.vscode', 'settings.json'),
    JSON.stringify({ ...QUIET_USER_SETTINGS, 'debug.openDebug': 'neverOpen', 'debug.showInStatusBar': 'never' }, null, 2),
  );
  return dir;
}

/**
 * The host runs with a private HOME and its own PATH, where rustup's rustc proxy is not found or
 * finds no toolchain: point it at the real rustup and cargo homes so the Rust target builds there.
 */
function toolchainEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, dir] of [
    ['RUSTUP_HOME', '.rustup'],
    ['CARGO_HOME', '.cargo'],
  ] as const) {
    const value = process.env[key] ?? path.join(os.homedir(), dir);
    if (fs.existsSync(value)) env[key] = value;
  }
  // The server host resolves its own PATH (without the user's profile): keep ours, cargo's bin first.
  const cargoBin = env.CARGO_HOME ? path.join(env.CARGO_HOME, 'bin') : undefined;
  env.PATH = [cargoBin, process.env.PATH].filter(Boolean).join(path.delimiter);
  return env;
}

async function runHostSuites(resultsDir: string): Promise<{ counts: LayerCounts; code: number }> {
  if (process.env.VSCODE_TEST_HOST !== 'electron' && !findServerTools() && !process.env.DISPLAY) {
    return { counts: { passed: 0, failed: 0, skipped: 1, notice: `extension-host suites skipped: ${SETUP_HINT}` }, code: 0 };
  }
  const resultsFile = path.join(resultsDir, `${HOST_LAYER}.json`);
  const skipsFile = path.join(resultsDir, `${HOST_LAYER}-skips.txt`);
  fs.rmSync(resultsFile, { force: true });
  fs.rmSync(skipsFile, { force: true });
  const workspace = hostWorkspace();
  const root = repoRoot();
  let code = 1;
  try {
    code = await runHostTests({
      layer: HOST_LAYER,
      suitePath: path.join(root, 'out', 'test', 'host', 'suite', 'index.js'),
      workspace,
      extensionDevelopmentPaths: [root, path.join(root, 'test', 'fixtures', 'gdb-debug-extension')],
      resultsDir,
      timeoutMs: Number(process.env.E2E_HOST_TIMEOUT_MS) || 12 * 60_000,
      env: {
        ...toolchainEnv(),
        BUDDY_TEST_LAYER: HOST_LAYER,
        BUDDY_TEST_ROOT: HOST_DIR,
        BUDDY_TEST_RESULTS_DIR: resultsDir,
        HOST_MOCHA_TIMEOUT_MS: '150000',
        ...(process.env.MOCHA_GREP ? { MOCHA_GREP: process.env.MOCHA_GREP } : {}),
      },
    });
  } catch (error) {
    console.error(`e2e host: ${error instanceof Error ? error.message : String(error)}`);
  } finally {
    fs.rmSync(workspace, { recursive: true, force: true });
  }
  const counts = readCounts(resultsFile) ?? {
    passed: 0,
    failed: 1,
    skipped: 0,
    notice: `the extension host ran no suite (exit ${code}); see ${path.join(resultsDir, `${HOST_LAYER}-logs`)}`,
  };
  const skips = fs.existsSync(skipsFile) ? [...new Set(fs.readFileSync(skipsFile, 'utf8').split('\n').filter(Boolean))] : [];
  if (skips.length > 0) counts.notice = [counts.notice, `extension-host suites skipped: ${skips.join('; ')}`].filter(Boolean).join('; ');
  return { counts, code };
}

async function main(): Promise<number> {
  const resultsDir = path.resolve('test-results');
  const plainFiles = findTestFiles(__dirname).filter(file => !file.startsWith(HOST_DIR + path.sep));
  const failures = await runMocha('e2e', plainFiles, { timeout: 120_000 });
  const plain = readCounts(path.join(resultsDir, 'e2e.json')) ?? { passed: 0, failed: Math.max(failures, 1), skipped: 0 };
  const notices = skipNotices.size > 0 ? [`skipped: ${[...skipNotices].join('; ')}`] : [];
  const host = process.env.E2E_SKIP_HOST === '1' ? undefined : await runHostSuites(resultsDir);
  if (host?.counts.notice) notices.push(host.counts.notice);
  const merged: LayerCounts = {
    passed: plain.passed + (host?.counts.passed ?? 0),
    failed: plain.failed + (host?.counts.failed ?? 0),
    skipped: plain.skipped + (host?.counts.skipped ?? 0),
    failures: [...(plain.failures ?? []), ...(host?.counts.failures ?? [])],
    ...(notices.length > 0 ? { notice: notices.join('; ') } : {}),
  };
  writeLayerResults('e2e', merged, resultsDir);
  console.log(
    `e2e: plain Node ${plain.passed} passed, ${plain.failed} failed${host ? `; extension host ${host.counts.passed} passed, ${host.counts.failed} failed, ${host.counts.skipped} skipped` : ''}`,
  );
  return failures === 0 && merged.failed === 0 && (host?.code ?? 0) === 0 ? 0 : 1;
}

// Exit explicitly: a lingering browser or child handle must not keep the layer alive.
void main().then(code => process.exit(code));
