// Save → reopen through the real sources: what Save Heap Snapshot captures from a simulation or a
// live heap (fake gdb adapter), written and read back, shows the same history, views, findings and
// owners as the source it was saved from; a compare source of two files diffs across them.
import * as assert from 'node:assert/strict';
import { viewToJson } from '../../../core/cli/inspect';
import { materialized } from '../../../core/cli/prettyJson';
import type { DecodedHeapView } from '../../../core/decoder/types';
import { hex } from '../../../core/layout';
import { compareLeakSuspects } from '../../../core/ownership/compareLeaks';
import { encodeWord } from '../../../core/memory/byteImage';
import { readSnapshot } from '../../../core/snapshot/readSnapshot';
import { writeSnapshot } from '../../../core/snapshot/writeSnapshot';
import { DEFAULT_OWNERSHIP_SETTINGS, scanLiveOwnership } from '../../../extension/dap/ownership/liveOwnership';
import { wireDiff } from '../../../extension/panel/panelController';
import type { PanelSource } from '../../../extension/panel/panelSource';
import { SimulatedHeap } from '../../../extension/simulation/simulatedHeap';
import { captureSource } from '../../../extension/snapshots/captureSource';
import { SnapshotSource } from '../../../extension/snapshots/snapshotSource';
import { adapterSends, continued, liveFixture, stopped } from '../live/liveFixture';
import { LAYOUT } from '../snapshot/snapshotFixtures';

function reopened(source: PanelSource, scope: 'shown' | 'all'): SnapshotSource {
  const captured = captureSource(source, scope, { path: '/fw/fw.elf' });
  assert.ok(captured.ok, captured.ok ? '' : captured.message);
  return new SnapshotSource([{ name: 'saved.buddyheap', file: readSnapshot(writeSnapshot(captured.file)) }]);
}

/** Everything the panel shows of each step: history entry, statistics, decoded view (findings included), owners. */
function shownEverywhere(source: PanelSource): unknown[] {
  const out = [];
  const total = source.state.history.total;
  for (let step = 0; step < total; step++) {
    assert.ok(source.stepTo(step));
    const state = source.state;
    out.push({
      entry: state.history.entry(step),
      stats: state.history.stats(step),
      view: plainView(state.shown.view as DecodedHeapView),
      owners: state.shown.allocations.map(a => [a.offset, a.owner]),
    });
  }
  return out;
}

function simulation(): SimulatedHeap {
  const created = SimulatedHeap.create(LAYOUT);
  assert.ok(created.ok);
  const sim = created.simulated;
  const a = sim.allocate(100n, 8n, 'uart_rx');
  sim.allocate(4096n, 4096n, 'dma');
  assert.ok(a.ok);
  sim.free(a.address, 100n, 8n);
  sim.free(0x2000_9000n, 16n, 8n); // refused: recorded, and reopened as refused
  sim.allocate(32n, 32n, 'timer');
  return sim;
}

/** The view's JSON as a plain value (its arrays are streamed when printed). */
const plainView = (view: Parameters<typeof viewToJson>[0]) => materialized(viewToJson(view)) as Record<string, unknown>;

