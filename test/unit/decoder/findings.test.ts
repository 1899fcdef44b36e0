// Every finding kind, produced on purpose by corrupting a model heap's bytes or struct fields.
// Heap used throughout: 256 bytes, N = 5, 16-byte minimum blocks at 0x20000000; after one 16-byte
// allocation its lists are [16], [32], [64], [128], [] (offsets).
import * as assert from 'node:assert/strict';
import { decodeHeap } from '../../../core/decoder/decode';
import { BlockState, DecodedHeapView, Finding, FindingKind, HeapSnapshot } from '../../../core/decoder/types';
import { hex } from '../../../core/layout';
import { ByteImage } from '../../../core/memory/byteImage';
import type { BuddyHeap } from '../../../core/model/buddyHeap';
import { BASE, alloc, free, layoutOf, newHeap, snapshotOf } from './heapFixtures';

/** The 256-byte heap after one 16-byte allocation at offset 0. */
function splitHeap(): BuddyHeap {
  const heap = newHeap(layoutOf(256, 5, 8, 'little'));
  alloc(heap, 16);
  return heap;
}

/** A heap whose order-0 list is [64, 32, 0] (LIFO frees of every other 16-byte block). */
function threeEntryHeap(): BuddyHeap {
  const heap = newHeap(layoutOf(256, 5, 8, 'little'));
  const blocks = Array.from({ length: 8 }, () => alloc(heap, 16));
  for (const offset of [blocks[0]!, blocks[2]!, blocks[4]!]) free(heap, offset);
  assert.deepEqual(heap.freeList(0), [64, 32, 0]);
  return heap;
}

function withLists(heap: BuddyHeap, changes: Record<number, bigint>): HeapSnapshot {
  const freeLists = [...heap.structFields().freeLists];
  for (const [order, head] of Object.entries(changes)) freeLists[Number(order)] = head;
  return snapshotOf(heap, { freeLists });
}

interface Expected {
  readonly kind: FindingKind;
  readonly order?: number;
  readonly address?: bigint;
  readonly offset?: number;
  readonly linkedFrom?: bigint;
}

/** Exactly one finding of the kind, with these fields, and a message naming its address and order. */
function expectFinding(view: DecodedHeapView, expected: Expected): Finding {
  const matches = view.findings.filter(f => f.kind === expected.kind);
  assert.equal(matches.length, 1, `expected one ${expected.kind}, got ${JSON.stringify(view.findings.map(f => f.message))}`);
  const finding = matches[0]!;
  assert.equal(finding.order, expected.order);
  assert.equal(finding.address, expected.address);
  assert.equal(finding.offset, expected.offset);
  assert.equal(finding.linkedFrom, expected.linkedFrom);
  if (expected.address !== undefined) assert.ok(finding.message.includes(hex(expected.address)), finding.message);
  if (expected.order !== undefined)
    assert.ok(finding.message.includes(`order-${expected.order}`) || finding.message.includes(`order ${expected.order}`), finding.message);
  return finding;
}

function kinds(view: DecodedHeapView): FindingKind[] {
  return view.findings.map(f => f.kind);
}

function states(view: DecodedHeapView): BlockState[] {
  return Array.from(view.blocks.states);
}

