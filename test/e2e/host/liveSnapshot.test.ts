// Save → reopen of a live heap: the Cortex-M3 firmware in QEMU is stepped through a few
// checkpoints, Save Heap Snapshot writes the whole history of stops, the session ends, and the
// file reopened in the *.buddyheap custom editor (vscode.openWith, as a double-click does) shows
// the same history, views and findings at every step as the live source did, and the webview
// draws the same heap. Expectations are the live source's own state before the session ended.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { readSnapshot } from '../../../core/snapshot/readSnapshot';
import type { BuddyHeapApi } from '../../../extension/main';
import { buildViewModel } from '../../../extension/panel/buildViewModel';
import { everyStep, openEditor, renderedIn } from '../../host/panel/snapshotEditors';
import { FirmwareUnderDebug } from './support/firmwareUnderDebug';
import { attachedHeap, continueToNext, extensionApi, setLiveSettings, settledAt, waitFor } from './support/hostDebug';

/** Stops kept in the history before saving. */
const STOPS = 4;

describe('e2e host: live QEMU heap saved and reopened as a snapshot', function () {
  let api: BuddyHeapApi;
  const firmware = new FirmwareUnderDebug();
  let dir: string;

  before(async function () {
    api = await extensionApi();
    await setLiveSettings({ heaps: [{ name: 'HEAP', expression: 'HEAP', program: '**/fw.elf' }], autoAttach: true, readMode: 'auto' });
    await firmware.start(this);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'buddy-live-snapshot-'));
  });
  after(async () => {
    await firmware.end();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('Save Heap Snapshot (all stops) → the custom editor shows the same history, views and findings', async () => {
    // Save takes a focused snapshot editor's heap first: none is open.
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    const s = await firmware.debugAtCheckpoints('QEMU firmware (snapshot e2e)');
    const source = await attachedHeap(api, s, 'HEAP');
    await settledAt(source, 1);
    for (let stop = 2; stop <= STOPS; stop++) await continueToNext(s, source);
    await waitFor('the panel to show the live heap', () => api.app.sources.active === source);
    assert.equal(source.history().total, STOPS);
    const live = everyStep(source);

    const target = path.join(dir, 'live.buddyheap');
    const saved = await vscode.commands.executeCommand<{ ok: boolean; kind: string; steps: number; path: string }>(
      'buddyHeap.saveSnapshot',
      {
        scope: 'all',
        path: target,
      },
    );
    assert.equal(saved.ok, true, JSON.stringify(saved));
    assert.deepEqual([saved.kind, saved.steps], ['live', STOPS]);
    const file = readSnapshot(fs.readFileSync(target));
    assert.equal(file.kind, 'live');
    assert.equal(file.shownStep, STOPS - 1);
    assert.equal(file.kind === 'live' ? file.program?.path : undefined, firmware.program, "the program's path is kept");

    await firmware.endSession();
    await waitFor('the live source to end', () => source.status().state === 'ended');

    const editor = await openEditor(api.snapshots, vscode.Uri.file(target), STOPS - 1);
    const reopened = editor.controller.currentSource;
    assert.notEqual(reopened, source);
    assert.equal(reopened.state.source.canSimulate, false);
    assert.match(reopened.state.source.detail, /Snapshot \(read-only\)/);
    assert.deepEqual(everyStep(reopened), live);
    // The webview drew the reopened stop: its blocks and findings are the live heap's last stop.
    const shown = source.state.history.total - 1;
    source.stepTo(STOPS - 1);
    const view = source.state.shown.view;
    const r = await renderedIn(editor, x => x.step === STOPS - 1);
    // The panel's model: the scan's blocks and leak findings when the ownership scan ran at that stop.
    const model = buildViewModel(view, [], source.state.shown.ownership);
    assert.equal(r.findings, model.findings.length);
    assert.equal(r.blocks, model.blocks.count);
    source.stepTo(shown);
    // Stepping in the reopened editor (as the webview's history does) moves it to an earlier stop.
    editor.controller.receive({ type: 'stepTo', step: 1 });
    await renderedIn(editor, x => x.step === 1);
    assert.equal(reopened.state.history.current, 1);
  });
});
