// lldb-dap sessions on the native Rust program: Debian's lldb-dap 19 (apt `lldb-19`, no readMemory)
// and lldb-dap 22 unpacked into .cache/lldb-22 by scripts/setup-lldb-dap.sh (the two conflict as
// packages). The DAP order is the one shared notes more-targets.md §2 tested: initialize, launch
// (lldb-dap 22 answers it only after configurationDone, so it is not awaited first), `initialized`,
// setFunctionBreakpoints, configurationDone, then the stop at checkpoint(0).
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { ToolchainMissingError, buildRust } from './buildTargets';
import { DapClient } from './dapClient';
import { STOP_TIMEOUT_MS, type TargetSession } from './debugTargets';
import { repoRoot } from './paths';
import { stopProcess } from './processes';

export interface LldbDap {
  readonly version: 19 | 22;
  readonly executable: string;
  readonly env: NodeJS.ProcessEnv;
}

/** Debian's lldb-dap 19, or ToolchainMissingError. */
export function lldbDap19(): LldbDap {
  const executable = '/usr/bin/lldb-dap-19';
  if (!fs.existsSync(executable))
    throw new ToolchainMissingError('lldb-dap-19', 'apt-get install --no-install-recommends lldb-19 (scripts/bootstrap.sh does)');
  return { version: 19, executable, env: process.env };
}

/** lldb-dap 22 from its unpacked .debs, run with their libraries, or ToolchainMissingError. */
export function lldbDap22(): LldbDap {
  const root = path.join(repoRoot(), '.cache', 'lldb-22', 'root');
  const executable = path.join(root, 'usr', 'lib', 'llvm-22', 'bin', 'lldb-dap');
  if (!fs.existsSync(executable))
    throw new ToolchainMissingError('lldb-dap 22', 'run bash scripts/setup-lldb-dap.sh (scripts/bootstrap.sh does)');
  return { version: 22, executable, env: { ...process.env, LD_LIBRARY_PATH: path.join(root, 'usr', 'lib', 'x86_64-linux-gnu') } };
}

export interface LldbSession extends TargetSession {
  /** The debuggee's pid (from the `process` event), to make sure it is gone after the test. */
  readonly debuggeePid: number | undefined;
}

/**
 * The Rust program launched under lldb-dap and stopped at checkpoint(0). `watch` sees every event
 * from before the first stop on, as the extension's DebugAdapterTracker does.
 */
export async function startLldbSession(adapter: LldbDap, watch?: (client: DapClient) => void): Promise<LldbSession> {
  const program = buildRust();
  const child = spawn(adapter.executable, [], { detached: true, stdio: ['pipe', 'pipe', 'pipe'], env: adapter.env });
  const client = new DapClient(child, 'lldb-dap');
  let debuggeePid: number | undefined;
  client.onEvent(event => {
    const pid = (event.body as { systemProcessId?: unknown } | undefined)?.systemProcessId;
    if (event.event === 'process' && typeof pid === 'number') debuggeePid = pid;
  });
  const close = async () => {
    // lldb-dap 19 aborts on disconnect and on stdin EOF: end it with SIGTERM, its status does not matter.
    if (adapter.version === 22) await client.request('disconnect', { terminateDebuggee: true }, 3000).catch(() => undefined);
    await stopProcess(child, 3000);
    if (debuggeePid !== undefined) killIfAlive(debuggeePid);
  };
  try {
    watch?.(client);
    const capabilities =
      (await client.request('initialize', {
        adapterID: 'lldb-dap',
        clientID: 'buddy-heap-e2e',
        linesStartAt1: true,
        columnsStartAt1: true,
        supportsMemoryReferences: true,
        pathFormat: 'path',
      })) ?? {};
    const launched = client.request('launch', { program, args: [], cwd: path.dirname(program) });
    launched.catch(() => undefined);
    await client.waitForEvent('initialized', STOP_TIMEOUT_MS);
    const set = await client.request('setFunctionBreakpoints', { breakpoints: [{ name: 'checkpoint' }] });
    if (!set.breakpoints[0]?.verified) throw new Error(`breakpoint on checkpoint not verified: ${JSON.stringify(set)}`);
    const stopped = client.waitForEvent('stopped', STOP_TIMEOUT_MS);
    await client.request('configurationDone', {});
    await launched;
    const lastStop = (await stopped) as DebugProtocol.StoppedEvent;
    return {
      client,
      program,
      capabilities,
      lastStop,
      close,
      get debuggeePid() {
        return debuggeePid;
      },
    };
  } catch (error) {
    await close();
    throw error;
  }
}

function killIfAlive(pid: number): void {
  try {
    process.kill(pid, 0);
  } catch {
    return;
  }
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    /* gone meanwhile */
  }
}

/** True while the adapter process runs (neither exited nor killed by a signal). */
export function adapterAlive(client: DapClient): boolean {
  return client.child.exitCode === null && client.child.signalCode === null;
}
