// The panel's life cycle in the extension host: the webview gets the state after the ready
// handshake, again after being hidden and shown (no retained context), and a reopened panel too.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { HeapDebugger } from '../../../extension/heapDebugger';
import type { BuddyHeapApi } from '../../../extension/main';
import { PANEL_VIEW_TYPE } from '../../../extension/panel/heapPanel';
import { EXTENSION_ID, activeApp, rendered, run, useLayout, workspaceUri } from './support';

describe('heap panel state', function () {
  this.timeout(60_000);
  let app: HeapDebugger;

  before(async () => {
    app = await activeApp();
    await useLayout({ size: '64k', orders: 12 });
  });

  it('does not retain its context when hidden (the state comes back from the host)', async () => {
    await run('buddyHeap.openPanel');
    assert.equal(app.panel!.panel.options.retainContextWhenHidden ?? false, false);
    assert.deepEqual(
      app.panel!.panel.webview.options.localResourceRoots?.map(u => u.path.split('/').slice(-1)[0]),
      ['dist', 'media'],
    );
  });

  it('re-sends the state when the hidden panel is shown again, and keeps the selection', async () => {
    await run('buddyHeap.simulateAllocation', { size: '64', owner: 'net/rx' });
    app.panel!.controller.receive({ type: 'selectBlock', offset: 0 });
    const before = await rendered(app, r => r.step === 1);
    // Another editor in the same column hides the panel; revealing it reloads the webview.
    const doc = await vscode.workspace.openTextDocument(workspaceUri('README.md'));
    await vscode.window.showTextDocument(doc, vscode.ViewColumn.Active);
    app.panel!.reveal();
    const after = await rendered(app, r => r.revision > before.revision);
    assert.equal(after.step, 1);
    assert.equal(after.selection, 0);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('a closed and reopened panel renders the current heap', async () => {
    await run('buddyHeap.openPanel');
    app.panel!.dispose();
    assert.equal(app.panel, undefined);
    await run('buddyHeap.openPanel');
    const r = await rendered(app, x => x.step === app.simulation.history().current);
    assert.equal(r.blocks > 0, true);
  });

  it('drops malformed messages from the webview without breaking the panel', async () => {
    await run('buddyHeap.openPanel');
    const controller = app.panel!.controller;
    controller.receive({ type: 'runCommand', command: 'workbench.action.closeWindow' });
    controller.receive({ type: 'stepTo', step: -4 });
    await run('buddyHeap.simulateAllocation', { size: '32' });
    const r = await rendered(app, x => x.step === app.simulation.history().current);
    assert.ok(r.blocks > 1);
  });
});

describe('heap panel restore after a restart', function () {
  this.timeout(60_000);

  it('the registered serializer adopts the panel VS Code recreates, locks it down and renders the current heap', async () => {
    const ext = vscode.extensions.getExtension<BuddyHeapApi>(EXTENSION_ID)!;
    const { app, serializer } = await ext.activate();
    await useLayout({ size: '64k', orders: 12 });
    await run('buddyHeap.simulateAllocation', { size: '200', owner: 'restored/owner' });
    app.panel?.dispose();
    // What VS Code does on restart: a bare panel of our view type, handed to the serializer.
    const bare = vscode.window.createWebviewPanel(PANEL_VIEW_TYPE, 'Buddy Heap', vscode.ViewColumn.Active, {});
    await serializer.deserializeWebviewPanel(bare, {});
    assert.equal(app.panel?.panel, bare, 'the app owns the restored panel');
    assert.equal(bare.webview.options.enableScripts, true);
    assert.deepEqual(
      bare.webview.options.localResourceRoots?.map(u => u.path.split('/').slice(-1)[0]),
      ['dist', 'media'],
    );
    assert.match(bare.webview.html, /script-src 'nonce-[A-Za-z0-9+/=]+'/);
    const r = await rendered(app, x => x.step === app.simulation.history().current);
    assert.ok(r.blocks > 1, `the restored panel shows the allocated heap (${r.blocks} blocks)`);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });
});
