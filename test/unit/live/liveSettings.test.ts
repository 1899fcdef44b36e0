// The buddyHeap.live.* settings: good entries pass with names, bad ones are dropped with a
// message that names the entry and the fix, bad scalars fall back to defaults.
import * as assert from 'node:assert/strict';
import { parseLiveSettings } from '../../../extension/live/liveSettings';
import { parseVariableTarget } from '../../../extension/live/variableArgument';

describe('live settings', () => {
  it('takes expression and address heaps, names them, defaults the rest', () => {
    const s = parseLiveSettings({
      heaps: [
        { name: 'main', expression: 'HEAP' },
        { expression: 'prog::ALLOCATOR.inner.value' },
        {
          name: 'raw',
          address: '0x20000004',
          orders: 12,
          pointerWidth: 4,
          offsets: { heapBase: 0, heapSize: 4, freeLists: 8, minBlockSize: 56, minBlockSizeLog2: 60 },
        },
      ],
    });
    assert.deepEqual(s.problems, []);
    assert.deepEqual(
      s.heaps.map(h => [h.name, h.source.kind]),
      [
        ['main', 'expression'],
        ['prog::ALLOCATOR.inner.value', 'expression'],
        ['raw', 'address'],
      ],
    );
    assert.deepEqual(s.read, { mode: 'auto', maxChunkBytes: 4096, endianness: 'little' });
    assert.equal(s.autoAttach, true);
  });

  it('says which entry is wrong and how to fix it', () => {
    const s = parseLiveSettings({
      heaps: [
        { name: 'a', address: '0x20000004', orders: 12, pointerWidth: 3, offsets: {} },
        { name: 'b', expression: '' },
        {
          name: 'c',
          address: '0x20000004',
          orders: 12,
          pointerWidth: 4,
          offsets: { heapBase: 0, heapSize: 2, freeLists: 8, minBlockSize: 56, minBlockSizeLog2: 60 },
        },
        { name: 'ok', expression: 'HEAP' },
        { name: 'ok', expression: 'HEAP2' },
      ],
      readMode: 'everything',
      maxChunkBytes: 0,
      endianness: 'middle',
      autoAttach: false,
    });
    assert.deepEqual(
      s.heaps.map(h => h.name),
      ['ok'],
    );
    assert.match(s.problems[0]!, /^buddyHeap\.live\.heaps\[0\] \("a"\) is ignored: "pointerWidth" must be 4 or 8, not 3/);
    assert.match(s.problems[1]!, /heaps\[1\] \("b"\) is ignored: "expression" must be a non-empty debugger expression/);
    assert.match(s.problems[2]!, /heaps\[2\] \("c"\) is ignored: .*heap_base \(\+0, 4 bytes\) overlaps heap_size/);
    assert.match(s.problems[3]!, /heaps\[4\] \("ok"\) is ignored: another heap is already named "ok"/);
    assert.match(s.problems[4]!, /readMode must be "auto", "full" or "sparse", not "everything"; using "auto"/);
    assert.match(s.problems[5]!, /maxChunkBytes must be a whole number of bytes from 16/);
    assert.match(s.problems[6]!, /endianness must be "little" or "big"/);
    assert.deepEqual(s.read, { mode: 'auto', maxChunkBytes: 4096, endianness: 'little' });
    assert.equal(s.autoAttach, false);
    assert.match(parseLiveSettings({ heaps: { expression: 'HEAP' } }).problems[0]!, /must be an array/);
  });

  it('takes orders and pointerWidth fallbacks for expression heaps; null means unset, bad values are said and ignored', () => {
    assert.deepEqual(parseLiveSettings({ orders: 12, pointerWidth: 4 }).read, {
      mode: 'auto',
      maxChunkBytes: 4096,
      endianness: 'little',
      orders: 12,
      pointerWidth: 4,
    });
    assert.deepEqual(parseLiveSettings({ orders: null, pointerWidth: null }), {
      heaps: [],
      read: { mode: 'auto', maxChunkBytes: 4096, endianness: 'little' },
      autoAttach: true,
      problems: [],
    });
    const bad = parseLiveSettings({ orders: 40, pointerWidth: '16' });
    assert.deepEqual(bad.read, { mode: 'auto', maxChunkBytes: 4096, endianness: 'little' });
    assert.deepEqual(bad.problems, [
      'buddyHeap.live.orders is ignored: "orders" (N, the number of free lists) must be 1 to 32, not 40; leave it empty (null) to rely on the debugger.',
      'buddyHeap.live.pointerWidth is ignored: "pointerWidth" must be 4 or 8, not "16"; leave it empty (null) to rely on the debugger.',
    ]);
    const entry = parseLiveSettings({ heaps: [{ name: 'k', expression: 'KERNEL_HEAP', orders: 20, pointerWidth: 8 }] }).heaps[0]!;
    assert.deepEqual(entry.source, { kind: 'expression', expression: 'KERNEL_HEAP', orders: 20, pointerWidth: 8 });
  });

  it('keeps the session fields of a heap and names the entry whose session fields are wrong', () => {
    const s = parseLiveSettings({
      heaps: [
        { name: 'fw', expression: 'HEAP', debugType: 'gdbtarget', program: '**/fw.elf' },
        { name: 'any', expression: 'HEAP' },
        { name: 'bad', expression: 'HEAP', sessionName: 3 },
      ],
    });
    assert.deepEqual(
      s.heaps.map(h => [h.name, h.sessions]),
      [
        ['fw', { debugTypes: ['gdbtarget'], program: '**/fw.elf' }],
        ['any', undefined],
      ],
    );
    assert.equal(s.problems.length, 1);
    assert.match(s.problems[0]!, /^buddyHeap\.live\.heaps\[2\] \("bad"\) is ignored: "sessionName" must be/);
  });
});

describe('variable menu argument', () => {
  it('reads a pointer value, an expression and a session, and rejects junk', () => {
    const t = parseVariableTarget({
      sessionId: 'abc',
      container: { name: 'Locals' },
      variable: {
        name: 'p',
        evaluateName: 'slots[3].p',
        value: '0x20001040 <heap_mem+64> ""',
        type: 'uint8_t *',
        memoryReference: '0x20000100',
      },
    });
    assert.deepEqual(t, {
      sessionId: 'abc',
      expression: 'slots[3].p',
      address: 0x20001040n,
      type: 'uint8_t *',
      value: '0x20001040 <heap_mem+64> ""',
    });
    const s = parseVariableTarget({ variable: { name: 'HEAP', value: '{...}', variablesReference: 7 } });
    assert.equal(s?.expression, 'HEAP');
    assert.equal(s?.address, undefined);
    assert.equal(parseVariableTarget('HEAP'), undefined);
    assert.equal(parseVariableTarget({ variable: 3 }), undefined);
  });
});
