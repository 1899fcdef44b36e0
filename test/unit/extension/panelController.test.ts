// The host side of the panel without VS Code: the ready handshake, partial updates, intents,
// malformed messages, comparing steps, and switching to another heap source (the live seam).
import * as assert from 'node:assert/strict';
import type { InitMessage, ToWebviewMessage, UpdateMessage } from '../../../core/protocol/messages';
import { validateToWebview } from '../../../core/protocol/validate';
import { PanelController } from '../../../extension/panel/panelController';
import { SimulatedHeap } from '../../../extension/simulation/simulatedHeap';

function setup() {
  const created = SimulatedHeap.create({ base: 0x2000_0000n, size: 0x1_0000n, orders: 12, pointerWidth: 4, endianness: 'little' });
  assert.ok(created.ok);
  const session = created.simulated;
  const posted: ToWebviewMessage[] = [];
  const logs: string[] = [];
  const commands: string[] = [];
  const controller = new PanelController(session, { post: m => posted.push(m), log: m => logs.push(m), runCommand: c => commands.push(c) });
  return { session, controller, posted, logs, commands };
}

describe('panel controller', () => {
  it('sends nothing before ready, then the whole state as init', () => {
    const { session, controller, posted } = setup();
    session.allocate(64n, 8n, 'net/rx');
    assert.equal(posted.length, 0);
    controller.receive({ type: 'ready', protocol: 1 });
    assert.equal(posted.length, 1);
    const init = posted[0] as InitMessage;
    assert.equal(init.type, 'init');
    assert.equal(validateToWebview(init).ok, true);
    assert.equal(init.history.total, 2);
    assert.deepEqual(init.view.ownerLabels, ['net/rx']);
    assert.equal(init.diff!.count, 2, 'the allocation: a new block and the split');
  });

  it('sends only the changed parts after an operation, and a notice when it fails', () => {
    const { session, controller, posted } = setup();
    controller.receive({ type: 'ready', protocol: 1 });
    session.allocate(64n, 8n);
    const update = posted[1] as UpdateMessage;
    // The webview holds the view and history: the operation's patch and the history's tail suffice.
    assert.deepEqual(Object.keys(update).sort(), ['diff', 'historyTail', 'notice', 'patch', 'revision', 'type']);
    assert.ok(update.revision > posted[0]!.revision);
    session.allocate(1n << 20n, 8n);
    const failed = posted[2] as UpdateMessage;
    assert.equal(failed.view, undefined, 'a failed allocation changes no block');
    assert.equal(failed.notice!.title, 'InvalidSize(TooLarge)');
    for (const message of posted) assert.equal(validateToWebview(message).ok, true);
  });

  it('turns intents into source calls: step, free, select, command, dismiss', () => {
    const { session, controller, posted, commands } = setup();
    controller.receive({ type: 'ready', protocol: 1 });
    const a = session.allocate(64n, 8n);
    assert.ok(a.ok);
    controller.receive({ type: 'stepTo', step: 0 });
    assert.equal(session.history().current, 0);
    controller.receive({ type: 'stepTo', step: 1 });
    controller.receive({ type: 'freeBlock', offset: a.offset });
    assert.equal(session.heap.liveAllocations().length, 0);
    controller.receive({ type: 'selectBlock', offset: 64 });
    assert.equal(controller.selectedOffset, 64);
    controller.receive({ type: 'runCommand', command: 'exportTrace' });
    assert.deepEqual(commands, ['exportTrace']);
    session.allocate(1n << 20n, 8n);
    controller.receive({ type: 'dismissNotice' });
    controller.receive({ type: 'ready', protocol: 1 });
    const reinit = posted[posted.length - 1] as InitMessage;
    assert.equal(reinit.notice, null);
    assert.equal(reinit.selection, 64, 'a reloaded webview gets the selection back');
  });

  it('compares the shown step with any other step', () => {
    const { session, controller, posted } = setup();
    controller.receive({ type: 'ready', protocol: 1 });
    session.allocate(64n, 8n);
    session.allocate(64n, 8n);
    session.allocate(64n, 8n);
    controller.receive({ type: 'compareWith', step: 0 });
    const update = posted[posted.length - 1] as UpdateMessage;
    assert.equal(update.diff!.fromStep, 0);
    assert.equal(update.diff!.toStep, 3);
    assert.match(update.diff!.summary, /allocated/);
    controller.receive({ type: 'compareWith', step: null });
    assert.equal((posted[posted.length - 1] as UpdateMessage).diff!.fromStep, 2);
  });

  it('logs and drops malformed messages without throwing', () => {
    const { controller, logs, posted } = setup();
    for (const bad of [null, 42, { type: 'selectBlock', offset: 'x' }, { type: 'runCommand', command: 'rm -rf' }, { type: 'nope' }])
      controller.receive(bad);
    assert.equal(posted.length, 0);
    assert.equal(logs.length, 5);
    assert.match(logs[2]!, /rejected a message from the heap panel: selectBlock\.offset: expected a finite number/);
  });

  it('records what the webview reports rendering', () => {
    const { controller } = setup();
    const seen: number[] = [];
    controller.onDidRender(r => seen.push(r.revision));
    controller.receive({ type: 'rendered', revision: 7, step: 0, blocks: 1, freeBlocks: 1, findings: 0, selection: null, notice: null });
    assert.equal(controller.lastRendered?.blocks, 1);
    assert.deepEqual(seen, [7]);
  });

  it('shows another source in the same panel (the seam for live heaps)', () => {
    const { controller, posted } = setup();
    controller.receive({ type: 'ready', protocol: 1 });
    const other = SimulatedHeap.create({ base: 0x8000_0000n, size: 4096n, orders: 4, pointerWidth: 8, endianness: 'big' }, 'Another heap');
    assert.ok(other.ok);
    controller.setSource(other.simulated);
    const init = posted[posted.length - 1] as InitMessage;
    assert.equal(init.type, 'init');
    assert.equal(init.source.label, 'Another heap');
    assert.equal(init.view.layout.base, '0x80000000');
    other.simulated.allocate(8n, 8n);
    assert.equal(posted[posted.length - 1]!.type, 'update', 'follows the new source');
  });
});
