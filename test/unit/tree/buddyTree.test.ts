// Buddy relations and the lazy buddy tree, on a heap with known blocks and on random heaps.
// Known heap (256 bytes, N = 5, 16-byte minimum blocks): free 16@0, allocated 16@16, free 32@32,
// allocated 64@64, free 128@128.
import * as assert from 'node:assert/strict';
import * as fc from 'fast-check';
import { decodeHeap } from '../../../core/decoder/decode';
import type { HeapView } from '../../../core/decoder/types';
import {
  BuddyTree,
  BuddyTreeNode,
  NO_BUDDY,
  NO_BUDDY_STATE,
  RegionState,
  ancestors,
  buddyOf,
  buddyPairs,
} from '../../../core/tree/buddyTree';
import { alloc, applyOperations, free, layoutArbitrary, layoutOf, newHeap, operationArbitrary, snapshotOf } from '../decoder/heapFixtures';

function knownView(): HeapView {
  const heap = newHeap(layoutOf(256, 5, 8, 'little'));
  const first = alloc(heap, 16);
  alloc(heap, 16);
  alloc(heap, 64);
  free(heap, first);
  return decodeHeap(snapshotOf(heap));
}

function summary(node: BuddyTreeNode | undefined): unknown {
  return node && [node.offset, node.order, node.state, node.isLeaf, node.freeBytes, node.allocatedBytes, node.unknownBytes];
}

function leavesOf(tree: BuddyTree, node: BuddyTreeNode, out: BuddyTreeNode[] = []): BuddyTreeNode[] {
  if (node.isLeaf) out.push(node);
  for (const child of tree.children(node)) leavesOf(tree, child, out);
  return out;
}

describe('tree: buddy relations', () => {
  it('buddyOf gives the other half of the parent with its state, Split when it was split', () => {
    const view = knownView();
    assert.deepEqual(buddyOf(0, 0, view), { offset: 16, order: 0, state: RegionState.Allocated });
    assert.deepEqual(buddyOf(16, 0, view), { offset: 0, order: 0, state: RegionState.Free });
    assert.deepEqual(buddyOf(32, 1, view), { offset: 0, order: 1, state: RegionState.Split });
    assert.deepEqual(buddyOf(128, 3, view), { offset: 0, order: 3, state: RegionState.Split });
    assert.deepEqual(buddyOf(0, 2, view), { offset: 64, order: 2, state: RegionState.Allocated });
    // A block inside a free block has a buddy inside it too.
    assert.deepEqual(buddyOf(192, 2, view), { offset: 128, order: 2, state: RegionState.Free });
  });

  it('buddyOf has no answer for the whole heap or for what is not a block', () => {
    const view = knownView();
    assert.equal(buddyOf(0, 4, view), undefined);
    assert.equal(buddyOf(8, 0, view), undefined);
    assert.equal(buddyOf(16, 1, view), undefined);
    assert.equal(buddyOf(256, 0, view), undefined);
    assert.equal(buddyOf(0, 5, view), undefined);
  });

  it('ancestors lists the enclosing blocks, parent first', () => {
    const view = knownView();
    assert.deepEqual(ancestors(16, 0, view), [
      { offset: 0, order: 1 },
      { offset: 0, order: 2 },
      { offset: 0, order: 3 },
      { offset: 0, order: 4 },
    ]);
    assert.deepEqual(ancestors(192, 2, view), [
      { offset: 128, order: 3 },
      { offset: 0, order: 4 },
    ]);
    assert.deepEqual(ancestors(0, 4, view), []);
    assert.deepEqual(ancestors(3, 0, view), []);
  });

  it('buddyPairs gives every table block its buddy in one pass', () => {
    const pairs = buddyPairs(knownView());
    assert.deepEqual(Array.from(pairs.buddyOffsets), [16, 0, 0, 0, 0]);
    assert.deepEqual(Array.from(pairs.buddyStates), [
      RegionState.Allocated,
      RegionState.Free,
      RegionState.Split,
      RegionState.Split,
      RegionState.Split,
    ]);
    const whole = buddyPairs(decodeHeap(snapshotOf(newHeap(layoutOf(256, 5, 8, 'little')))));
    assert.deepEqual([whole.buddyOffsets[0], whole.buddyStates[0]], [NO_BUDDY, NO_BUDDY_STATE]);
  });

  it('buddyPairs agrees with buddyOf on random heaps', () => {
    fc.assert(
      fc.property(layoutArbitrary, fc.array(operationArbitrary(400), { maxLength: 60 }), (layout, operations) => {
        const heap = newHeap(layout);
        applyOperations(heap, operations);
        const view = decodeHeap(snapshotOf(heap));
        const pairs = buddyPairs(view);
        for (let i = 0; i < view.blocks.count; i++) {
          const buddy = buddyOf(view.blocks.offsets[i]!, view.blocks.orders[i]!, view);
          if (!buddy) {
            assert.equal(pairs.buddyOffsets[i], NO_BUDDY);
            continue;
          }
          assert.deepEqual([pairs.buddyOffsets[i], pairs.buddyStates[i]], [buddy.offset, buddy.state]);
        }
      }),
      { seed: 0x7ee, numRuns: 80 },
    );
  });
});

