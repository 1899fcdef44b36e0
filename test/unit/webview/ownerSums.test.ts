// The panel's per-owner sums, carried across patches (webview/model/heapIndex.ts): after every
// patch of a random history they equal the sums counted afresh over the patched view.
import * as assert from 'node:assert/strict';
import { patchBetween } from '../../../core/protocol/patchBetween';
import type { HeapViewModel } from '../../../core/protocol/viewModel';
import { buildViewModel } from '../../../extension/panel/buildViewModel';
import { SimulatedHeap } from '../../../extension/simulation/simulatedHeap';
import { HeapIndex } from '../../../webview/model/heapIndex';
import { OwnerSums } from '../../../webview/model/ownerSums';
import { ownerTotals } from '../../../webview/model/ownerTotals';
import { Random } from '../../support/random';

const OWNERS = ['dma', 'net/rx', 'net/tx', 'log'];

function viewAt(sim: SimulatedHeap, step: number): HeapViewModel {
  assert.ok(sim.stepTo(step));
  return buildViewModel(sim.state.shown.view, sim.state.shown.allocations);
}

describe('OwnerSums across patches', () => {
  it('equals sums counted afresh after every patch of a random history', () => {
    const created = SimulatedHeap.create({ base: 0x2000_0000n, size: 0x1_0000n, orders: 12, pointerWidth: 4, endianness: 'little' });
    assert.ok(created.ok);
    const sim = created.simulated;
    const random = new Random(14);
    // Every owner label appears early: later patches keep the label set (a new label drops the sums).
    for (const owner of OWNERS) sim.allocate(16n, 8n, owner);
    for (let i = 0; i < 400; i++) {
      const live = sim.heap.liveAllocations();
      if (live.length > 0 && random.chance(0.45)) sim.freeAt(random.pick(live).offset);
      else sim.allocate(BigInt(random.int(1, 2048)), 1n << BigInt(random.int(0, 4)), random.chance(0.8) ? random.pick(OWNERS) : undefined);
    }
    const last = sim.history().total - 1;
    let index = new HeapIndex(viewAt(sim, OWNERS.length));
    index.ownerSums();
    let carried = 0;
    for (let step = OWNERS.length + 1; step <= last; step++) {
      const next = viewAt(sim, step);
      const patch = patchBetween(index.view, next);
      if (!patch) {
        index = new HeapIndex(next);
        index.ownerSums();
        continue;
      }
      const patched = index.patched(patch);
      assert.ok('index' in patched, 'error' in patched ? patched.error : '');
      index = patched.index;
      if (!patch.ownerLabels) carried++;
      assert.deepStrictEqual(index.ownerSums(), OwnerSums.of(next), `step ${step}`);
      assert.deepStrictEqual(ownerTotals(index), ownerTotals(new HeapIndex(next)), `step ${step}`);
    }
    assert.ok(carried > 300, `${carried} patches carried the sums`);
  });
});
