// patchBetween: for any two views of one heap, the patch it finds applied to the first gives the
// second exactly; it finds one for steps of a history (near or far apart) and declines for views
// of different heaps or with ownership scans.
import * as assert from 'node:assert/strict';
import { applyViewPatch } from '../../../core/protocol/applyViewPatch';
import { patchBetween } from '../../../core/protocol/patchBetween';
import { type HeapViewModel, blockLeafStarts } from '../../../core/protocol/viewModel';
import { buildViewModel } from '../../../extension/panel/buildViewModel';
import { SimulatedHeap } from '../../../extension/simulation/simulatedHeap';
import { Random } from '../../support/random';

function simulated(size: bigint, orders: number, seed: number, operations: number): SimulatedHeap {
  const created = SimulatedHeap.create({ base: 0x2000_0000n, size, orders, pointerWidth: 4, endianness: 'little' });
  assert.ok(created.ok);
  const sim = created.simulated;
  const random = new Random(seed);
  for (let i = 0; i < operations; i++) {
    const live = sim.heap.liveAllocations();
    if (live.length > 0 && random.chance(0.4)) sim.freeAt(random.pick(live).offset);
    else
      sim.allocate(
        BigInt(random.int(1, Number(size) / 16)),
        1n << BigInt(random.int(0, 4)),
        random.chance(0.7) ? random.pick(['a', 'b', 'c', 'd']) : undefined,
      );
  }
  return sim;
}

function viewAt(sim: SimulatedHeap, step: number): HeapViewModel {
  assert.ok(sim.stepTo(step));
  const shown = sim.state.shown;
  return buildViewModel(shown.view, shown.allocations);
}

describe('patchBetween', () => {
  it('turns any step of a history into any other, exactly', () => {
    const sim = simulated(0x1_0000n, 12, 5, 300);
    const random = new Random(9);
    let patched = 0;
    for (let k = 0; k < 150; k++) {
      const from = random.int(0, 300);
      const to = random.chance(0.5) ? Math.min(300, from + random.int(1, 3)) : random.int(0, 300);
      const before = viewAt(sim, from);
      const after = viewAt(sim, to);
      const patch = patchBetween(before, after);
      if (!patch) continue;
      patched++;
      const outcome = applyViewPatch(before, blockLeafStarts(before.blocks.codes, before.blocks.count), patch);
      assert.ok(outcome.ok, outcome.ok ? '' : outcome.error);
      assert.deepStrictEqual(outcome.patched.view, after, `step ${from} → ${to}`);
    }
    assert.ok(patched > 100, `${patched} of 150 pairs had a patch`);
  });

  it('a neighbouring step is a small patch', () => {
    const sim = simulated(0x10_0000n, 17, 2, 400);
    const before = viewAt(sim, 399);
    const after = viewAt(sim, 400);
    const patch = patchBetween(before, after);
    assert.ok(patch);
    assert.ok(patch.codes.length < before.blocks.count / 4, `${patch.codes.length} of ${before.blocks.count} blocks sent`);
  });

  it('a view to itself (a stop that changed nothing) is the patch the walk finds between equal copies', () => {
    const sim = simulated(0x1_0000n, 12, 7, 120);
    for (const step of [0, 1, 40, 120]) {
      const view = viewAt(sim, step);
      const itself = patchBetween(view, view);
      assert.ok(itself);
      // The same views as two objects take the general walk.
      assert.deepStrictEqual(itself, patchBetween(structuredClone(view), view), `step ${step}`);
      const outcome = applyViewPatch(view, blockLeafStarts(view.blocks.codes, view.blocks.count), itself);
      assert.ok(outcome.ok, outcome.ok ? '' : outcome.error);
      assert.deepStrictEqual(outcome.patched.view, view);
    }
  });

  it('declines views of different heaps', () => {
    const a = viewAt(simulated(0x1_0000n, 12, 1, 20), 20);
    const b = viewAt(simulated(0x2_0000n, 13, 1, 20), 20);
    assert.equal(patchBetween(a, b), undefined);
  });
});
