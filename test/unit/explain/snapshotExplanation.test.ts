// One explanation for both sides: a heap rebuilt from a live snapshot explains a failed request
// exactly as the model that produced those bytes does, and owners known outside the model (e.g.
// from the ownership analysis) are named for the blocks in the way.
import * as assert from 'node:assert/strict';
import { explainAllocationFailure } from '../../../core/explain/allocationFailure';
import { heapFromSnapshot } from '../../../core/explain/heapFromSnapshot';
import { adapterSends, liveFixture, stopped } from '../live/liveFixture';

async function fragmentedDevice() {
  const f = liveFixture(64 * 1024);
  const leaves: number[] = [];
  for (let i = 0; i < (64 * 1024) / 64; i++) leaves.push(f.heap.allocateLeaf(64, 64));
  // Keep every eighth block: 512-byte regions each hold one allocation, so 512 bytes never merge.
  leaves.forEach((_, i) => {
    if (i % 8 !== 3) {
      const freed = f.heap.deallocate(i * 64, 64n, 64n);
      assert.ok(freed.ok);
    }
  });
  f.remap();
  adapterSends(f.source, stopped());
  await f.source.idle();
  const latest = f.source.latestRead;
  assert.ok(latest, 'the stop was read');
  return { f, latest };
}

describe('allocation failure explained on a device snapshot', () => {
  it('the rebuilt heap gives the same error, largest block and blocks in the way as the model', async () => {
    const { f, latest } = await fragmentedDevice();
    const rebuilt = heapFromSnapshot(latest.snapshot, latest.view);
    assert.ok(rebuilt.ok, rebuilt.ok ? '' : rebuilt.message);
    for (const [size, align] of [
      [512n, 8n],
      [128n * 1024n, 8n],
      [64n, 24n],
    ] as const) {
      const onDevice = explainAllocationFailure(rebuilt.heap, size, align);
      const onModel = explainAllocationFailure(f.heap, size, align);
      assert.deepEqual(onDevice, onModel, `alloc(${size}, ${align})`);
    }
    const fragmented = explainAllocationFailure(rebuilt.heap, 512n, 8n);
    assert.equal(fragmented.kind, 'Fragmented');
    assert.equal(fragmented.error, 'HeapExhausted');
    assert.equal(fragmented.largestFreeBytes, f.heap.largestFreeBlock());
    assert.equal(fragmented.freeBytes, f.heap.freeBytes());
    const model = f.heap.allocate(512n, 8n);
    assert.ok(!model.ok && model.error === fragmented.error, 'the model itself refuses with that error');
    assert.equal(fragmented.blocksInTheWay.length, 1);
    const [inTheWay] = fragmented.blocksInTheWay;
    assert.ok(f.heap.allocationAt(inTheWay!.offset), 'the named block is allocated in the model');
    assert.equal(inTheWay!.address, f.heap.address(inTheWay!.offset));
  });

  it('names owners given from outside the model, and says what each error is', async () => {
    const { latest } = await fragmentedDevice();
    const rebuilt = heapFromSnapshot(latest.snapshot, latest.view);
    assert.ok(rebuilt.ok);
    const owned = explainAllocationFailure(rebuilt.heap, 512n, 8n, address => `rx_buffers[${address & 0xfffn}]`);
    const [block] = owned.blocksInTheWay;
    assert.equal(block!.owner, `rx_buffers[${block!.address & 0xfffn}]`);
    assert.ok(owned.notice.message.includes(block!.owner!), owned.notice.message);
    assert.match(owned.notice.message, /freeing them would let it merge back into one 512 B block/);
    assert.equal(explainAllocationFailure(rebuilt.heap, 128n * 1024n, 8n).error, 'InvalidSize(TooLarge)');
    assert.equal(explainAllocationFailure(rebuilt.heap, 64n, 24n).error, 'InvalidSize(BadAlignment)');
  });

  it('refuses a snapshot the model cannot know, with the reason', async () => {
    const { latest } = await fragmentedDevice();
    const finding = { kind: 'Cycle', severity: 'error', message: 'cycle in free list 2' } as const;
    const corrupt: typeof latest.view = { ...latest.view, findings: [finding] };
    const refused = heapFromSnapshot(latest.snapshot, corrupt);
    assert.ok(!refused.ok);
    assert.equal(refused.error, 'CorruptHeap');
    assert.match(refused.message, /cycle in free list 2/);
  });
});
