// The real extension on a real lldb-dap 22 session (the fixture's lldb-dap type, the unpacked
// lldb-dap 22): its initialize answer advertises readMemory, so the tracker lets the auto-attached
// heap read, and at every checkpoint the live heap equals the program's own OP_LOG replayed on the
// model: found with no heap settings in the program's DWARF (PIE: at the load address lldb-dap's
// modules give), and configured by expression.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { BuddyHeapApi } from '../../../extension/main';
import { RUST_HEAP, buildRust } from '../support/buildTargets';
import { type LldbDap, lldbDap22 } from '../support/lldbDap';
import { assertViewMatchesRustProgram, atEveryCheckpoint } from './support/checkpoints';
import {
  attachedHeap,
  ensureFunctionBreakpoint,
  evaluateNumber,
  extensionApi,
  lldbDapLaunchConfig,
  setLiveSettings,
  setupOrSkip,
  startSession,
  stopSession,
} from './support/hostDebug';

const EXPRESSION = 'prog::ALLOCATOR.inner.value';

describe('e2e host: an lldb-dap 22 session reads the live heap', function () {
  let api: BuddyHeapApi;
  let session: vscode.DebugSession | undefined;
  let adapter: LldbDap;
  let program: string;
  let debuggeePid: number | undefined;
  const disposables: vscode.Disposable[] = [];

  before(async function () {
    ({ adapter, program } = await setupOrSkip(this, async () => ({ adapter: lldbDap22(), program: buildRust() })));
    api = await extensionApi();
    await setLiveSettings({ autoAttach: true, readMode: 'auto' });
    disposables.push(
      vscode.debug.registerDebugAdapterTrackerFactory('lldb-dap', {
        createDebugAdapterTracker: () => ({
          onDidSendMessage: (m: { event?: string; body?: { systemProcessId?: number } }) => {
            if (m.event === 'process' && typeof m.body?.systemProcessId === 'number') debuggeePid = m.body.systemProcessId;
          },
        }),
      }),
    );
  });
  /** Ends the session and makes sure its debuggee is gone. */
  async function endSession(): Promise<void> {
    await stopSession(session);
    session = undefined;
    if (debuggeePid !== undefined)
      try {
        process.kill(debuggeePid, 'SIGKILL');
      } catch {
        /* already gone */
      }
    debuggeePid = undefined;
  }
  afterEach(endSession);
  after(async () => {
    for (const d of disposables) d.dispose();
    await setLiveSettings({ heaps: [] });
    vscode.debug.removeBreakpoints(vscode.debug.breakpoints);
    api.app.panel?.dispose();
  });

  /** The Rust program launched under lldb-dap 22, stopping at every checkpoint. */
  async function launch(name: string): Promise<vscode.DebugSession> {
    ensureFunctionBreakpoint('checkpoint');
    session = await startSession(lldbDapLaunchConfig(name, program, adapter.executable, adapter.env.LD_LIBRARY_PATH));
    return session;
  }

  it("no heap settings: the heap is found in the program's DWARF at its load address and equals the program's log at every checkpoint", async () => {
    await setLiveSettings({ heaps: [] });
    const s = await launch('Rust program (lldb-dap 22, discovery e2e)');
    const source = await attachedHeap(api, s, EXPRESSION);
    await atEveryCheckpoint(s, source, async ({ what, read, view }) => {
      assert.equal(read.location.address, await evaluateNumber(s, `&${EXPRESSION}`), `${what}: the load bias is right (lldb's address)`);
      assert.deepEqual([read.location.orders, read.location.pointerWidth], [RUST_HEAP.orders, 8]);
      const { stats } = read;
      assert.ok(
        stats.requests - stats.readMemoryRequests <= 2,
        `${what}: requests beyond readMemory: ${stats.requests - stats.readMemoryRequests}`,
      );
      await assertViewMatchesRustProgram(s, view, what);
    });
  });

  it("auto-attaches and, at every checkpoint, shows the heap the program's log replays to", async () => {
    await setLiveSettings({ heaps: [{ name: 'ALLOCATOR', expression: EXPRESSION }] });
    const s = await launch('Rust program (lldb-dap 22 e2e)');
    const source = await attachedHeap(api, s);
    await atEveryCheckpoint(s, source, async ({ index, what, read, view }) => {
      assert.deepEqual([read.location.orders, read.location.pointerWidth], [RUST_HEAP.orders, 8]);
      await assertViewMatchesRustProgram(s, view, what);
      assert.equal(source.history().total, index + 1);
    });
  });
});
