// Why a simulated allocation failed, in words: too large, bad alignment, out of memory, or
// fragmented (enough free bytes but no block of the needed order) with the blocks in the way.
import * as assert from 'node:assert/strict';
import { SimulatedHeap } from '../../../extension/simulation/simulatedHeap';

function session(size = 1024n, orders = 5): SimulatedHeap {
  const created = SimulatedHeap.create({ base: 0x2000_0000n, size, orders, pointerWidth: 4, endianness: 'little' });
  assert.ok(created.ok);
  return created.simulated;
}

describe('allocation failure explanations', () => {
  it('too large for the heap', () => {
    const r = session().allocate(2048n, 8n);
    assert.ok(!r.ok);
    assert.equal(r.error, 'InvalidSize(TooLarge)');
    assert.match(r.notice.message, /rounds up to more than the whole heap \(1 KiB\)/);
  });

  it('bad alignment: not a power of two, or above 4096', () => {
    const r1 = session().allocate(64n, 24n);
    assert.ok(!r1.ok && r1.error === 'InvalidSize(BadAlignment)');
    assert.match(r1.notice.message, /alignment 24 is not a power of two/);
    const r2 = session().allocate(64n, 8192n);
    assert.ok(!r2.ok);
    assert.match(r2.notice.message, /alignment 8192 is above 4096 \(MIN_HEAP_ALIGN\)/);
  });

  it('exhausted: not enough free bytes at all', () => {
    const s = session();
    s.allocate(1024n, 8n);
    const r = s.allocate(64n, 8n);
    assert.ok(!r.ok && r.error === 'HeapExhausted');
    assert.equal(r.notice.title, 'HeapExhausted');
    assert.match(r.notice.message, /only 0 B of 1 KiB is free\. The heap is out of memory/);
  });

  it('fragmented: enough free bytes, no block of the order, and the allocations in the way', () => {
    const s = session();
    for (let i = 0; i < 16; i++) s.allocate(64n, 64n, i === 8 ? 'net/rx' : 'pin');
    for (let i = 0; i < 16; i++) if (i !== 0 && i !== 8) s.free(0x2000_0000n + BigInt(i * 64), 64n, 64n);
    const r = s.allocate(512n, 8n);
    assert.ok(!r.ok && r.error === 'HeapExhausted');
    assert.equal(r.notice.title, 'HeapExhausted (fragmentation)');
    assert.match(r.notice.message, /although 896 B is free: the heap is fragmented/);
    assert.match(r.notice.message, /The largest free block is 256 B/);
    assert.match(r.notice.message, /In the region at 0x20000000 the blocks standing in the way are 0x20000000 \(64 B, pin\)/);
    assert.deepEqual(r.notice.blocks, [{ offset: 0, order: 0 }]);
  });
});
