// The real extension on a real lldb-dap 19 session (the fixture's lldb-dap type): lldb-dap 19
// advertises no readMemory and aborts on it, which would end the user's debug session. The
// extension's tracker must learn that from the initialize answer, auto-attach the configured heap
// without sending it a readMemory, say why in the panel once, and the session must live on.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { BuddyHeapApi } from '../../../extension/main';
import { buildRust } from '../support/buildTargets';
import { lldbDap19 } from '../support/lldbDap';
import { HEAP_SCRIPT } from '../targets/script';
import {
  attachedHeap,
  ensureFunctionBreakpoint,
  evaluateNumber,
  extensionApi,
  firstThread,
  lldbDapLaunchConfig,
  setLiveSettings,
  setupOrSkip,
  startSession,
  stopSession,
  waitFor,
} from './support/hostDebug';

const EXPRESSION = 'prog::ALLOCATOR.inner.value';
const LACKS = /^lldb-dap 19\.\d+\.\d+ does not support reading memory \(no supportsReadMemoryRequest/;

describe('e2e host: an lldb-dap 19 session (no readMemory) survives the live heap', function () {
  let api: BuddyHeapApi;
  let session: vscode.DebugSession | undefined;
  let adapter: string;
  let program: string;
  const requests: string[] = [];
  let debuggeePid: number | undefined;
  let ended = false;
  const disposables: vscode.Disposable[] = [];
  const logs: string[] = [];
  let log: ((message: string) => void) | undefined;

  before(async function () {
    ({ adapter, program } = await setupOrSkip(this, async () => ({ adapter: lldbDap19().executable, program: buildRust() })));
    api = await extensionApi();
    await setLiveSettings({ heaps: [{ name: 'ALLOCATOR', expression: EXPRESSION }], autoAttach: true });
    // What reaches the output channel (a source takes the app's log function when it is attached).
    log = api.app.log;
    api.app.log = message => {
      logs.push(message);
      log!(message);
    };
    // The test's own tracker: every request the adapter received, and the debuggee's pid for cleanup.
    disposables.push(
      vscode.debug.registerDebugAdapterTrackerFactory('lldb-dap', {
        createDebugAdapterTracker: () => ({
          onWillReceiveMessage: (m: { command?: string }) => void (m.command && requests.push(m.command)),
          onDidSendMessage: (m: { event?: string; body?: { systemProcessId?: number } }) => {
            if (m.event === 'process' && typeof m.body?.systemProcessId === 'number') debuggeePid = m.body.systemProcessId;
          },
        }),
      }),
      vscode.debug.onDidTerminateDebugSession(s => {
        if (s.id === session?.id) ended = true;
      }),
    );
  });
  after(async () => {
    // lldb-dap 19 aborts on disconnect (it ends its debuggee first); make sure the debuggee is gone.
    await stopSession(session);
    if (log) api.app.log = log;
    for (const d of disposables) d.dispose();
    if (debuggeePid !== undefined)
      try {
        process.kill(debuggeePid, 'SIGKILL');
      } catch {
        /* already gone */
      }
    await setLiveSettings({ heaps: [] });
  });

  it('reads nothing, says why in the panel once, and the session answers at the next stop too', async () => {
    ensureFunctionBreakpoint('checkpoint');
    session = await startSession(lldbDapLaunchConfig('Rust program (lldb-dap 19 e2e)', program, adapter));
    const s = session;
    await waitFor('the first stop', () => api.live.isStopped(s.id));
    const source = await attachedHeap(api, s);
    for (let stop = 1; stop <= 2; stop++) {
      if (stop > 1) await s.customRequest('continue', { threadId: await firstThread(s) });
      await waitFor(`stop ${stop} to be handled (${JSON.stringify(source.status())})`, () => {
        const status = source.status();
        return status.stops >= stop && status.state === 'error';
      });
      await source.idle();
      assert.match(source.status().message ?? '', LACKS);
      assert.equal(ended, false, `the session is alive after stop ${stop}`);
      assert.ok(api.live.session(s.id), 'still tracked');
      assert.ok((await firstThread(s)) > 0, 'threads is answered');
      assert.equal(await evaluateNumber(s, 'step'), BigInt(HEAP_SCRIPT[stop - 1]!.step));
    }
    assert.ok(!requests.includes('readMemory'), `no readMemory reached lldb-dap 19: ${requests.join(', ')}`);

    const controller = api.app.panel!.controller;
    const notices = controller.noticesSent.flatMap(n => (n && LACKS.test(n.message) ? [n] : []));
    assert.equal(notices.length, 1, 'the panel is told once, not at every stop');
    const said = logs.filter(l => l.includes('does not support reading memory (no supportsReadMemoryRequest'));
    assert.equal(said.length, 1, `one output line: ${logs.join('\n')}`);
    assert.equal(notices[0]!.level, 'warning');
    assert.match(notices[0]!.message, /lldb-dap 20 and newer support it/);
    // The panel keeps saying why while the target runs and stops again (no "Target running" over it).
    const last = controller.noticesSent.at(-1);
    assert.match(last?.message ?? '', LACKS);
  });
});