describe('tree: lazy buddy tree', () => {
  it('opens the root and its children with byte counts', () => {
    const tree = new BuddyTree(knownView());
    const root = tree.root()!;
    assert.deepEqual(summary(root), [0, 4, RegionState.Split, false, 176, 80, 0]);
    assert.deepEqual([root.firstBlock, root.blockCount], [0, 5]);
    assert.deepEqual(tree.children(root).map(summary), [
      [0, 3, RegionState.Split, false, 48, 80, 0],
      [128, 3, RegionState.Free, true, 128, 0, 0],
    ]);
    assert.deepEqual(tree.children(tree.node(128, 3)!), []);
  });

  it('has nodes only for table blocks and the blocks enclosing several', () => {
    const tree = new BuddyTree(knownView());
    assert.deepEqual(summary(tree.node(16, 0)), [16, 0, RegionState.Allocated, true, 0, 16, 0]);
    assert.equal(tree.node(192, 2), undefined, 'inside the free 128-byte leaf');
    assert.equal(tree.node(8, 0), undefined);
  });

  it('pathTo reveals the leaf holding an address, from the root', () => {
    const tree = new BuddyTree(knownView());
    assert.deepEqual(
      tree.pathTo(20).map(n => [n.offset, n.order]),
      [
        [0, 4],
        [0, 3],
        [0, 2],
        [0, 1],
        [16, 0],
      ],
    );
    assert.deepEqual(
      tree.pathTo(200).map(n => [n.offset, n.order]),
      [
        [0, 4],
        [128, 3],
      ],
    );
    assert.deepEqual(tree.pathTo(256), []);
  });

  it('has no root for a refused snapshot', () => {
    const heap = newHeap(layoutOf(256, 5, 8, 'little'));
    assert.equal(new BuddyTree(decodeHeap(snapshotOf(heap, { heapSize: 255n }))).root(), undefined);
  });

  it("expands to exactly the table, and every split node's bytes are its children's", () => {
    fc.assert(
      fc.property(layoutArbitrary, fc.array(operationArbitrary(400), { maxLength: 60 }), (layout, operations) => {
        const heap = newHeap(layout);
        applyOperations(heap, operations);
        const view = decodeHeap(snapshotOf(heap));
        const tree = new BuddyTree(view);
        const leaves = leavesOf(tree, tree.root()!);
        assert.deepEqual(
          leaves.map(n => [n.offset, n.order, n.state]),
          Array.from({ length: view.blocks.count }, (_, i) => [view.blocks.offsets[i], view.blocks.orders[i], view.blocks.states[i]]),
        );
        const check = (node: BuddyTreeNode): void => {
          const children = tree.children(node);
          if (children.length === 0) return;
          assert.equal(children.length, 2);
          assert.equal(children[0]!.freeBytes + children[1]!.freeBytes, node.freeBytes);
          assert.equal(children[0]!.allocatedBytes + children[1]!.allocatedBytes, node.allocatedBytes);
          children.forEach(check);
        };
        check(tree.root()!);
        assert.equal(tree.root()!.freeBytes, view.stats.freeBytes);
      }),
      { seed: 0x7ee2, numRuns: 80 },
    );
  });

  it('finds any leaf of a 64K-leaf fragmented heap by its path from the root', () => {
    const heap = newHeap(layoutOf(1 << 20, 17, 4, 'little'));
    const blocks = Array.from({ length: 1 << 16 }, () => alloc(heap, 16));
    for (let i = 0; i < blocks.length; i += 2) free(heap, blocks[i]!);
    const view = decodeHeap(snapshotOf(heap));
    const tree = new BuddyTree(view);
    const root = tree.root()!;
    assert.deepEqual([root.blockCount, root.freeBytes], [1 << 16, 1 << 19]);
    const path = tree.pathTo(0xabc0);
    assert.equal(path.length, 17);
    assert.deepEqual(summary(path[16]), [0xabc0, 0, RegionState.Free, true, 16, 0, 0]);
  });
});
