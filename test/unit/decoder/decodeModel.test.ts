// The decoder against the model: after any workload, decoding the bytes the model left (as a
// debugger would read them) gives back the model's own free lists, a table that tiles the heap,
// and no findings, for every pointer width and byte order.
import * as assert from 'node:assert/strict';
import * as fc from 'fast-check';
import { decodeHeap } from '../../../core/decoder/decode';
import { BlockState, DecodedHeapView } from '../../../core/decoder/types';
import type { BuddyHeap } from '../../../core/model/buddyHeap';
import { alloc, applyOperations, free, layoutArbitrary, layoutOf, newHeap, operationArbitrary, snapshotOf } from './heapFixtures';

const RUNS = { seed: 0xdec0de, numRuns: 150 };

function decodedLists(view: DecodedHeapView): number[][] {
  return view.freeLists.map(list => list.entries.map(entry => entry.offset));
}

/** Blocks in address order, each starting where the last ended, ending at the heap's end. */
function assertTiles(view: DecodedHeapView): void {
  let at = 0;
  for (let i = 0; i < view.blocks.count; i++) {
    const offset = view.blocks.offsets[i]!;
    const size = view.minBlockSize * 2 ** view.blocks.orders[i]!;
    assert.equal(offset, at, `block ${i} starts at ${offset}, expected ${at}`);
    assert.equal(offset % size, 0, `block ${i} at ${offset} is not aligned to its size ${size}`);
    at += size;
  }
  assert.equal(at, view.heapSize);
}

/** The model's live allocations must each lie inside an allocated span. */
function assertAllocationsCovered(view: DecodedHeapView, heap: BuddyHeap): void {
  let i = 0;
  for (const allocation of heap.liveAllocations()) {
    while (view.blocks.offsets[i]! + view.minBlockSize * 2 ** view.blocks.orders[i]! <= allocation.offset) i++;
    assert.equal(view.blocks.states[i], BlockState.Allocated, `allocation at ${allocation.offset} is not in an allocated span`);
  }
}

function checkAgainstModel(heap: BuddyHeap, view: DecodedHeapView): void {
  assert.deepEqual(view.findings, []);
  assert.deepEqual(decodedLists(view), heap.freeLists());
  assertTiles(view);
  assertAllocationsCovered(view, heap);
  assert.equal(view.stats.freeBytes, heap.freeBytes());
  assert.equal(view.stats.freeBytes + view.stats.allocatedBytes, heap.size);
  assert.equal(view.stats.unknownBytes, 0);
}