describe('save → reopen', () => {
  it('a simulation: the same history, views, findings and owners at every step', () => {
    const sim = simulation();
    sim.stepTo(3);
    const back = reopened(sim, 'all');
    assert.equal(back.state.history.current, 3, 'opens at the step shown when saved');
    assert.equal(back.state.source.canSimulate, false);
    const expected = shownEverywhere(sim);
    assert.deepEqual(shownEverywhere(back), expected);
    assert.ok(expected.some(s => (s as { owners: unknown[] }).owners.length > 0));
  });

  it('"this step" of a simulation keeps the operations up to it', () => {
    const sim = simulation();
    sim.stepTo(2);
    const back = reopened(sim, 'shown');
    assert.equal(back.state.history.total, 3);
    assert.deepEqual(plainView(back.state.shown.view as DecodedHeapView), plainView(sim.state.shown.view as DecodedHeapView));
  });

  for (const mode of ['sparse', 'full'] as const)
    it(`a live heap (${mode} reads): the same stops, views and findings, and only the bytes read`, async () => {
      const f = liveFixture(64 * 1024, mode);
      const stop = async () => {
        f.remap();
        adapterSends(f.source, continued);
        adapterSends(f.source, stopped());
        await f.source.idle();
      };
      await stop();
      const a = f.heap.allocate(100, 8);
      assert.ok(a.ok);
      await stop();
      f.heap.allocate(2048, 8);
      await stop();
      const captured = captureSource(f.source, 'all');
      assert.ok(captured.ok && captured.file.kind === 'live');
      assert.equal(captured.file.stops.length, 3);
      assert.equal(captured.file.stops[0]!.reason, 'function breakpoint');
      const kept = captured.file.stops.reduce((n, s) => n + s.memory.reduce((m, [, b]) => m + b.length, 0), 0);
      // Only what the reader fetched: a sparse read fetches the free blocks' words, a small part of the heap.
      if (mode === 'sparse') assert.ok(kept < (3 * 64 * 1024) / 10, `a sparse read keeps ${kept} bytes`);
      else assert.equal(kept, 3 * 64 * 1024);
      const back = reopened(f.source, 'all');
      const expected = shownEverywhere(f.source);
      assert.deepEqual(shownEverywhere(back), expected);
      const one = reopened(f.source, 'shown');
      assert.equal(one.state.history.total, 1);
    });

  it('a live heap with the ownership scan: the same owners, referrers and leak trend after reopening', async () => {
    const statics = 0x1000_0000n;
    const made: { fixture?: ReturnType<typeof liveFixture> } = {};
    const roots = [
      {
        kind: 'static' as const,
        label: 'app::HELD',
        address: statics,
        size: 8,
        slots: [
          { offset: 0, path: '[0]' },
          { offset: 4, path: '[1]' },
        ],
      },
    ];
    const f = (made.fixture = liveFixture(64 * 1024, 'sparse', {
      scan: (read, view, stop, signal) =>
        scanLiveOwnership(made.fixture!.session, { roots, stackTop: undefined }, read, view, stop, DEFAULT_OWNERSHIP_SETTINGS, signal),
    }));
    const held = new Uint8Array(8);
    const stop = async () => {
      f.remap();
      f.session.map(statics, held);
      f.session.registers = { r0: '0x0', sp: '0x30000000' };
      adapterSends(f.source, continued);
      adapterSends(f.source, stopped());
      await f.source.idle();
    };
    const kept = f.heap.allocate(100, 8);
    const lost = f.heap.allocate(3000, 8);
    assert.ok(kept.ok && lost.ok);
    held.set(encodeWord(f.heap.address(kept.offset), 4, true), 0);
    await stop();
    f.heap.allocate(500, 8);
    await stop();
    const back = reopened(f.source, 'all');
    const owners = (source: PanelSource) =>
      [0, 1].map(step => {
        assert.ok(source.stepTo(step));
        const o = source.state.shown.ownership;
        assert.ok(o, `step ${step} has the scan`);
        const r = o.result;
        return {
          blocks: Array.from({ length: r.blockCount }, (_, b) => [hex(r.address(b)), r.owner(b)?.path ?? null, r.referrerCount(b)]),
          leaks: r.leakSummary().count,
          trend: o.leaks?.summary,
          entry: source.state.history.entry(step).detail,
        };
      });
    const live = owners(f.source);
    assert.deepEqual(owners(back), live);
    assert.ok(live[0]!.blocks.some(([address, owner]) => address === hex(f.heap.address(kept.offset)) && owner === 'app::HELD[0]'));
    assert.ok(live[1]!.leaks >= 1 && /still unreached/.test(live[1]!.trend ?? ''), JSON.stringify(live[1]));

    // Compare across two files: the diff's summary says how the leak suspects moved between the two steps.
    const captured = captureSource(f.source, 'all');
    assert.ok(captured.ok);
    const file = readSnapshot(writeSnapshot(captured.file));
    const both = new SnapshotSource(
      [
        { name: 'boot.buddyheap', file },
        { name: 'later.buddyheap', file },
      ],
      3,
    );
    const diff = wireDiff(both.state, 0);
    assert.ok(diff);
    const expected = compareLeakSuspects(both.state.ownershipAt!(0)!, both.state.shown.ownership!.result);
    assert.ok(diff.summary.endsWith(expected.summary), diff.summary);
  });

  it('comparing two files diffs a step of one with a step of the other', () => {
    const sim = simulation();
    const captured = captureSource(sim, 'all');
    assert.ok(captured.ok);
    const file = readSnapshot(writeSnapshot(captured.file));
    const both = new SnapshotSource(
      [
        { name: 'a.buddyheap', file },
        { name: 'b.buddyheap', file },
      ],
      6 + 5,
    );
    assert.equal(both.state.history.total, 12);
    assert.match(both.state.history.entry(7).text, /^b\.buddyheap: /);
    const diff = wireDiff(both.state, both.globalStep(0, 1));
    assert.ok(diff && diff.count > 0, 'step 1 of a differs from step 5 of b');
    assert.equal(wireDiff(both.state, both.globalStep(0, 5))?.count, 0, 'the same step in both files: no change');
  });
});
