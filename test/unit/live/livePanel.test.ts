// The live source behind the real panel controller: every message the webview would get passes
// the protocol's validators, before the first read (empty view), after stops (with the diff of
// the last stop), while stale and after the end.
import * as assert from 'node:assert/strict';
import type { ToWebviewMessage } from '../../../core/protocol/messages';
import { validateToWebview } from '../../../core/protocol/validate';
import { decodeHeap } from '../../../core/decoder/decode';
import { buildViewModel } from '../../../extension/panel/buildViewModel';
import { PanelController } from '../../../extension/panel/panelController';
import { adapterSends, continued, liveFixture, stopped, terminated } from './liveFixture';

describe('live heap source in the panel', () => {
  it('sends only valid messages, with the stop-to-stop diff and the stale state in the source', async () => {
    const f = liveFixture();
    const posted: ToWebviewMessage[] = [];
    const controller = new PanelController(f.source, { post: m => posted.push(m), log: () => undefined, runCommand: () => undefined });
    controller.receive({ type: 'ready', protocol: 1 });
    adapterSends(f.source, stopped());
    await f.source.idle();
    assert.ok(f.heap.allocate(500, 8).ok);
    f.remap();
    adapterSends(f.source, continued);
    adapterSends(f.source, stopped());
    await f.source.idle();
    adapterSends(f.source, continued);
    adapterSends(f.source, terminated);
    for (const message of posted) {
      const checked = validateToWebview(message);
      assert.ok(checked.ok, `${message.type} r${message.revision}: ${checked.ok ? '' : checked.error}`);
    }
    assert.equal(posted[0]!.type, 'init');
    const withDiff = posted.filter(m => m.type === 'update' && m.diff);
    const diff = withDiff.at(-1)!.diff!;
    assert.deepEqual([diff.fromStep, diff.toStep], [0, 1]);
    assert.match(diff.summary, /allocated 1 \(512 B\)/);
    // The second stop changed part of the heap and added one step: a patch and the history's tail.
    const second = withDiff.at(-1)!;
    assert.ok(second.type === 'update' && second.patch && second.historyTail && !second.view && !second.history);
    assert.equal(second.historyTail.from, 1);
    assert.deepEqual(controller.heldView()!.stats, second.patch.stats);
    const sources = posted.flatMap(m => (m.source ? [m.source.detail] : []));
    assert.ok(
      sources.some(d => /STALE/.test(d)),
      sources.join('\n'),
    );
    assert.match(sources.at(-1)!, /session ended/);
    controller.dispose();
  });

  it('a stop that changed nothing is a patch to the view the panel holds; the next change patches it right', async () => {
    const f = liveFixture();
    const posted: ToWebviewMessage[] = [];
    const controller = new PanelController(f.source, { post: m => posted.push(m), log: () => undefined, runCommand: () => undefined });
    controller.receive({ type: 'ready', protocol: 1 });
    const stop = async () => {
      adapterSends(f.source, continued);
      adapterSends(f.source, stopped());
      await f.source.idle();
      return posted.at(-1)!;
    };
    await stop();
    const held = controller.heldView()!;
    const same = await stop();
    assert.ok(same.type === 'update' && same.patch && !same.view && same.historyTail, 'a patch and the new step');
    assert.deepEqual([same.patch.freeLists, same.patch.freedAllocations.length, same.patch.newAllocations.offsets.length], [[], 0, 0]);
    assert.deepEqual(controller.heldView(), held);
    assert.equal(same.historyTail.entries.at(-1)!.text.startsWith('stop 2'), true);
    assert.ok(f.heap.allocate(700, 8).ok);
    f.remap();
    const changed = await stop();
    assert.ok(changed.type === 'update' && changed.patch);
    const fresh = buildViewModel(decodeHeap(f.source.latestRead!.snapshot), []);
    assert.deepEqual(controller.heldView(), fresh, 'the patched view is the view of the heap as read');
    for (const message of posted) {
      const checked = validateToWebview(message);
      assert.ok(checked.ok, `${message.type} r${message.revision}: ${checked.ok ? '' : checked.error}`);
    }
    controller.dispose();
  });
});
