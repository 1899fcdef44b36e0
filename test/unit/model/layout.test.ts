import * as assert from 'node:assert/strict';
import { HEAP_ERROR_EXPLANATIONS, type HeapLayout, formatBytes, validateLayout } from '../../../core/layout';
import { BuddyHeap } from '../../../core/model/buddyHeap';
import { parseNumber } from '../../../core/numbers';

const ok: HeapLayout = { base: 0x2000_0000n, size: 0x1_0000n, orders: 12, pointerWidth: 4, endianness: 'little' };

describe('layout validation (Heap::new)', () => {
  it('accepts the default embedded layout', () => assert.equal(validateLayout(ok), undefined));

  it('reports the seed errors in the seed order', () => {
    // Several faults at once: the first check in Heap::new wins.
    assert.equal(validateLayout({ ...ok, base: 0x2000_0010n, size: 0x1_0001n }), 'BadBaseAlignment');
    assert.equal(validateLayout({ ...ok, size: 24n, orders: 4 }), 'MinBlockTooSmall'); // 24 >> 3 = 3 < 4, and 24 is not a power of two
    assert.equal(validateLayout({ ...ok, size: 0x1_8000n }), 'BadSizeAlignment');
    // BadHeapSize (size < size >> (N-1)) cannot fire for any size: it is kept for fidelity only.
    assert.equal(validateLayout({ ...ok, size: 16n, orders: 4, pointerWidth: 8 }), 'MinBlockTooSmall');
    assert.equal(validateLayout({ ...ok, size: 32n, orders: 4, pointerWidth: 4 }), undefined);
  });

  it('checks what the type system checks for the crate: N, the address space, a null base', () => {
    assert.equal(validateLayout({ ...ok, orders: 0 }), 'BadOrders');
    assert.equal(validateLayout({ ...ok, orders: 33 }), 'BadOrders');
    assert.equal(validateLayout({ ...ok, base: 0xffff_f000n, size: 0x2000n }), 'AddressOverflow');
    assert.equal(validateLayout({ ...ok, base: 0xffff_e000n, size: 0x2000n }), undefined, 'a heap ending exactly at 2^32 fits');
    assert.equal(validateLayout({ ...ok, base: 0n }), 'NullBase');
    for (const error of ['BadBaseAlignment', 'BadHeapSize', 'MinBlockTooSmall', 'BadSizeAlignment', 'AddressOverflow'] as const) {
      assert.ok(HEAP_ERROR_EXPLANATIONS[error].length > 20, `${error} is explained in words`);
    }
  });

  it('keeps every bit of a 64-bit kernel heap address', () => {
    const kernel: HeapLayout = { base: 0xffff_8000_0000_0000n, size: 1n << 20n, orders: 16, pointerWidth: 8, endianness: 'little' };
    const created = BuddyHeap.create(kernel);
    assert.ok(created.ok);
    const heap = created.heap;
    // 1 MiB >> 15 = 32-byte minimum blocks.
    const a = heap.allocate(16, 16);
    const b = heap.allocate(16, 16);
    const c = heap.allocate(16, 16); // splits 64@64: 32@96 goes on list 0
    assert.ok(a.ok && b.ok && c.ok);
    assert.deepEqual([heap.address(b.offset), heap.address(c.offset)], [0xffff_8000_0000_0020n, 0xffff_8000_0000_0040n]);
    assert.ok(heap.deallocate(a.offset, 16, 16).ok); // its buddy b is allocated: a heads list 0
    assert.deepEqual(heap.freeList(0), [0, 96]);
    assert.equal(heap.structFields().freeLists[0], 0xffff_8000_0000_0000n);
    assert.equal(heap.image.readWord(0), 0xffff_8000_0000_0060n, 'the next word holds the full 64-bit address');
    assert.deepEqual([...heap.image.read(0, 8)!], [0x60, 0, 0, 0, 0, 0x80, 0xff, 0xff]);
    assert.equal(heap.image.readWord(96), 0n, 'the last block of a list points to null');
  });

  it('parses the numbers users type', () => {
    assert.equal(parseNumber('64'), 64n);
    assert.equal(parseNumber('0x40'), 64n);
    assert.equal(parseNumber('1k'), 1024n);
    assert.equal(parseNumber('4 KiB'), 4096n);
    assert.equal(parseNumber('2M'), 2n << 20n);
    assert.equal(parseNumber('0xffff_8000_0000_0000'), 0xffff_8000_0000_0000n);
    assert.equal(parseNumber('12q'), undefined);
    assert.equal(parseNumber(''), undefined);
    assert.equal(formatBytes(65536), '64 KiB');
    assert.equal(formatBytes(48), '48 B');
  });
});
