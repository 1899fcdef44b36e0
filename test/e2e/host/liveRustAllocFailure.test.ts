// Break on Allocation Failure with a real adapter (cdt-gdb-adapter + gdb) on the native Rust
// program: it ends in handle_alloc_error through fragmentation, or through a request larger than
// the heap. The breakpoint is in the Breakpoints view, the stop is in handle_alloc_error, and the
// panel's explanation equals the model's on that stop's snapshot for the request the program's
// own log records as failed.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { explainAllocationFailure } from '../../../core/explain/allocationFailure';
import { heapFromSnapshot } from '../../../core/explain/heapFromSnapshot';
import type { BuddyHeapApi } from '../../../extension/main';
import { readRustOpLog } from '../support/rustOpLog';
import {
  extensionApi,
  rustGdbLaunchConfig,
  rustProgramOrSkip,
  sessionMemory,
  setLiveSettings,
  settledAt,
  snapshotInTestModules,
  startSession,
  stopSession,
  waitFor,
} from './support/hostDebug';

const EXPRESSION = 'prog::ALLOCATOR.inner.value';
/** OP_LOG's length (MAX_LOG in prog.rs): allocations past it are counted in OP_COUNT, not logged. */
const OP_LOG_ENTRIES = 4096;

describe('e2e host: break on allocation failure in the native Rust program', function () {
  let api: BuddyHeapApi;
  let program: string;
  let session: vscode.DebugSession | undefined;

  before(async function () {
    program = await rustProgramOrSkip(this);
    api = await extensionApi();
    // Other suites leave their `checkpoint` breakpoints (the program calls it): it must run straight to the failure.
    vscode.debug.removeBreakpoints(vscode.debug.breakpoints);
    await setLiveSettings({ heaps: [{ name: 'ALLOCATOR', expression: EXPRESSION }], autoAttach: true, breakOnAllocationFailure: true });
  });
  afterEach(async () => {
    await stopSession(session);
    session = undefined;
  });
  after(async () => {
    await setLiveSettings({ heaps: [], breakOnAllocationFailure: false });
  });

  for (const mode of ['fragment', 'too-large'] as const) {
    it(`${mode}: stops in handle_alloc_error and explains the failure as the model does`, async () => {
      const before = api.allocationFailures.lastReport;
      session = await startSession(rustGdbLaunchConfig(`Rust program (${mode})`, program, { arguments: mode }));
      const s = session;
      const report = await waitFor('the allocation failure report', () => {
        const r = api.allocationFailures.lastReport;
        return r && r !== before && r.sessionId === s.id ? r : undefined;
      });
      assert.ok(
        vscode.debug.breakpoints.some(b => b instanceof vscode.FunctionBreakpoint && b.functionName === 'alloc::alloc::handle_alloc_error'),
        'the breakpoint is in the Breakpoints view',
      );
      assert.equal(report.function, 'alloc::alloc::handle_alloc_error');
      // The program's own log: the last failed allocation is the request.
      const log = await readRustOpLog(sessionMemory(s), OP_LOG_ENTRIES);
      const failed = [...log].reverse().find(entry => entry.kind === 2);
      assert.ok(failed, 'the program logged a failed allocation');
      assert.ok(
        report.request.ok,
        JSON.stringify(report.request, (_, v: unknown) => (typeof v === 'bigint' ? `0x${v.toString(16)}` : v)),
      );
      assert.deepEqual([report.request.size, report.request.align], [BigInt(failed.size), BigInt(failed.align)]);
      const source = api.live.allSources(s.id).find(x => x.heapName === 'ALLOCATOR')!;
      assert.equal(api.app.sources.active, source, 'the panel shows the heap');
      const latest = source.latestRead!;
      // The model in this test's modules, on a copy of the stop's snapshot (see snapshotInTestModules).
      const rebuilt = heapFromSnapshot(snapshotInTestModules(latest.snapshot), latest.view);
      assert.ok(rebuilt.ok, rebuilt.ok ? '' : `${rebuilt.error}: ${rebuilt.message}`);
      // Owners of the blocks in the way come from the stop's ownership scan.
      const expected = explainAllocationFailure(rebuilt.heap, report.request.size, report.request.align, address =>
        source.ownerOf(address),
      );
      assert.deepEqual(report.explanation, expected);
      assert.equal(expected.error, mode === 'fragment' ? 'HeapExhausted' : 'InvalidSize(TooLarge)');
      if (mode === 'fragment') {
        assert.equal(expected.kind, 'Fragmented');
        assert.ok(expected.blocksInTheWay.length > 0);
        for (const block of expected.blocksInTheWay) {
          assert.ok(report.notice.message.includes(`0x${block.address.toString(16)}`));
          assert.ok(block.owner, `the scan names an owner for 0x${block.address.toString(16)}`);
          assert.ok(report.notice.message.includes(block.owner), `the notice names the owner of 0x${block.address.toString(16)}`);
        }
        // fail_fragmented keeps the blocks it did not free in a local array: the stack owns those (std's own blocks have static owners).
        assert.ok(
          expected.blocksInTheWay.some(b => /^thread \d+.* stack\+0x[0-9a-f]+$/.test(b.owner ?? '')),
          expected.blocksInTheWay.map(b => b.owner).join(', '),
        );
      }
      assert.match(report.notice.title, new RegExp(`^Allocation of ${failed.size} bytes \\(align ${failed.align}\\) failed here`));
      assert.match(source.history().entry(source.history().total - 1).text, /failed here/);
    });
  }

  it('an adapter without supportsFunctionBreakpoints gets a clear message and no breakpoints', async () => {
    const handler = 'alloc::alloc::handle_alloc_error';
    const failureBreakpoints = () =>
      vscode.debug.breakpoints.filter(b => b instanceof vscode.FunctionBreakpoint && b.functionName === handler);
    const ended = new Set<string>();
    const endings = vscode.debug.onDidTerminateDebugSession(s => ended.add(s.id));
    // The gdb adapter behind the fixture's relay that hides supportsFunctionBreakpoints.
    const launch = async (name: string) => {
      // A session still ending (the earlier tests') keeps needing its breakpoint, rightly.
      const running = () => api.live.tracker.all().map(t => t.session.name);
      await waitFor('the earlier debug sessions to end', () => running().length === 0).catch((error: unknown) => {
        throw new Error(`${String(error)}: still running ${running().join(', ')}`);
      });
      const before = api.allocationFailures.lastReport;
      const s = await startSession(rustGdbLaunchConfig(name, program, { type: 'gdb-no-function-breakpoints', arguments: 'too-large' }));
      session = s;
      const refusal = await waitFor(`the refusal for "${name}"`, () => {
        const r = api.allocationFailures.lastRefusal;
        return r?.sessionId === s.id ? r : undefined;
      });
      assert.match(refusal.message, /does not advertise supportsFunctionBreakpoints/);
      assert.match(refusal.message, /no breakpoints were set/);
      await waitFor(
        `the breakpoints added before the launch to be removed (now: ${api.allocationFailures.breakpointNames().join(', ')})`,
        () => failureBreakpoints().length === 0,
      );
      assert.deepEqual(api.allocationFailures.breakpointNames(), []);
      // The program runs through handle_alloc_error unstopped and aborts: gdb stops at SIGABRT, and
      // the heap is read there, but no failure is reported.
      const source = await waitFor('the heap to attach at the abort', () =>
        api.live.allSources(s.id).find(x => x.heapName === 'ALLOCATOR'),
      );
      await settledAt(source, 1);
      assert.equal(api.allocationFailures.lastReport, before, 'no failure stop was reported');
      await stopSession(s);
      await waitFor(`"${name}" to end`, () => ended.has(s.id));
      session = undefined;
    };
    const added: string[] = [];
    const listener = vscode.debug.onDidChangeBreakpoints(change =>
      added.push(...change.added.flatMap(b => (b instanceof vscode.FunctionBreakpoint ? [b.functionName] : []))),
    );
    try {
      await launch('Rust program without function breakpoints');
      // Once the debug type is known to lack them, a launch gets none, not even until its adapter answers.
      added.length = 0;
      await launch('Rust program without function breakpoints, again');
      assert.deepEqual(added, [], 'no breakpoint appeared in the Breakpoints view');
    } finally {
      listener.dispose();
      endings.dispose();
    }
  });
});
