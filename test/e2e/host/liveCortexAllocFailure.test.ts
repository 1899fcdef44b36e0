// Break on Allocation Failure on a C firmware (Cortex-M3 in QEMU, cdt-gdb-adapter + gdb-multiarch):
// the firmware calls heap_alloc_failed(size, align) for each request its heap refuses (the
// script's step 7). With that hook named in buddyHeap.live.allocationFailureHooks, a function
// breakpoint on it is in the Breakpoints view, the target stops there, and the panel shows the
// request read from the frame's arguments and the model's explanation on that stop's snapshot.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { explainAllocationFailure } from '../../../core/explain/allocationFailure';
import { heapFromSnapshot } from '../../../core/explain/heapFromSnapshot';
import type { HeapLayout } from '../../../core/layout';
import type { AllocationFailureReport } from '../../../extension/live/allocFailure/allocationFailureBreaks';
import type { BuddyHeapApi } from '../../../extension/main';
import { assertViewMatchesModel, firmwareHeapLayout, replayScript } from '../support/heapModel';
import { FirmwareUnderDebug } from './support/firmwareUnderDebug';
import { extensionApi, firstThread, setLiveSettings, snapshotInTestModules, waitFor } from './support/hostDebug';

const HOOK = 'heap_alloc_failed';
/** The script step whose refused requests call the hook; the heap is then as step 6 left it. */
const FAILING_STEP = 7;

describe('e2e host: break on allocation failure in the C firmware hook', function () {
  let api: BuddyHeapApi;
  const firmware = new FirmwareUnderDebug();

  before(async function () {
    await firmware.start(this);
    api = await extensionApi();
    // Other suites leave their `checkpoint` breakpoints: the firmware must run straight to the hook.
    vscode.debug.removeBreakpoints(vscode.debug.breakpoints);
    await setLiveSettings({
      heaps: [{ name: 'HEAP', expression: 'HEAP', program: '**/fw.elf' }],
      autoAttach: true,
      allocationFailureHooks: [{ function: HOOK, sizeArgument: 'size', alignArgument: 'align' }],
      breakOnAllocationFailure: true,
    });
  });
  after(async () => {
    await firmware.end();
    await setLiveSettings({ heaps: [], allocationFailureHooks: [], breakOnAllocationFailure: false });
  });

  it('stops in the hook for each refused request and explains it as the model does', async () => {
    const s = await firmware.attach('QEMU firmware (allocation failure)');
    assert.ok(
      vscode.debug.breakpoints.some(b => b instanceof vscode.FunctionBreakpoint && b.functionName === HOOK),
      'the hook breakpoint is in the Breakpoints view',
    );
    let layout: HeapLayout | undefined;
    let stops = 0;
    let previous: AllocationFailureReport | undefined = api.allocationFailures.lastReport;
    const refused = (base: bigint) => {
      layout ??= firmwareHeapLayout(base);
      const before = replayScript(layout, FAILING_STEP - 1);
      const failed = replayScript(layout, FAILING_STEP)
        .log.slice(before.log.length)
        .filter(entry => entry.kind === 2);
      return { model: before.heap, failed };
    };
    for (;;) {
      const last = previous;
      const report = await waitFor(`allocation failure stop ${stops + 1}`, () => {
        const r = api.allocationFailures.lastReport;
        return r && r !== last && r.sessionId === s.id ? r : undefined;
      });
      previous = report;
      assert.equal(report.function, HOOK);
      const source = api.live.allSources(s.id).find(x => x.heapName === 'HEAP');
      assert.ok(source, 'the configured heap attached at the stop');
      assert.equal(api.app.sources.active, source, 'the panel shows the heap');
      const latest = source.latestRead!;
      const { model, failed } = refused(latest.view.heapBase);
      const expectedRequest = failed[stops];
      assert.ok(expectedRequest, `the model refuses ${failed.length} request(s) in step ${FAILING_STEP}; this is stop ${stops + 1}`);
      const what = `stop ${stops + 1} (${expectedRequest.size} bytes, align ${expectedRequest.align})`;
      // The stop's snapshot is the heap as the script left it before the refused requests.
      assertViewMatchesModel(latest.view, model, what);
      assert.ok(
        report.request.ok,
        `${what}: ${JSON.stringify(report.request, (_, v: unknown) => (typeof v === 'bigint' ? `0x${v.toString(16)}` : v))}`,
      );
      assert.deepEqual([report.request.size, report.request.align], [BigInt(expectedRequest.size), BigInt(expectedRequest.align)], what);
      assert.equal(report.request.note, undefined, `${what}: both arguments were read from the hook's frame`);
      const rebuilt = heapFromSnapshot(snapshotInTestModules(latest.snapshot), latest.view);
      assert.ok(rebuilt.ok, rebuilt.ok ? '' : `${rebuilt.error}: ${rebuilt.message}`);
      const expected = explainAllocationFailure(rebuilt.heap, report.request.size, report.request.align);
      assert.deepEqual(report.explanation, expected, what);
      // The model, replaying the script, refuses this request with the same error.
      const modelSays = model.allocate(expectedRequest.size, expectedRequest.align);
      assert.ok(!modelSays.ok && modelSays.error === expected.error, `${what}: the model refuses it with ${expected.error}`);
      assert.match(
        report.notice.title,
        new RegExp(`^Allocation of ${expectedRequest.size} bytes \\(align ${expectedRequest.align}\\) failed here`),
      );
      assert.ok(report.notice.message.includes(expected.error), `${what}: the notice names the error`);
      await waitFor(`${what}: the panel to be told the notice`, () =>
        api.app.panel?.controller.sent.some(m => m.notice?.title === report.notice.title),
      );
      assert.match(source.history().entry(source.history().total - 1).text, /failed here/);
      stops++;
      if (stops === failed.length) break;
      await s.customRequest('continue', { threadId: await firstThread(s) });
    }
    assert.ok(stops >= 2, 'step 7 refuses a too-large and a badly aligned request');
  });
});
