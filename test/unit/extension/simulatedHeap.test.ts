// The simulated heap: operations, history stepping, undo-like truncation, failure
// explanations, and an exported trace that the trace replayer reproduces exactly.
import * as assert from 'node:assert/strict';
import { hex } from '../../../core/layout';
import { parseTrace } from '../../../core/trace/parse';
import { replayTrace } from '../../../core/trace/replay';
import { SimulatedHeap } from '../../../extension/simulation/simulatedHeap';
import type { SourceChange } from '../../../extension/panel/panelSource';

const LAYOUT = { base: 0x2000_0000n, size: 0x1_0000n, orders: 12, pointerWidth: 4 as const, endianness: 'little' as const };

function session(layout = LAYOUT): SimulatedHeap {
  const created = SimulatedHeap.create(layout);
  assert.ok(created.ok);
  return created.simulated;
}

function freeLists(s: SimulatedHeap): string[][] {
  const heap = s.heap;
  return heap.freeLists().map(list => list.map(offset => hex(heap.address(offset))));
}

describe('simulated heap', () => {
  it('refuses an invalid layout with the seed error', () => {
    assert.deepEqual(SimulatedHeap.create({ ...LAYOUT, base: 0x2000_0010n }), { ok: false, error: 'BadBaseAlignment' });
  });

  it('a free outside the heap names the address the user gave, and changes nothing', () => {
    const s = session();
    assert.ok(s.allocate(64n, 8n).ok);
    for (const address of [0x10n, 0x1fff_fff0n, 0x2001_0000n, 0xffff_8000_0000_0000n]) {
      const result = s.free(address, 64n, 8n);
      assert.equal(result.ok, false);
      assert.ok(!result.ok && result.message.includes(hex(address)), `${hex(address)}: ${result.ok ? '' : result.message}`);
    }
    assert.equal(s.heap.liveAllocations().length, 1);
    assert.deepEqual(freeLists(s)[1], ['0x20000040']);
  });

  it('allocates, frees and records each step with its split or merge', () => {
    const s = session();
    const a = s.allocate(64n, 8n, 'net/rx');
    assert.ok(a.ok);
    assert.equal(hex(a.address), '0x20000000');
    const history = s.history();
    assert.equal(history.total, 2);
    assert.equal(history.entry(1).text, 'alloc 64 8 owner=net/rx');
    assert.match(history.entry(1).detail, /0x20000000: 64 B block, order 1, split a 64 KiB block \(order 11\)/);
    assert.deepEqual(history.entry(1).changes, [
      { kind: 'new', offset: 0, order: 1 },
      { kind: 'split', offset: 0, order: 11 },
    ]);
    assert.deepEqual(s.free(a.address, 64n, 8n), { ok: true });
    assert.match(s.history().entry(2).detail, /freed 64 B of net\/rx, merged into a 64 KiB block at 0x20000000 \(order 11\)/);
    assert.deepEqual(freeLists(s)[11], ['0x20000000']);
  });

  it('records rejected frees too (they replay to the same error) and says why', () => {
    const s = session();
    const changes: SourceChange[] = [];
    s.onDidChange(c => changes.push(c));
    const result = s.free(0x2000_0040n, 64n, 8n);
    assert.equal(result.ok, false);
    assert.equal(s.history().total, 2);
    assert.equal(s.history().entry(1).ok, false);
    assert.match(changes[0]!.notice!.message, /0x20000040 is not the start of an allocated block/);
  });

  it('steps back and forth; a new operation after stepping back drops the later steps', () => {
    const s = session();
    s.allocate(64n, 8n);
    s.allocate(128n, 8n);
    s.allocate(256n, 8n);
    const atEnd = freeLists(s);
    assert.equal(s.stepTo(1), true);
    assert.equal(s.current().allocations.length, 1);
    assert.equal(s.stepTo(3), true);
    assert.deepEqual(freeLists(s), atEnd);
    assert.equal(s.stepTo(7), false);
    s.stepTo(1);
    s.allocate(32n, 8n);
    assert.equal(s.history().total, 3);
    assert.equal(s.history().entry(2).text, 'alloc 32 8');
  });

  it('steps across checkpoints to the same state as replaying from the start', () => {
    const s = session();
    const addresses: bigint[] = [];
    for (let i = 0; i < 40; i++) {
      const r = s.allocate(BigInt(16 + (i % 7) * 24), 8n, `t${i % 3}`);
      if (r.ok) addresses.push(r.address);
      if (i % 3 === 2) {
        const victim = addresses.splice(i % addresses.length, 1)[0]!;
        const allocation = s.heap.allocationAt(Number(victim - LAYOUT.base))!;
        s.free(victim, allocation.size, allocation.align);
      }
    }
    const total = s.history().total;
    const lists: string[][][] = [];
    for (let step = 0; step < total; step++) {
      s.stepTo(step);
      lists.push(freeLists(s));
    }
    for (let step = total - 1; step >= 0; step -= 5) {
      s.stepTo(step);
      assert.deepEqual(freeLists(s), lists[step], `step ${step}`);
    }
  });

  it('decodes each step through the decoder (the view a device would give)', () => {
    const s = session();
    s.allocate(64n, 8n, 'net/rx');
    const { view, allocations } = s.current();
    assert.equal(view.findings.length, 0);
    assert.equal(view.stats.freeBytes, 0x1_0000 - 64);
    assert.equal(allocations[0]!.owner, 'net/rx');
    assert.ok(s.viewAt(0));
    assert.equal(s.viewAt(0)!.stats.freeBytes, 0x1_0000);
    assert.equal(s.viewAt(5), undefined);
  });

  it('exports a trace that the replayer reproduces: same addresses and free lists', () => {
    const s = session();
    const a = s.allocate(64n, 8n, 'net/rx');
    s.allocate(300n, 16n, 'task:logger');
    s.allocate(1n << 20n, 8n); // fails: too large, still exported
    assert.ok(a.ok);
    s.free(a.address, 64n, 8n);
    s.allocate(4096n, 4096n, 'fs');
    const text = s.exportTrace();
    assert.match(text, /^# Exported by Buddy Heap Debugger/);
    assert.match(text, /heap 65536 orders=12 base=0x20000000 ptr=4 endian=little\n/);
    const results = replayTrace(parseTrace(text));
    const dump = results[results.length - 1] as { op: 'dump'; freeLists: string[][] };
    assert.equal(dump.op, 'dump');
    assert.deepEqual(dump.freeLists, freeLists(s));
    const allocs = results.filter(r => r.op === 'alloc');
    assert.deepEqual(
      allocs.map(r => (r.ok ? r.address : r.error)),
      ['0x20000000', '0x20000200', 'InvalidSize(TooLarge)', '0x20001000'],
    );
  });

  it('applies a replayed trace in one change, showing the last step or the first', () => {
    const s = session();
    const changes: SourceChange[] = [];
    s.onDidChange(c => changes.push(c));
    const { applied, failed } = s.applyAll(
      [
        { kind: 'alloc', size: 64n, align: 8n },
        { kind: 'alloc', size: 64n, align: 8n },
        { kind: 'free', address: 0x2000_0000n, size: 64n, align: 8n },
        { kind: 'free', address: 0x2000_0000n, size: 64n, align: 8n },
      ],
      'first',
    );
    assert.deepEqual({ applied, failed }, { applied: 4, failed: 1 });
    assert.equal(changes.length, 1);
    assert.equal(s.history().current, 0);
    assert.equal(s.history().total, 5);
    assert.match(s.history().entry(4).detail, /DoubleFree/);
  });

  it('resets to one free block and an empty history', () => {
    const s = session();
    s.allocate(64n, 8n);
    s.reset();
    assert.equal(s.history().total, 1);
    assert.deepEqual(freeLists(s)[11], ['0x20000000']);
    assert.equal(
      s
        .exportTrace()
        .split('\n')
        .filter(l => l.startsWith('alloc')).length,
      0,
    );
  });
});

describe('simulated heap history memory', () => {
  it('keeps a bounded number of checkpoints over a long history and still steps exactly', () => {
    const s = session({ ...LAYOUT, size: 1n << 22n, orders: 16 });
    const live: bigint[] = [];
    let seed = 7;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    for (let i = 0; i < 3000; i++) {
      if (live.length > 0 && random() < 0.45) s.free(live.splice(Math.floor(random() * live.length), 1)[0]!, 64n, 8n);
      else {
        const r = s.allocate(64n, 8n);
        if (r.ok) live.push(r.address);
      }
    }
    const checkpoints = (s as unknown as { checkpoints: Map<number, unknown> }).checkpoints;
    assert.ok(checkpoints.size <= 64, `${checkpoints.size} checkpoints`);
    const final = freeLists(s);
    s.stepTo(1234);
    const middle = freeLists(s);
    s.stepTo(3000);
    assert.deepEqual(freeLists(s), final);
    s.stepTo(1234);
    assert.deepEqual(freeLists(s), middle);
  });
});
