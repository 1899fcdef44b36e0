// The real extension in the VS Code extension host, debugging the Cortex-M3 firmware in QEMU
// through the fixture's gdbtarget type: a function breakpoint on `checkpoint`, the configured
// heaps whose debugType/program match the session attached automatically at the first stop (one
// absent from the program stays quiet), and at every checkpoint the panel's live source (free
// lists, allocated blocks, the stop-to-stop diff) equals the model replaying the script.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { diffViews } from '../../../core/diff/diffViews';
import { formatBytes, type HeapLayout } from '../../../core/layout';
import { CHANGE_KINDS, type HeapViewModel } from '../../../core/protocol/viewModel';
import type { BuddyHeapApi } from '../../../extension/main';
import { viewOfModel } from '../../../extension/panel/modelView';
import { assertViewMatchesModel, firmwareHeapLayout, replayScript } from '../support/heapModel';
import { HEAP_SCRIPT } from '../targets/script';
import { atEveryCheckpoint } from './support/checkpoints';
import { FirmwareUnderDebug } from './support/firmwareUnderDebug';
import { attachedHeap, extensionApi, setLiveSettings, settledAt, waitFor } from './support/hostDebug';

function expectedChanges(layout: HeapLayout, step: number): string[] {
  const diff = diffViews(viewOfModel(replayScript(layout, step - 1).heap), viewOfModel(replayScript(layout, step).heap));
  assert.ok(diff.comparable);
  return Array.from(
    { length: diff.changes.count },
    (_, i) => `${CHANGE_KINDS[diff.changes.kinds[i]!]} ${diff.changes.offsets[i]}/${diff.changes.orders[i]}`,
  );
}