describe('decoder findings: list pointers', () => {
  it('NextOutOfHeap: a next word outside the heap stops the walk and makes unlisted spans unknown', () => {
    const heap = splitHeap();
    heap.image.writeWord(16, 0xdead_0000n);
    const view = decodeHeap(snapshotOf(heap));
    const finding = expectFinding(view, { kind: 'NextOutOfHeap', order: 0, address: 0xdead_0000n, linkedFrom: BASE + 16n });
    assert.equal(finding.severity, 'error');
    assert.deepEqual(kinds(view), ['NextOutOfHeap']);
    const list = view.freeLists[0]!;
    assert.deepEqual([list.broken, list.truncated], [true, true]);
    assert.deepEqual(list.entries, [{ offset: 16, next: 0xdead_0000n }]);
    // The allocated 16 bytes at 0 can no longer be told apart from free blocks the list lost.
    assert.deepEqual(states(view), [BlockState.Unknown, BlockState.Free, BlockState.Free, BlockState.Free, BlockState.Free]);
    assert.deepEqual([view.stats.unknownBytes, view.stats.allocatedBytes, view.stats.freeBytes], [16, 0, 240]);
  });

  it('NextOutOfHeap: a struct head outside the heap has no linking block', () => {
    const view = decodeHeap(withLists(splitHeap(), { 2: BASE + 256n }));
    expectFinding(view, { kind: 'NextOutOfHeap', order: 2, address: BASE + 256n });
    assert.deepEqual(view.freeLists[2]!.entries, []);
  });

  it('NextMisaligned: a pointer inside the heap on no minimum-block boundary', () => {
    const heap = splitHeap();
    heap.image.writeWord(16, BASE + 40n);
    const view = decodeHeap(snapshotOf(heap));
    expectFinding(view, { kind: 'NextMisaligned', order: 0, address: BASE + 40n, offset: 40, linkedFrom: BASE + 16n });
    assert.deepEqual(kinds(view), ['NextMisaligned']);
    assert.equal(view.freeLists[0]!.truncated, true);
  });

  it("WrongOrder: a block boundary that is not aligned to its list's block size", () => {
    const view = decodeHeap(withLists(splitHeap(), { 1: BASE + 16n }));
    expectFinding(view, { kind: 'WrongOrder', order: 1, address: BASE + 16n, offset: 16 });
    assert.deepEqual(kinds(view), ['WrongOrder']);
  });

  it('WrongOrder and NextMisaligned on the top list do not hide anything (its next is never read)', () => {
    const wrongOrder = decodeHeap(withLists(newHeap(layoutOf(256, 5, 8, 'little')), { 4: BASE + 128n }));
    expectFinding(wrongOrder, { kind: 'WrongOrder', order: 4, address: BASE + 128n, offset: 128 });
    assert.deepEqual([wrongOrder.freeLists[4]!.broken, wrongOrder.freeLists[4]!.truncated], [true, false]);
    assert.deepEqual(states(wrongOrder), [BlockState.Allocated]);
    const misaligned = decodeHeap(withLists(newHeap(layoutOf(256, 5, 8, 'little')), { 4: BASE + 8n }));
    expectFinding(misaligned, { kind: 'NextMisaligned', order: 4, address: BASE + 8n, offset: 8 });
  });

  it('Cycle: the tail links back to a block of its own list other than the head', () => {
    const heap = threeEntryHeap();
    heap.image.writeWord(0, BASE + 32n);
    const view = decodeHeap(snapshotOf(heap));
    expectFinding(view, { kind: 'Cycle', order: 0, address: BASE + 32n, offset: 32, linkedFrom: BASE });
    assert.deepEqual(kinds(view), ['Cycle']);
    const list = view.freeLists[0]!;
    assert.deepEqual(
      list.entries.map(e => e.offset),
      [64, 32, 0],
    );
    // Every block of a looping list has been seen: unlisted spans stay allocated.
    assert.deepEqual([list.broken, list.truncated, view.stats.unknownBytes], [true, false, 0]);
  });

  it('DuplicateInList: the list loops back to its head, as a double free leaves it', () => {
    const heap = threeEntryHeap();
    heap.image.writeWord(0, BASE + 64n);
    const view = decodeHeap(snapshotOf(heap));
    expectFinding(view, { kind: 'DuplicateInList', order: 0, address: BASE + 64n, offset: 64, linkedFrom: BASE });
    assert.deepEqual(kinds(view), ['DuplicateInList']);
  });

  it('DuplicateInList: a block whose next word is itself', () => {
    const heap = splitHeap();
    heap.image.writeWord(32, BASE + 32n);
    const view = decodeHeap(snapshotOf(heap));
    expectFinding(view, { kind: 'DuplicateInList', order: 1, address: BASE + 32n, offset: 32, linkedFrom: BASE + 32n });
    assert.deepEqual(view.freeLists[1]!.entries, [{ offset: 32, next: BASE + 32n }]);
  });

  it('OnTwoLists: the same address on the lists of two orders', () => {
    const heap = splitHeap();
    heap.image.writeWord(16, BASE + 32n); // the order-0 list now runs 16 → 32, and 32 is the order-1 head
    const view = decodeHeap(snapshotOf(heap));
    expectFinding(view, { kind: 'OnTwoLists', order: 1, address: BASE + 32n, offset: 32 });
    assert.deepEqual(kinds(view), ['OnTwoLists']);
    assert.deepEqual(
      view.freeLists[0]!.entries.map(e => e.offset),
      [16, 32],
    );
    // The larger listing is the one the table shows.
    assert.deepEqual(Array.from(view.blocks.orders), [0, 0, 1, 2, 3]);
  });

  it('Overlap: a free block inside a larger free block of another list', () => {
    const heap = splitHeap();
    heap.image.writeWord(16, BASE + 48n); // 48 is inside the free order-1 block 32..64
    const view = decodeHeap(snapshotOf(heap));
    expectFinding(view, { kind: 'Overlap', order: 0, address: BASE + 48n, offset: 48 });
    assert.deepEqual(kinds(view), ['Overlap']);
    assert.deepEqual(Array.from(view.blocks.offsets), [0, 16, 32, 64, 128]);
    assert.equal(view.stats.freeBytes, 240, 'the contained block is not counted twice');
  });

  it('UnmergedBuddies: two free buddies of one order', () => {
    const heap = splitHeap();
    heap.image.writeWord(0, BASE + 16n); // list 0 becomes 0 → 16
    const view = decodeHeap(withLists(heap, { 0: BASE }));
    const finding = expectFinding(view, { kind: 'UnmergedBuddies', order: 0, address: BASE, offset: 0 });
    assert.equal(finding.severity, 'warning');
    assert.ok(finding.message.includes(hex(BASE + 16n)));
    assert.deepEqual(kinds(view), ['UnmergedBuddies']);
  });

  it('TopOrderNotSingle: the whole-heap block is listed while smaller blocks are free', () => {
    const view = decodeHeap(withLists(splitHeap(), { 4: BASE }));
    expectFinding(view, { kind: 'TopOrderNotSingle', order: 4, address: BASE, offset: 0 });
    assert.deepEqual(kinds(view), ['TopOrderNotSingle']);
    // The map shows the smaller blocks; the top list still shows its head.
    assert.deepEqual(states(view), [BlockState.Allocated, BlockState.Free, BlockState.Free, BlockState.Free, BlockState.Free]);
    assert.deepEqual(view.freeLists[4]!.entries, [{ offset: 0, next: undefined }]);
    assert.equal(view.stats.largestAllocatable, 256, 'allocate would pop the top head');
  });

  it('Unreadable: an unreadable next word ends the list; the block itself is still free', () => {
    const heap = splitHeap();
    const memory = {
      size: heap.size,
      pointerWidth: heap.layout.pointerWidth,
      readWord: (offset: number) => (offset === 32 ? undefined : heap.image.readWord(offset)),
    };
    const view = decodeHeap({ ...snapshotOf(heap), memory });
    const finding = expectFinding(view, { kind: 'Unreadable', order: 1, address: BASE + 32n, offset: 32 });
    assert.equal(finding.severity, 'warning');
    assert.deepEqual(view.freeLists[1]!.entries, [{ offset: 32, next: undefined }]);
    assert.deepEqual(states(view), [BlockState.Unknown, BlockState.Free, BlockState.Free, BlockState.Free, BlockState.Free]);
  });

  it('a fresh heap decodes from memory with no known bytes at all (the top block is never read)', () => {
    const heap = newHeap(layoutOf(4096, 8, 4, 'big'));
    const memory = new ByteImage(heap.size, { pointerWidth: 4, endianness: 'big', unknownUntilWritten: true });
    const view = decodeHeap({ ...snapshotOf(heap), memory });
    assert.deepEqual(view.findings, []);
    assert.deepEqual(states(view), [BlockState.Free]);
  });

  it('WalkLimit: the entry budget ends a long list, and every list after it', () => {
    const view = decodeHeap(snapshotOf(threeEntryHeap()), { maxFreeBlocks: 2 });
    const limits = view.findings.filter(f => f.kind === 'WalkLimit');
    assert.deepEqual(
      limits.map(f => [f.order, f.address, f.offset]),
      [
        [0, BASE, 0],
        [3, BASE + 128n, 128],
      ],
    );
    assert.ok(limits[0]!.message.includes(hex(BASE)) && limits[0]!.message.includes('order-0'));
    assert.deepEqual(
      view.freeLists[0]!.entries.map(e => e.offset),
      [64, 32],
    );
    assert.equal(view.freeLists[0]!.truncated, true);
    assert.equal(view.stats.allocatedBytes, 0, 'spans the lists may still hold are unknown');
  });

  it('caps the findings of one kind and counts the rest in one closing finding', () => {
    const heap = splitHeap();
    heap.image.writeWord(16, BASE + 48n); // order-0 list: 16 → 48 (inside 32..64) → 80 (inside 64..128)
    heap.image.writeWord(48, BASE + 80n);
    heap.image.writeWord(80, 0n);
    const view = decodeHeap(snapshotOf(heap), { maxFindingsPerKind: 1 });
    assert.deepEqual(
      view.findings.map(f => [f.kind, f.address]),
      [
        ['Overlap', BASE + 48n],
        ['Overlap', undefined],
      ],
    );
    assert.match(view.findings[1]!.message, /^1 more Overlap findings are not listed/);
    assert.equal(view.findings[1]!.severity, 'error');
  });
});

