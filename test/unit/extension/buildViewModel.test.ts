// From a decoded view to the wire model: blocks tile the heap, allocated spans split into the
// known allocations with owners, next words encoded, findings' addresses in hex.
import * as assert from 'node:assert/strict';
import { decodeHeap } from '../../../core/decoder/decode';
import { BuddyHeap } from '../../../core/model/buddyHeap';
import { validateToWebview } from '../../../core/protocol/validate';
import {
  NEXT_NULL,
  NEXT_RAW,
  NEXT_UNREADABLE,
  PARENT_NONE,
  PARENT_ROOT,
  codeOrder,
  codeState,
  nextOf,
} from '../../../core/protocol/viewModel';
import { buildViewModel } from '../../../extension/panel/buildViewModel';
import { HeapIndex } from '../../../webview/model/heapIndex';
import { snapshotOfModel } from '../../../extension/panel/modelView';
import { snapshotOf } from '../decoder/heapFixtures';
import { STATICS, Target, typedStatic } from '../ownership/ownershipFixtures';

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

describe('view model builder: a heap scanned for ownership', () => {
  /** a owned by app::A, b through a's word +8, c a leak: each alone in its span. */
  function scanned() {
    const t = Target.of(4, 'little');
    const [a, b, c] = t.allocApart(64, 32, 128);
    t.put(STATICS, a!);
    t.put(a! + 8n, b!);
    const result = t.scan([typedStatic('app::A', STATICS, [''], 4)]);
    const view = decodeHeap(snapshotOf(t.heap));
    return { t, a: a!, b: b!, c: c!, result, model: buildViewModel(view, [], { result }) };
  }
  /** The allocation whose block starts at `address`, or -1: the panel's own lookup (webview/model). */
  const allocationAt = (model: ReturnType<typeof buildViewModel>, address: bigint) =>
    new HeapIndex(model).allocationAt(Number(address - BigInt(model.layout.base)));

  it('makes the scan’s blocks the allocations, owned by their roots, with chains, referrers and leak findings', () => {
    const { a, b, c, result, model } = scanned();
    const o = model.ownership!;
    assert.equal(model.allocations.count, result.blockCount);
    const [ia, ib, ic] = [a, b, c].map(x => allocationAt(model, x));
    assert.ok(ia! >= 0 && ib! >= 0 && ic! >= 0);
    const label = (i: number) => model.ownerLabels[model.blocks.owners[model.allocations.blocks[i]!]! - 1];
    assert.deepEqual([label(ia!), label(ib!), model.blocks.owners[model.allocations.blocks[ic!]!]], ['app::A', 'app::A', 0]);
    assert.deepEqual([o.parent[ia!], o.parent[ib!], o.parent[ic!]], [PARENT_ROOT, ia, PARENT_NONE]);
    assert.equal(o.parentWord[ib!], 8);
    assert.equal(o.paths[o.rootPath[ib!]!], 'app::A');
    assert.deepEqual([o.referrerTotal[ib!], o.referrerBlock[o.referrerStart[ib!]!], o.referrerWord[o.referrerStart[ib!]!]], [1, ia, 8]);
    assert.deepEqual([o.leakStops[ia!], o.leakStops[ic!]], [0, 1]);
    assert.equal(o.summary.leakCount, 1);
    assert.ok(model.findings.some(f => f.kind === 'PossibleLeak' && f.address === `0x${c.toString(16)}`));
    assert.deepEqual(validateToWebview({ type: 'update', revision: 1, view: model }), {
      ok: true,
      value: { type: 'update', revision: 1, view: model },
    });
  });

  it('is refused by the validator when a column does not line up or points nowhere', () => {
    const { model } = scanned();
    const o = model.ownership!;
    const broken = [
      { ...o, parent: Int32Array.from(o.parent, (p, i) => (i === 0 ? model.allocations.count : p)) },
      { ...o, confidence: o.confidence.subarray(1) },
      { ...o, referrerBlock: Int32Array.from(o.referrerBlock, () => 99) },
      { ...o, rootPath: Uint32Array.from(o.rootPath, () => 99) },
    ];
    for (const ownership of broken) {
      const checked = validateToWebview({ type: 'update', revision: 1, view: { ...model, ownership } });
      assert.equal(checked.ok, false, JSON.stringify(Object.keys(ownership)));
    }
  });
});
