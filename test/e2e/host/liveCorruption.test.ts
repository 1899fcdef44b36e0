// A heap corrupted on purpose (writeMemory from the TEST, never from the product) while the live
// source shows it: after Refresh the decoder's findings are in the source, in the view model sent
// to the panel, in the notice and in the Refresh command's result.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { BuddyHeapApi } from '../../../extension/main';
import { FirmwareUnderDebug } from './support/firmwareUnderDebug';
import {
  attachedHeap,
  continueToNext,
  evaluateNumber,
  extensionApi,
  setLiveSettings,
  settledAt,
  waitFor,
  writeWord,
} from './support/hostDebug';

const FRAGMENTED_STEP = 6n;

describe('e2e host: a corrupted live heap', function () {
  let api: BuddyHeapApi;
  const firmware = new FirmwareUnderDebug();

  before(async function () {
    await firmware.start(this);
    api = await extensionApi();
    await setLiveSettings({ heaps: [{ name: 'HEAP', expression: 'HEAP' }], autoAttach: true, readMode: 'auto' });
  });
  after(() => firmware.end());

  it('shows a cycle and a pointer out of the heap as findings in the panel', async () => {
    const s = await firmware.debugAtCheckpoints('QEMU firmware (corruption e2e)');
    const source = await attachedHeap(api, s);
    await settledAt(source, 1);
    while ((await evaluateNumber(s, 'step')) !== FRAGMENTED_STEP) await continueToNext(s, source);
    const clean = source.latestRead!.view;
    assert.deepEqual(clean.findings, []);
    const smallest = clean.freeLists[0]!.entries;
    assert.ok(smallest.length >= 3);
    const single = clean.freeLists.find(l => l.order > 0 && l.order < clean.orders - 1 && l.entries.length === 1)!;
    const at = (offset: number) => clean.heapBase + BigInt(offset);
    await writeWord(s, at(smallest[2]!.offset), at(smallest[1]!.offset));
    await writeWord(s, at(single.entries[0]!.offset), 0x3000_0000n);

    const result = await vscode.commands.executeCommand<{ ok: boolean; findings: number; state: string }>('buddyHeap.live.refresh');
    assert.equal(result.ok, true);
    assert.equal(result.state, 'ok');
    const view = source.latestRead!.view;
    const kinds = view.findings.map(f => `${f.kind}@${f.order}`);
    assert.ok(kinds.includes('Cycle@0'), kinds.join(', '));
    assert.ok(kinds.includes(`NextOutOfHeap@${single.order}`), kinds.join(', '));
    assert.equal(result.findings, view.findings.length);
    const entry = source.history().entry(source.history().current);
    assert.match(entry.detail, /finding/);

    const controller = api.app.panel!.controller;
    const sent = controller.heldView()!;
    assert.ok(
      sent.findings.some(f => f.kind === 'Cycle' && f.order === 0),
      'the panel got the cycle',
    );
    assert.ok(
      sent.findings.some(f => f.kind === 'NextOutOfHeap' && f.address !== undefined),
      'and the bad pointer',
    );
    // The webview drew it: its `rendered` report counts the findings. Bring the panel to the front
    // first (the stop opened fw.c over it, and a hidden webview renders nothing); the wait is bounded.
    api.app.showPanel();
    const rendered = await waitFor(`the webview to render ${view.findings.length} findings`, () =>
      controller.lastRendered && controller.lastRendered.findings === view.findings.length ? controller.lastRendered : undefined,
    );
    assert.match(rendered.notice ?? '', /integrity finding/);
    const notice = [...controller.sent].reverse().find(m => m.notice)?.notice;
    assert.equal(notice?.level, 'error');
    assert.match(notice!.title, /integrity finding/);
    // The live simulation refuses a heap whose lists are corrupt instead of guessing.
    const simulated = await vscode.commands.executeCommand<{ ok: boolean; error: string }>('buddyHeap.live.simulateAllocation', {
      size: '32',
      align: '8',
    });
    assert.deepEqual([simulated.ok, simulated.error], [false, 'CorruptHeap']);
  });
});
