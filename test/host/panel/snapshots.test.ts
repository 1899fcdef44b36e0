// Heap snapshots in a real extension host: Save Heap Snapshot → the *.buddyheap custom editor
// shows the same history, views, findings and owners as the simulation it was saved from; a
// snapshot file in the workspace opens with vscode.openWith; Compare shows two files' diff in the
// panel. Expectations come from the simulation and from core (reader, decoder, diff).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { DecodedHeapView } from '../../../core/decoder/types';
import { diffViews } from '../../../core/diff/diffViews';
import { readSnapshot } from '../../../core/snapshot/readSnapshot';
import type { SnapshotFile } from '../../../core/snapshot/format';
import { simulatedHeapAt, viewAtStep } from '../../../core/snapshot/snapshotSteps';
import { buildViewModel } from '../../../extension/panel/buildViewModel';
import type { HeapDebugger } from '../../../extension/heapDebugger';
import type { BuddyHeapApi } from '../../../extension/main';
import { everyStep, openEditor, plainView, renderedIn } from './snapshotEditors';
import { EXTENSION_ID, rendered, run, stubPrompts, useLayout, workspaceUri } from './support';

async function api(): Promise<BuddyHeapApi> {
  const ext = vscode.extensions.getExtension<BuddyHeapApi>(EXTENSION_ID);
  assert.ok(ext);
  return ext.activate();
}

/** Blocks the webview draws for a file's step: allocated spans split per known allocation (the view model's table). */
function drawnBlocks(file: SnapshotFile, step: number): number {
  const allocations = file.kind === 'simulated' ? simulatedHeapAt(file, step).liveAllocations() : [];
  return buildViewModel(viewAtStep(file, step), allocations).blocks.count;
}

async function simulate(): Promise<void> {
  await useLayout({ size: '32k', orders: 10 });
  const a = await run<{ address: string }>('buddyHeap.simulateAllocation', { size: '100', align: '8', owner: 'uart' });
  await run('buddyHeap.simulateAllocation', { size: '2048', align: '8', owner: 'dma' });
  await run('buddyHeap.simulateDeallocation', { address: a.address });
  await run('buddyHeap.simulateAllocation', { size: '40', align: '8', owner: 'timer' });
}

