// A simulated heap's operations reach the webview as patches and history tails; applied to what the
// webview holds they must give exactly the view, history and diff that building everything from a
// decode of the heap gives. Random operations (with refusals, owners coming and going, stepping
// back and going on from there) on a few layouts, checked after every message.
import * as assert from 'node:assert/strict';
import { applyHistoryTail } from '../../../core/protocol/applyHistoryTail';
import { applyViewPatch } from '../../../core/protocol/applyViewPatch';
import type { ToWebviewMessage } from '../../../core/protocol/messages';
import { validateToWebview } from '../../../core/protocol/validate';
import { type HeapViewModel, type WireDiff, type WireHistory, blockLeafStarts } from '../../../core/protocol/viewModel';
import type { HeapLayout } from '../../../core/layout';
import { buildViewModel } from '../../../extension/panel/buildViewModel';
import { PanelController, wireDiff, wireHistory } from '../../../extension/panel/panelController';
import type { SourceState } from '../../../extension/panel/panelSource';
import { SimulatedHeap } from '../../../extension/simulation/simulatedHeap';
import { Random } from '../../support/random';

/** What the webview holds, kept as heap-app keeps it. */
class HeldState {
  view!: HeapViewModel;
  leafStart!: Float64Array;
  history!: WireHistory;
  diff: WireDiff | null = null;
  patches = 0;
  tails = 0;

  receive(message: ToWebviewMessage): void {
    const checked = validateToWebview(message);
    assert.ok(checked.ok, checked.ok ? '' : checked.error);
    if (message.type === 'init') {
      this.hold(message.view);
      this.history = message.history;
      this.diff = message.diff;
      return;
    }
    if (message.view) this.hold(message.view);
    if (message.patch) {
      // In place, as the webview applies them (what it held before is used up).
      const outcome = applyViewPatch(this.view, this.leafStart, message.patch, true);
      assert.ok(outcome.ok, outcome.ok ? '' : outcome.error);
      this.view = outcome.patched.view;
      this.leafStart = outcome.patched.leafStart;
      this.patches++;
    }
    if (message.history) this.history = message.history;
    if (message.historyTail) {
      const outcome = applyHistoryTail(this.history, message.historyTail);
      assert.ok(outcome.ok, outcome.ok ? '' : outcome.error);
      this.history = outcome.history;
      this.tails++;
    }
    if (message.diff !== undefined) this.diff = message.diff;
  }

  private hold(view: HeapViewModel): void {
    this.view = view;
    this.leafStart = blockLeafStarts(view.blocks.codes, view.blocks.count);
  }
}

/** The state with nothing the source followed incrementally: every part built from decoded views. */
function fromScratch(state: SourceState): SourceState {
  return { source: state.source, shown: state.shown, history: state.history, viewAt: s => state.viewAt(s), stepDiff: () => undefined };
}

function exercise(layout: HeapLayout, seed: number, operations: number): HeldState {
  const created = SimulatedHeap.create(layout);
  assert.ok(created.ok);
  const sim = created.simulated;
  const held = new HeldState();
  const controller = new PanelController(sim, { post: m => held.receive(m), log: m => assert.fail(m), runCommand: () => undefined });
  controller.receive({ type: 'ready', protocol: 1 });
  const random = new Random(seed);
  const owners = ['dma', 'net/rx', 'net/tx', 'task:logger', 'zz'];
  const maxSize = Number(layout.size) / 8;
  for (let i = 0; i < operations; i++) {
    const live = sim.heap.liveAllocations();
    const roll = random.next();
    if (roll < 0.05 && sim.history().total > 2) {
      controller.receive({ type: 'stepTo', step: random.int(0, sim.history().total - 1) });
    } else if (roll < 0.08) {
      sim.allocate(BigInt(layout.size) * 2n, 8n); // refused: too large
    } else if (roll < 0.1 && live.length > 0) {
      const a = random.pick(live);
      sim.free(sim.heap.address(a.offset), a.size + 1n, a.align); // refused: wrong layout
    } else if (live.length > 0 && (roll < 0.45 || sim.heap.freeBytes() < maxSize)) {
      const a = random.pick(live);
      controller.receive({ type: 'freeBlock', offset: a.offset });
    } else {
      const size = BigInt(random.int(1, random.chance(0.8) ? 64 : maxSize));
      const align = 1n << BigInt(random.int(0, 6));
      sim.allocate(size, align, random.chance(0.7) ? random.pick(owners) : undefined);
    }
    const state = sim.state;
    assert.deepStrictEqual(held.view, buildViewModel(state.shown.view, state.shown.allocations), `view after operation ${i}`);
    assert.deepStrictEqual(held.history, wireHistory(state.history), `history after operation ${i}`);
    assert.deepStrictEqual(held.diff, wireDiff(fromScratch(state), null), `diff after operation ${i}`);
  }
  controller.dispose();
  return held;
}

describe('incremental simulated views', function () {
  this.timeout(30_000);
  it('patches and tails equal the views built from scratch (4-byte pointers, little endian)', () => {
    const held = exercise({ base: 0x2000_0000n, size: 0x1_0000n, orders: 12, pointerWidth: 4, endianness: 'little' }, 1, 400);
    assert.ok(held.patches > 200, `${held.patches} operations were sent as patches`);
    assert.ok(held.tails > 200, `${held.tails} history changes were sent as tails`);
  });

  it('patches and tails equal the views built from scratch (8-byte pointers, big endian, a long history)', () => {
    const held = exercise({ base: 0xffff_8000_0000_0000n, size: 0x4000n, orders: 10, pointerWidth: 8, endianness: 'big' }, 7, 700);
    assert.ok(held.patches > 350 && held.tails > 350);
  });

  it('a heap of one order is patched too', () => {
    exercise({ base: 0x1000n, size: 0x10n, orders: 1, pointerWidth: 4, endianness: 'little' }, 3, 50);
  });

  it('a patch that does not fit the view held is refused with the reason', () => {
    const created = SimulatedHeap.create({ base: 0x2000_0000n, size: 0x1000n, orders: 9, pointerWidth: 4, endianness: 'little' });
    assert.ok(created.ok);
    const sim = created.simulated;
    const held = new HeldState();
    const controller = new PanelController(sim, { post: m => held.receive(m), log: () => undefined, runCommand: () => undefined });
    controller.receive({ type: 'ready', protocol: 1 });
    const stale = held.view;
    const staleStarts = held.leafStart;
    sim.allocate(64n, 8n);
    const posted = controller.sent[controller.sent.length - 1]!;
    assert.ok(posted.type === 'update' && posted.patch);
    // Applied twice: the second time the blocks it replaces are no longer there.
    const once = applyViewPatch(stale, staleStarts, posted.patch);
    assert.ok(once.ok);
    const twice = applyViewPatch(once.patched.view, once.patched.leafStart, posted.patch);
    assert.equal(twice.ok, false);
    assert.match(twice.ok ? '' : twice.error, /does not fit the view shown/);
    controller.dispose();
  });
});