describe('e2e host: live heap of the Cortex-M3 firmware in QEMU', function () {
  let api: BuddyHeapApi;
  const firmware = new FirmwareUnderDebug();

  before(async function () {
    api = await extensionApi();
    await setLiveSettings({
      heaps: [
        // For this session but not in its program: said once, quietly, retried at each stop; listed
        // first, so the panel starts on it and must move to the heap that reads.
        { name: 'absent', expression: 'NO_SUCH_HEAP', debugType: 'gdbtarget' },
        { name: 'HEAP', expression: 'HEAP', program: '**/fw.elf' },
        // For another debug type: never attached here.
        { name: 'rust', expression: 'prog::ALLOCATOR.inner.value', debugType: 'gdb' },
      ],
      autoAttach: true,
      readMode: 'auto',
    });
    await firmware.start(this);
  });
  after(() => firmware.end());

  it('follows the script stop by stop: free lists, allocated blocks and diffs as the model says', async () => {
    const s = await firmware.debugAtCheckpoints('QEMU firmware (live e2e)');
    const source = await attachedHeap(api, s, 'HEAP');
    assert.deepEqual(
      api.live.allSources(s.id).map(x => x.heapName),
      ['absent', 'HEAP'],
      'only the heaps for this session attach',
    );
    const absent = api.live.allSources(s.id)[0]!;
    await settledAt(source, 1);
    await absent.idle();
    await waitFor('the panel to show the heap that reads, not the absent one', () => api.app.sources.active === source);
    assert.ok(api.app.panel, 'the panel is open');
    let layout: HeapLayout | undefined;
    await atEveryCheckpoint(s, source, async ({ index, step, what, view }) => {
      layout ??= firmwareHeapLayout(source.current().view.heapBase);
      const model = replayScript(layout, step.step).heap;
      assertViewMatchesModel(view, model, what);
      const history = source.history();
      assert.equal(history.total, index + 1, `${what}: one snapshot per stop`);
      assert.equal(history.current, index);
      const entry = history.entry(index);
      assert.equal(entry.op, 'snapshot');
      assert.match(entry.text, new RegExp(`^stop ${index + 1}: function breakpoint`));
      if (index > 0) {
        const got = entry.changes.map(c => `${c.kind} ${c.offset}/${c.order}`);
        assert.deepEqual(got, expectedChanges(layout, step.step), `${what}: what changed since the previous stop`);
      }
      // The panel got this snapshot: its last view model has the model's free lists.
      const lastSentView = (): HeapViewModel | undefined => api.app.panel!.controller.heldView();
      // At the first stop the panel moved from the absent heap to this one: the init carrying this
      // view goes out once the webview is ready (bounded wait; the assertions below say what differs).
      if (index === 0)
        await waitFor('the panel to get the first snapshot', () => lastSentView()?.freeLists.some(l => l.offsets.length > 0)).catch(
          () => undefined,
        );
      const sent = lastSentView();
      assert.ok(sent, `${what}: a view was sent to the panel`);
      assert.deepEqual(
        sent.freeLists.map(l => Array.from(l.offsets)),
        model.freeLists(),
        `${what}: panel free lists`,
      );
      assert.equal(sent.stats.freeBytes, model.freeBytes());
      // The status bar item says the heap's state and free bytes.
      const bar = api.liveStatusBar.shown;
      assert.equal(bar.visible, true);
      assert.equal(bar.text, `$(pass) HEAP: ${formatBytes(model.freeBytes())} free`, what);
      assert.match(bar.tooltip, new RegExp(`HEAP — ok at stop ${index + 1}`));

      if (step.step === 3) {
        // Would alloc(200, 16) succeed now? The command answers from a copy; the model agrees.
        const expected = model.clone().allocate(200, 16);
        assert.ok(expected.ok);
        const answer = await vscode.commands.executeCommand<{ ok: boolean; succeeds: boolean; offset: number; order: number }>(
          'buddyHeap.live.simulateAllocation',
          { size: '200', align: '16' },
        );
        assert.deepEqual([answer.ok, answer.succeeds, answer.offset, answer.order], [true, true, expected.offset, expected.order]);
        assert.equal(api.app.panel!.controller.selectedOffset, expected.offset, 'the block is selected in the panel');
        assertViewMatchesModel(source.latestRead!.view, model, `${what}: the target is unchanged by the simulation`);
        // Show in Heap Panel on a pointer into the heap selects the block holding it.
        const allocation = model.liveAllocations()[0]!;
        const pointer = layout.base + BigInt(allocation.offset) + 4n;
        const shown = await vscode.commands.executeCommand<{ ok: boolean; offset: number }>('buddyHeap.live.showInPanel', {
          sessionId: s.id,
          container: { name: 'Locals' },
          variable: {
            name: 'p',
            evaluateName: 'p',
            value: `0x${pointer.toString(16)} <heap_mem+${allocation.offset + 4}>`,
            type: 'uint8_t *',
          },
        });
        assert.equal(shown.ok, true);
        assert.equal(api.app.panel!.controller.selectedOffset, allocation.offset);
      }
    });
    // Show in Heap Panel on the heap struct itself (Variables view): the heap already read is shown,
    // with its history, not attached a second time.
    const total0 = source.history().total;
    const shownHeap = await vscode.commands.executeCommand<{ ok: boolean; heap: string }>('buddyHeap.live.showInPanel', {
      sessionId: s.id,
      container: { name: 'Globals' },
      variable: { name: 'HEAP', evaluateName: 'HEAP', value: '{heap_base = 0x20001000, heap_size = 65536, ...}', type: 'struct heap' },
    });
    assert.deepEqual([shownHeap.ok, shownHeap.heap], [true, 'HEAP']);
    assert.equal(api.app.sources.active, source);
    assert.equal(source.history().total, total0, 'its history of stops is kept');
    assert.deepEqual(
      api.live.allSources(s.id).map(x => x.heapName),
      ['absent', 'HEAP'],
    );
    await absent.idle();
    assert.equal(absent.status().state, 'waiting', `the absent heap is no error: ${absent.status().message}`);
    assert.match(absent.status().message!, /"NO_SUCH_HEAP" does not evaluate/);
    assert.equal(absent.latestRead, undefined, 'nothing was read for it');
    // A resume makes the view stale without reading; the end keeps the last snapshot.
    const total = source.history().total;
    const states: string[] = [];
    const watch = source.onDidChange(() => {
      if (states[states.length - 1] !== source.status().state) states.push(source.status().state);
    });
    await s.customRequest('continue', { threadId: 1 });
    await waitFor(
      'the next stop after the script',
      () => source.status().stops === HEAP_SCRIPT.length + 1 && source.status().state === 'ok',
    );
    watch.dispose();
    assert.match(api.liveStatusBar.shown.text, /^\$\(pass\) HEAP: .* free$/);
    assert.equal(
      states[0],
      'stale',
      `the view went stale when the target resumed, before it was read again (states: ${states.join(' → ')})`,
    );
    assert.equal(states[states.length - 1], 'ok', states.join(' → '));
    await firmware.endSession();
    await waitFor('the live source to end', () => source.status().state === 'ended');
    assert.equal(source.history().total, total + 1);
    assert.match(source.describe().detail, /session ended/);
    assert.ok(source.current().view.blocks.count > 0, 'the last snapshot stays visible');
  });
});