describe('Heap snapshots', function () {
  this.timeout(60_000);
  let app: HeapDebugger;
  let snapshots: BuddyHeapApi['snapshots'];
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'buddy-snapshots-'));
  const inWorkspace: vscode.Uri[] = [];

  before(async () => {
    ({ app, snapshots } = await api());
  });

  // Save Heap Snapshot saves the focused snapshot editor's heap when one is focused: start each test without one.
  beforeEach(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    for (const uri of inWorkspace) fs.rmSync(uri.fsPath, { force: true });
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('Save Heap Snapshot (all steps) → the custom editor shows the same history, views, findings and owners', async () => {
    await simulate();
    app.simulation.stepTo(2);
    await run('buddyHeap.openPanel');
    const expected = everyStep(app.simulation);
    // The palette route: "All steps" from the quick pick, the path from the save dialog.
    const target = vscode.Uri.file(path.join(tmp, 'sim.buddyheap'));
    const prompts = stubPrompts({ picks: [items => items.find((i: { scope: string }) => i.scope === 'all')], save: target });
    let saved;
    try {
      saved = await run<{ path: string; steps: number }>('buddyHeap.saveSnapshot');
    } finally {
      prompts.restore();
    }
    assert.equal(saved.ok, true, JSON.stringify(saved));
    assert.equal(saved.steps, 5);
    assert.equal(readSnapshot(fs.readFileSync(target.fsPath)).kind, 'simulated');

    const editor = await openEditor(snapshots, target, 2);
    const source = editor.controller.currentSource;
    assert.equal(source.state.source.canSimulate, false);
    assert.deepEqual(everyStep(source), expected);
    // What the real webview drew for the reopened step is the simulation's step 2.
    const file = readSnapshot(fs.readFileSync(target.fsPath));
    const r = await renderedIn(editor, x => x.step === 2);
    assert.equal(r.blocks, drawnBlocks(file, 2));
    assert.equal(r.findings, app.simulation.viewAt(2)!.findings.length);
    // Stepping in the editor's panel (as the webview's history does) moves it.
    editor.controller.receive({ type: 'stepTo', step: 4 });
    const r4 = await renderedIn(editor, x => x.step === 4);
    assert.equal(r4.blocks, drawnBlocks(file, 4));
  });

  it('Save Heap Snapshot (this step) writes only what leads to the shown step', async () => {
    await simulate();
    app.simulation.stepTo(3);
    const saved = await run<{ path: string; steps: number }>('buddyHeap.saveSnapshot', {
      scope: 'shown',
      path: path.join(tmp, 'step3.buddyheap'),
    });
    assert.equal(saved.ok, true, JSON.stringify(saved));
    const file = readSnapshot(fs.readFileSync(saved.path));
    assert.equal(file.shownStep, 3);
    assert.deepEqual(plainView(viewAtStep(file, 3)), plainView(app.simulation.viewAt(3) as DecodedHeapView));
  });

  it('a snapshot file in the workspace opens in the custom editor (as a double-click does); a broken one says why', async () => {
    await simulate();
    const uri = workspaceUri('boot.buddyheap');
    inWorkspace.push(uri);
    const saved = await run('buddyHeap.saveSnapshot', { scope: 'all', path: 'boot.buddyheap' });
    assert.equal(saved.ok, true, JSON.stringify(saved));
    const file = readSnapshot(fs.readFileSync(uri.fsPath));
    const editor = await openEditor(snapshots, uri, file.shownStep);
    const r = editor.controller.lastRendered!;
    assert.equal(r.blocks, drawnBlocks(file, file.shownStep));

    const broken = workspaceUri('broken.buddyheap');
    inWorkspace.push(broken);
    fs.writeFileSync(broken.fsPath, fs.readFileSync(uri.fsPath, 'utf8').replace('"version": 1', '"version": 99'));
    const opened = await run('buddyHeap.openSnapshot', { path: 'broken.buddyheap' });
    assert.equal(opened.ok, true);
    // No panel UI for a file that cannot be read: the editor page names the problem instead.
    await new Promise(r => setTimeout(r, 500));
    assert.equal(snapshots.editors.get(broken.toString()), undefined);
  });

  it('Compare Heap Snapshots shows the diff of a step of one file against a step of the other', async () => {
    await simulate();
    const a = await run<{ path: string }>('buddyHeap.saveSnapshot', { scope: 'shown', path: path.join(tmp, 'before.buddyheap') });
    await run('buddyHeap.simulateAllocation', { size: '500', align: '8', owner: 'late' });
    await run('buddyHeap.simulateAllocation', { size: '64', align: '64' });
    const b = await run<{ path: string }>('buddyHeap.saveSnapshot', { scope: 'all', path: path.join(tmp, 'after.buddyheap') });
    const before = readSnapshot(fs.readFileSync(a.path));
    const after = readSnapshot(fs.readFileSync(b.path));
    const expected = diffViews(viewAtStep(before, before.shownStep), viewAtStep(after, after.shownStep));
    assert.ok(expected.comparable && expected.changes.count > 0);

    const compared = await run<{ summary: string; changes: number; fromStep: number; toStep: number }>('buddyHeap.compareSnapshots', {
      a: a.path,
      b: b.path,
    });
    assert.equal(compared.ok, true, JSON.stringify(compared));
    assert.equal(compared.summary, expected.summary);
    assert.equal(compared.changes, expected.changes.count, JSON.stringify({ compared, expected: expected.summary }));
    // The panel shows the "to" step with the diff against the "from" step.
    const r = await rendered(app, x => x.step === compared.toStep);
    assert.equal(r.blocks, drawnBlocks(after, after.shownStep));
    const last = [...app.panel!.controller.sent].reverse().find(m => m.diff !== undefined);
    assert.equal(last?.diff?.fromStep, compared.fromStep);
    assert.equal(last?.diff?.summary, expected.summary);
    // Back to the simulation for the next tests.
    app.useSimulation();
  });
});
