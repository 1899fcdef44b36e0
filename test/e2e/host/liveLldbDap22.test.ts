// The real extension on a real lldb-dap 22 session (the fixture's lldb-dap type, the unpacked
// lldb-dap 22): its initialize answer advertises readMemory, so the tracker lets the auto-attached
// heap read, and at every checkpoint the live heap equals the program's own OP_LOG replayed on the
// model: found with no heap settings in the program's DWARF (PIE: at the load address lldb-dap's
// modules give), and configured by expression.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { HeapLayout } from '../../../core/layout';
import type { BuddyHeapApi } from '../../../extension/main';
import { RUST_HEAP, buildRust } from '../support/buildTargets';
import { assertViewMatchesModel, parseLog, replayLog } from '../support/heapModel';
import { type LldbDap, lldbDap22 } from '../support/lldbDap';
import { HEAP_SCRIPT } from '../targets/script';
import {
  continueToNext,
  evaluateNumber,
  extensionApi,
  readBytes,
  setLiveSettings,
  settledAt,
  setupOrSkip,
  startSession,
  stopSession,
  waitFor,
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
    if (!vscode.debug.breakpoints.some(b => b instanceof vscode.FunctionBreakpoint && b.functionName === 'checkpoint'))
      vscode.debug.addBreakpoints([new vscode.FunctionBreakpoint('checkpoint')]);
    session = await startSession({
      type: 'lldb-dap',
      request: 'launch',
      name,
      program,
      cwd: path.dirname(program),
      adapterExecutable: adapter.executable,
      adapterEnv: { LD_LIBRARY_PATH: adapter.env.LD_LIBRARY_PATH },
    });
    return session;
  }

  it("no heap settings: the heap is found in the program's DWARF at its load address and equals the program's log at every checkpoint", async () => {
    await setLiveSettings({ heaps: [] });
    const s = await launch('Rust program (lldb-dap 22, discovery e2e)');
    const source = await waitFor('the heap found in the Rust program to attach', () =>
      api.live.allSources(s.id).find(x => x.heapName === EXPRESSION),
    );
    for (const [index, step] of HEAP_SCRIPT.entries()) {
      if (index === 0) await settledAt(source, 1);
      else await continueToNext(s, source);
      const what = `step ${step.step}`;
      assert.equal(await evaluateNumber(s, 'step'), BigInt(step.step), `${what}: the checkpoint`);
      const { read, view } = source.latestRead!;
      assert.equal(read.location.address, await evaluateNumber(s, `&${EXPRESSION}`), `${what}: the load bias is right (lldb's address)`);
      assert.deepEqual([read.location.orders, read.location.pointerWidth], [RUST_HEAP.orders, 8]);
      const { stats } = read;
      assert.ok(
        stats.requests - stats.readMemoryRequests <= 2,
        `${what}: requests beyond readMemory: ${stats.requests - stats.readMemoryRequests}`,
      );
      const count = Number(await evaluateNumber(s, 'prog::OP_COUNT'));
      const log = count === 0 ? [] : parseLog(await readBytes(s, await evaluateNumber(s, '&prog::OP_LOG'), count * 32), count, 8);
      const layout: HeapLayout = {
        base: view.heapBase,
        size: BigInt(RUST_HEAP.heapSize),
        orders: 16,
        pointerWidth: 8,
        endianness: 'little',
      };
      assertViewMatchesModel(view, replayLog(layout, log), what);
    }
  });

  it("auto-attaches and, at every checkpoint, shows the heap the program's log replays to", async () => {
    await setLiveSettings({ heaps: [{ name: 'ALLOCATOR', expression: EXPRESSION }] });
    const s = await launch('Rust program (lldb-dap 22 e2e)');
    const source = await waitFor('the heap to attach', () => api.live.allSources(s.id)[0]);
    for (const [index, step] of HEAP_SCRIPT.entries()) {
      if (index === 0) await settledAt(source, 1);
      else await continueToNext(s, source);
      const what = `step ${step.step}`;
      assert.equal(await evaluateNumber(s, 'step'), BigInt(step.step), `${what}: the checkpoint`);
      const { read, view } = source.latestRead!;
      assert.deepEqual([read.location.orders, read.location.pointerWidth], [RUST_HEAP.orders, 8]);
      const count = Number(await evaluateNumber(s, 'prog::OP_COUNT'));
      const log = count === 0 ? [] : parseLog(await readBytes(s, await evaluateNumber(s, '&prog::OP_LOG'), count * 32), count, 8);
      const layout: HeapLayout = {
        base: view.heapBase,
        size: BigInt(RUST_HEAP.heapSize),
        orders: 16,
        pointerWidth: 8,
        endianness: 'little',
      };
      assertViewMatchesModel(view, replayLog(layout, log), what);
      assert.equal(source.history().total, index + 1);
    }
  });
});