describe('decoder: decoding the model', () => {
  it('gives back the model lists, a tiling table and no findings after random workloads (all widths and byte orders)', () => {
    fc.assert(
      fc.property(layoutArbitrary, fc.array(operationArbitrary(600), { maxLength: 120 }), (layout, operations) => {
        const heap = newHeap(layout);
        applyOperations(heap, operations);
        checkAgainstModel(heap, decodeHeap(snapshotOf(heap)));
      }),
      RUNS,
    );
  });

  it('gives the same view through the map bookkeeping as through the per-leaf bytes', () => {
    fc.assert(
      fc.property(layoutArbitrary, fc.array(operationArbitrary(600), { maxLength: 80 }), (layout, operations) => {
        const heap = newHeap(layout);
        applyOperations(heap, operations);
        const dense = decodeHeap(snapshotOf(heap));
        const sparse = decodeHeap(snapshotOf(heap), { denseLeafLimit: 0 });
        assert.deepEqual(sparse, dense);
      }),
      { seed: 0x5a55e, numRuns: 60 },
    );
  });

  it('records each entry with its raw next word, and never reads the top block', () => {
    const heap = newHeap(layoutOf(256, 5, 4, 'big'));
    alloc(heap, 16); // splits 256: 16@16, 32@32, 64@64, 128@128 are free
    const view = decodeHeap(snapshotOf(heap));
    assert.deepEqual(
      view.freeLists.map(list => list.entries),
      [[{ offset: 16, next: 0n }], [{ offset: 32, next: 0n }], [{ offset: 64, next: 0n }], [{ offset: 128, next: 0n }], []],
    );
    const fresh = decodeHeap(snapshotOf(newHeap(layoutOf(256, 5, 4, 'big'))));
    assert.deepEqual(fresh.freeLists[4]!.entries, [{ offset: 0, next: undefined }]);
    assert.equal(fresh.freeLists[4]!.columns.lastNext, undefined);
  });

  it('keeps list order head first with the raw next addresses', () => {
    const heap = newHeap(layoutOf(256, 5, 8, 'little'));
    const blocks = [alloc(heap, 16), alloc(heap, 16), alloc(heap, 16), alloc(heap, 16)];
    free(heap, blocks[0]!);
    free(heap, blocks[2]!);
    // LIFO: 32 was freed last, so it is the head and links to 0.
    const list = decodeHeap(snapshotOf(heap)).freeLists[0]!;
    assert.deepEqual(list.entries, [
      { offset: 32, next: 0x2000_0000n },
      { offset: 0, next: 0n },
    ]);
    assert.equal(list.head, 0x2000_0020n);
    assert.equal(list.broken, false);
    assert.equal(list.truncated, false);
  });

  it('computes the statistics of a known heap', () => {
    const heap = newHeap(layoutOf(256, 5, 8, 'little'));
    const a = alloc(heap, 16); // 0
    alloc(heap, 16); // 16
    alloc(heap, 64); // 64; free: 32@32, 128@128
    free(heap, a);
    const { stats, blocks } = decodeHeap(snapshotOf(heap));
    assert.deepEqual(Array.from(blocks.offsets), [0, 16, 32, 64, 128]);
    assert.deepEqual(Array.from(blocks.orders), [0, 0, 1, 2, 3]);
    assert.deepEqual(Array.from(blocks.states), [
      BlockState.Free,
      BlockState.Allocated,
      BlockState.Free,
      BlockState.Allocated,
      BlockState.Free,
    ]);
    assert.deepEqual(stats, {
      heapSize: 256,
      freeBytes: 176,
      allocatedBytes: 80,
      unknownBytes: 0,
      largestFreeBlock: 128,
      fragmentation: 1 - 128 / 176,
      largestAllocatable: 128,
      perOrder: [
        { order: 0, blockSize: 16, freeBlocks: 1, allocatedBlocks: 1 },
        { order: 1, blockSize: 32, freeBlocks: 1, allocatedBlocks: 0 },
        { order: 2, blockSize: 64, freeBlocks: 0, allocatedBlocks: 1 },
        { order: 3, blockSize: 128, freeBlocks: 1, allocatedBlocks: 0 },
        { order: 4, blockSize: 256, freeBlocks: 0, allocatedBlocks: 0 },
      ],
    });
  });

  it('shows a full heap as one allocated block and a fresh heap as one free block', () => {
    const heap = newHeap(layoutOf(4096, 9, 4, 'little'));
    const fresh = decodeHeap(snapshotOf(heap));
    assert.deepEqual([fresh.blocks.count, fresh.blocks.orders[0], fresh.blocks.states[0]], [1, 8, BlockState.Free]);
    assert.equal(fresh.stats.largestAllocatable, 4096);
    alloc(heap, 4096);
    const full = decodeHeap(snapshotOf(heap));
    assert.deepEqual([full.blocks.count, full.blocks.orders[0], full.blocks.states[0]], [1, 8, BlockState.Allocated]);
    assert.deepEqual([full.stats.freeBytes, full.stats.largestAllocatable, full.stats.fragmentation], [0, 0, 0]);
  });

  it('builds entries lazily but lets spreads and structured clones see them', () => {
    const heap = newHeap(layoutOf(256, 5, 4, 'little'));
    alloc(heap, 16);
    const list = decodeHeap(snapshotOf(heap)).freeLists[0]!;
    assert.ok(Object.keys(list).includes('entries'));
    assert.equal(list.entries, list.entries, 'built once');
    assert.deepEqual(structuredClone(list).entries, [{ offset: 16, next: 0n }]);
    assert.deepEqual({ ...list }.entries, [{ offset: 16, next: 0n }]);
  });
});
