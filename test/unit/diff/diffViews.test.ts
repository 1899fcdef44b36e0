// Diffs of two views of one heap: concrete cases for each rule, and the exact changes one model
// operation must produce on any heap.
import * as assert from 'node:assert/strict';
import * as fc from 'fast-check';
import { decodeHeap } from '../../../core/decoder/decode';
import type { HeapView } from '../../../core/decoder/types';
import { ChangeKind, ComparableDiff, HeapDiff, diffViews } from '../../../core/diff/diffViews';
import type { BuddyHeap } from '../../../core/model/buddyHeap';
import {
  BASE,
  alloc,
  applyOperations,
  free,
  layoutArbitrary,
  layoutOf,
  newHeap,
  operationArbitrary,
  snapshotOf,
} from '../decoder/heapFixtures';

function viewOf(heap: BuddyHeap): HeapView {
  return decodeHeap(snapshotOf(heap));
}

function comparable(diff: HeapDiff): ComparableDiff {
  assert.ok(diff.comparable, diff.comparable ? '' : diff.reason);
  return diff;
}

/** [offset, order, kind] per change. */
function changes(diff: HeapDiff): [number, number, ChangeKind][] {
  const { changes: list } = comparable(diff);
  return Array.from({ length: list.count }, (_, k) => [list.offsets[k]!, list.orders[k]!, list.kinds[k]! as ChangeKind]);
}

function heap256(): BuddyHeap {
  return newHeap(layoutOf(256, 5, 8, 'little'));
}

describe('diff: two views of one heap', () => {
  it('a free 64 becoming allocated 16 + free 16 + free 32 is a split of the 64 and an allocated 16', () => {
    const heap = heap256();
    alloc(heap, 64); // free: 64@64, 128@128
    const before = viewOf(heap);
    assert.equal(alloc(heap, 16), 64); // splits 64@64 into 16@64 (taken), 16@80, 32@96
    const diff = diffViews(before, viewOf(heap));
    assert.deepEqual(changes(diff), [
      [64, 2, ChangeKind.Split],
      [64, 0, ChangeKind.Allocated],
    ]);
    assert.equal(diff.summary, 'allocated 1 (16 B), split 1 (64 B); free 192 B → 176 B; free blocks: 16 B 0 → 1, 32 B 0 → 1, 64 B 1 → 0');
    const { totals } = comparable(diff);
    assert.deepEqual(totals, [
      { count: 1, bytes: 16 },
      { count: 0, bytes: 0 },
      { count: 1, bytes: 64 },
      { count: 0, bytes: 0 },
      { count: 0, bytes: 0 },
    ]);
  });

  it('freeing a 16 next to free buddies is a freed 16 and a merged 64', () => {
    const heap = heap256();
    alloc(heap, 64);
    const small = alloc(heap, 16);
    const before = viewOf(heap);
    free(heap, small); // 16@64 merges with 16@80, then with 32@96
    const diff = diffViews(before, viewOf(heap));
    assert.deepEqual(changes(diff), [
      [64, 2, ChangeKind.Merged],
      [64, 0, ChangeKind.Freed],
    ]);
    assert.equal(diff.summary, 'freed 1 (16 B), merged 1 (64 B); free 176 B → 192 B; free blocks: 16 B 1 → 0, 32 B 1 → 0, 64 B 0 → 1');
  });

  it('a whole block changing state is allocated or freed', () => {
    const heap = heap256();
    const before = viewOf(heap);
    const whole = alloc(heap, 256);
    const full = viewOf(heap);
    assert.deepEqual(changes(diffViews(before, full)), [[0, 4, ChangeKind.Allocated]]);
    free(heap, whole);
    assert.deepEqual(changes(diffViews(full, viewOf(heap))), [[0, 4, ChangeKind.Freed]]);
  });

  it('an allocation that joins an allocated span, and a free inside one', () => {
    const heap = heap256();
    alloc(heap, 16); // 0
    const before = viewOf(heap);
    const second = alloc(heap, 16); // 16: 0..32 is now one allocated span
    const after = viewOf(heap);
    assert.deepEqual(changes(diffViews(before, after)), [[16, 0, ChangeKind.Allocated]]);
    free(heap, second);
    assert.deepEqual(changes(diffViews(after, viewOf(heap))), [[16, 0, ChangeKind.Freed]]);
  });

  it('reports no change for the same heap', () => {
    const heap = heap256();
    alloc(heap, 16);
    const diff = diffViews(viewOf(heap), viewOf(heap));
    assert.deepEqual(changes(diff), []);
    assert.equal(diff.summary, 'no change (free 240 B)');
    // One view object on both sides (a live stop that changed nothing) takes the remembered diff: the same.
    const view = viewOf(heap);
    assert.deepEqual(diffViews(view, view), diff);
    assert.equal(diffViews(view, view), diffViews(view, view));
  });

  it('marks a change it cannot classify as uncertain when one side is unknown', () => {
    const heap = heap256();
    alloc(heap, 16);
    const before = viewOf(heap);
    heap.image.writeWord(16, 0xdead_0000n); // the order-0 list breaks: unlisted spans become unknown
    const diff = diffViews(before, viewOf(heap));
    assert.deepEqual(changes(diff), [[0, 0, ChangeKind.Uncertain]]);
    assert.equal(diff.summary, 'uncertain 1 (16 B); free 240 B');
  });

  it('refuses to compare different heaps or refused snapshots', () => {
    const a = viewOf(heap256());
    const b = viewOf(newHeap(layoutOf(512, 5, 8, 'little')));
    const different = diffViews(a, b);
    assert.equal(different.comparable, false);
    assert.match(different.summary, /^not comparable: the views are of different heaps/);
    const refused = decodeHeap(snapshotOf(heap256(), { heapSize: 3n }));
    assert.equal(diffViews(a, refused).comparable, false);
    const moved = decodeHeap(snapshotOf(heap256(), { heapBase: BASE + 0x1000n, freeLists: [0n, 0n, 0n, 0n, BASE + 0x1000n] }));
    assert.equal(diffViews(a, moved).comparable, false);
  });
});

