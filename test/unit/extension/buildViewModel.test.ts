// From a decoded view to the wire model: blocks tile the heap, allocated spans split into the
// known allocations with owners, next words encoded, findings' addresses in hex.
import * as assert from 'node:assert/strict';
import { decodeHeap } from '../../../core/decoder/decode';
import { BuddyHeap } from '../../../core/model/buddyHeap';
import { NEXT_NULL, NEXT_RAW, NEXT_UNREADABLE, codeOrder, codeState, nextOf } from '../../../core/protocol/viewModel';
import { buildViewModel } from '../../../extension/panel/buildViewModel';
import { snapshotOfModel } from '../../../extension/panel/modelView';

function heap(): BuddyHeap {
  const created = BuddyHeap.create({ base: 0x2000_0000n, size: 1024n, orders: 5, pointerWidth: 4, endianness: 'little' });
  assert.ok(created.ok);
  return created.heap;
}

describe('view model builder', () => {
  it('splits a decoded allocated span into the allocations, each with its owner', () => {
    const h = heap();
    h.allocate(64n, 8n, 'a');
    h.allocate(64n, 8n, 'b');
    const view = decodeHeap(snapshotOfModel(h));
    // The decoder cannot tell the two allocations apart: one 128 B allocated span.
    const model = buildViewModel(view, h.liveAllocations());
    const blocks = Array.from(model.blocks.codes, (c, i) => [codeOrder(c), codeState(c), model.blocks.owners[i]]);
    assert.deepEqual(blocks, [
      [0, 1, 1],
      [0, 1, 2],
      [1, 0, 0],
      [2, 0, 0],
      [3, 0, 0],
    ]);
    assert.deepEqual(model.ownerLabels, ['a', 'b']);
    assert.equal(model.allocations.count, 2);
    assert.deepEqual([...model.allocations.sizes], [64, 64]);
    assert.deepEqual([...model.allocations.blocks], [0, 1]);
    assert.deepEqual([...model.allocations.alignLog2], [3, 3]);
  });

  it('keeps the decoder spans as they are when no allocations are known (a live heap)', () => {
    const h = heap();
    h.allocate(64n, 8n);
    h.allocate(64n, 8n);
    const model = buildViewModel(decodeHeap(snapshotOfModel(h)), []);
    assert.equal(model.blocks.count, 4);
    assert.equal(codeOrder(model.blocks.codes[0]!), 1);
    assert.equal(model.allocations.count, 0);
  });

  it('encodes next words as offsets, null, unreadable (top order) or raw', () => {
    const h = heap();
    h.allocate(64n, 8n);
    h.allocate(64n, 8n);
    const model = buildViewModel(decodeHeap(snapshotOfModel(h)), h.liveAllocations());
    for (const list of model.freeLists) {
      for (let i = 0; i < list.offsets.length; i++) {
        const next = nextOf(list, i);
        // The word in memory, as the wire implies it.
        const word = h.image.readWord(list.offsets[i]!);
        if (list.order === 4) assert.equal(next, NEXT_UNREADABLE);
        else assert.equal(next, word === 0n ? NEXT_NULL : Number(word! - 0x2000_0000n));
      }
    }
    const fresh = heap();
    const top = buildViewModel(decodeHeap(snapshotOfModel(fresh)), []).freeLists[4]!;
    assert.equal(top.lastNext, NEXT_UNREADABLE, "the crate never reads the top block's next");
    // A next word pointing outside the heap arrives raw, with its hex.
    const corrupt = heap();
    corrupt.allocate(64n, 8n);
    corrupt.image.writeWord(64, 0xdead_beefn);
    const model2 = buildViewModel(decodeHeap(snapshotOfModel(corrupt)), []);
    const order0 = model2.freeLists[0]!;
    assert.equal(order0.lastNext, NEXT_RAW);
    assert.equal(order0.lastRaw, '0xdeadbeef');
    assert.ok(model2.findings.some(f => f.kind === 'NextOutOfHeap' && f.address !== undefined && /^0x/.test(f.address)));
  });
});