describe('decoder findings: struct fields', () => {
  function fresh(): BuddyHeap {
    return newHeap(layoutOf(256, 5, 8, 'little'));
  }

  function assertRefused(view: DecodedHeapView): void {
    assert.deepEqual([view.orders, view.heapSize, view.blocks.count, view.freeLists.length, view.stats.perOrder.length], [0, 0, 0, 0, 0]);
  }

  it('BadHeapSize: heap_size not a power of two, zero, or beyond 2^52 refuses the snapshot', () => {
    for (const heapSize of [255n, 0n, 1n << 60n, (1n << 52n) + (1n << 51n)]) {
      const view = decodeHeap(snapshotOf(fresh(), { heapSize }));
      expectFinding(view, { kind: 'BadHeapSize' });
      assert.deepEqual(kinds(view), ['BadHeapSize']);
      assertRefused(view);
    }
  });

  it('BadOrders: no free lists, or more than 32', () => {
    for (const count of [0, 33]) {
      const view = decodeHeap(snapshotOf(fresh(), { freeLists: new Array<bigint>(count).fill(0n) }));
      expectFinding(view, { kind: 'BadOrders' });
      assertRefused(view);
    }
  });

  it('BadMinBlockSize: a minimum block smaller than a pointer refuses the snapshot', () => {
    const view = decodeHeap(snapshotOf(fresh(), { freeLists: new Array<bigint>(7).fill(0n) })); // 256 >> 6 = 4 < 8
    expectFinding(view, { kind: 'BadMinBlockSize' });
    assertRefused(view);
  });

  it('BadMinBlockSize: min_block_size or its log2 inconsistent with heap_size >> (N - 1)', () => {
    const wrongSize = decodeHeap(snapshotOf(fresh(), { minBlockSize: 32n }));
    expectFinding(wrongSize, { kind: 'BadMinBlockSize' });
    assert.deepEqual(Array.from(wrongSize.blocks.states), [BlockState.Free], 'decoding goes on with the derived size');
    const wrongLog2 = decodeHeap(snapshotOf(fresh(), { minBlockSizeLog2: 5 }));
    const finding = expectFinding(wrongLog2, { kind: 'BadMinBlockSize' });
    assert.match(finding.message, /min_block_size_log2 is 5/);
  });

  it('BadHeapBase: null, not 4096-aligned, or running past the address space', () => {
    const nullBase = decodeHeap(snapshotOf(fresh(), { heapBase: 0n, freeLists: [0n, 0n, 0n, 0n, 0n] }));
    expectFinding(nullBase, { kind: 'BadHeapBase', address: 0n });
    const odd = BASE + 0x10n;
    const misaligned = decodeHeap(snapshotOf(fresh(), { heapBase: odd, freeLists: [0n, 0n, 0n, 0n, odd] }));
    expectFinding(misaligned, { kind: 'BadHeapBase', address: odd });
    assert.deepEqual(kinds(misaligned), ['BadHeapBase']);
    const high = newHeap(layoutOf(256, 5, 4, 'little'));
    const top = 0xffff_f000n;
    const overflow = decodeHeap(
      snapshotOf(high, { heapBase: top, heapSize: 0x2000n, freeLists: [0n, 0n, 0n, 0n, top], minBlockSize: 0x200n, minBlockSizeLog2: 9 }),
    );
    expectFinding(overflow, { kind: 'BadHeapBase', address: top });
  });
});