describe('diff: one model operation', () => {
  it('an allocation is an Allocated of its block, after a Split of the block it came from; a free is a Freed, after a Merged when it merged', () => {
    fc.assert(
      fc.property(
        layoutArbitrary,
        fc.array(operationArbitrary(400), { maxLength: 60 }),
        fc.boolean(),
        fc.nat(),
        fc.integer({ min: 1, max: 400 }),
        (layout, operations, allocate, pick, size) => {
          const heap = newHeap(layout);
          applyOperations(heap, operations);
          const before = viewOf(heap);
          const expected: [number, number, ChangeKind][] = [];
          const live = heap.liveAllocations();
          if (allocate || live.length === 0) {
            const result = heap.allocate(size, 1);
            if (result.ok) {
              if (result.splitFrom > result.order) expected.push([result.offset, result.splitFrom, ChangeKind.Split]);
              expected.push([result.offset, result.order, ChangeKind.Allocated]);
            }
          } else {
            const victim = live[pick % live.length]!;
            const result = heap.deallocate(victim.offset, victim.size, victim.align);
            assert.ok(result.ok);
            if (result.mergedOrder > result.order) expected.push([result.mergedOffset, result.mergedOrder, ChangeKind.Merged]);
            expected.push([victim.offset, result.order, ChangeKind.Freed]);
          }
          const after = viewOf(heap);
          const diff = comparable(diffViews(before, after));
          assert.deepEqual(changes(diff), expected);
          const [allocated, freed] = [diff.totals[ChangeKind.Allocated]!, diff.totals[ChangeKind.Freed]!];
          assert.equal(before.stats.freeBytes - after.stats.freeBytes, allocated.bytes - freed.bytes);
        },
      ),
      { seed: 0xd1ff, numRuns: 200 },
    );
  });

  it('over many operations, the free bytes moved are the allocated bytes minus the freed bytes', () => {
    fc.assert(
      fc.property(
        layoutArbitrary,
        fc.array(operationArbitrary(400), { maxLength: 40 }),
        fc.array(operationArbitrary(400), { maxLength: 40 }),
        (layout, first, second) => {
          const heap = newHeap(layout);
          applyOperations(heap, first);
          const before = viewOf(heap);
          applyOperations(heap, second);
          const after = viewOf(heap);
          const diff = comparable(diffViews(before, after));
          assert.equal(
            before.stats.freeBytes - after.stats.freeBytes,
            diff.totals[ChangeKind.Allocated]!.bytes - diff.totals[ChangeKind.Freed]!.bytes,
          );
          for (let k = 1; k < diff.changes.count; k++) assert.ok(diff.changes.offsets[k - 1]! <= diff.changes.offsets[k]!, 'address order');
        },
      ),
      { seed: 0xd1ff2, numRuns: 150 },
    );
  });
});
