// The references as edges between inferred blocks: edges 0..rootEdges-1 come from roots (in root
// order, then word offset), the rest from heap words in address order. Forward and reverse
// adjacency are compact index arrays (CSR): O(blocks + references) memory, no object per edge.
import { BlockIndex } from './blockIndex';
import type { HeapTargets } from './heapTargets';
import type { InferredBlocks } from './inferBlocks';
import type { HeapReferenceColumns, RootReference } from './rawReferences';

export interface ReferenceGraph {
  readonly rootEdges: number;
  readonly edgeCount: number;
  /** Source block per edge; -1 for a root edge. */
  readonly sourceBlock: Int32Array;
  /** Offset of the referring word in its source block (for a root edge: in its root). */
  readonly sourceOffset: Float64Array;
  readonly targetBlock: Int32Array;
  /** Where the word points, from the target block's start (0: its start; more: an interior pointer). */
  readonly enteredAt: Float64Array;
  /** Heap edges out of block b: firstOut[b] .. firstOut[b + 1] - 1 (heap edges are numbered in source order). */
  readonly firstOut: Int32Array;
  /** Edges into block b: incoming[firstIn[b] .. firstIn[b + 1] - 1], root edges first, then by source address. */
  readonly firstIn: Int32Array;
  readonly incoming: Int32Array;
  readonly interiorCount: number;
}

export function buildGraph(
  targets: HeapTargets,
  blocks: InferredBlocks,
  roots: readonly RootReference[],
  heap: HeapReferenceColumns,
): ReferenceGraph {
  const n = blocks.count;
  const rootEdges = roots.length;
  const edgeCount = rootEdges + heap.count;
  const sourceBlock = new Int32Array(edgeCount);
  const sourceOffset = new Float64Array(edgeCount);
  const targetBlock = new Int32Array(edgeCount);
  const enteredAt = new Float64Array(edgeCount);
  const index = new BlockIndex(blocks.offsets, n, Math.max(targets.size, 1), Math.max(targets.minBlock, 1));
  const starts = blocks.offsets;
  let interiorCount = 0;
  const setTarget = (edge: number, target: number): void => {
    const block = index.find(target);
    targetBlock[edge] = block;
    enteredAt[edge] = target - starts[block]!;
    if (target !== starts[block]) interiorCount++;
  };
  for (let i = 0; i < rootEdges; i++) {
    const ref = roots[i]!;
    sourceBlock[i] = -1;
    sourceOffset[i] = ref.offset;
    setTarget(i, ref.target);
  }
  const firstOut = new Int32Array(n + 1);
  let block = 0;
  for (let i = 0; i < heap.count; i++) {
    const edge = rootEdges + i;
    const source = heap.sources[i]!;
    // Sources ascend, and every one lies in an allocated span, which the blocks tile.
    while (block + 1 < n && starts[block + 1]! <= source) block++;
    sourceBlock[edge] = block;
    sourceOffset[edge] = source - starts[block]!;
    firstOut[block + 1]!++;
    setTarget(edge, heap.targets[i]!);
  }
  for (let b = 0; b < n; b++) firstOut[b + 1]! += firstOut[b]!;
  for (let b = 0; b <= n; b++) firstOut[b]! += rootEdges;
  const { firstIn, incoming } = reverse(targetBlock, n);
  return { rootEdges, edgeCount, sourceBlock, sourceOffset, targetBlock, enteredAt, firstOut, firstIn, incoming, interiorCount };
}

/** Counting sort of the edges by target, keeping edge order within each target. */
function reverse(targetBlock: Int32Array, n: number): { firstIn: Int32Array; incoming: Int32Array } {
  const firstIn = new Int32Array(n + 1);
  for (let e = 0; e < targetBlock.length; e++) firstIn[targetBlock[e]! + 1]!++;
  for (let b = 0; b < n; b++) firstIn[b + 1]! += firstIn[b]!;
  const fill = firstIn.slice(0, n);
  const incoming = new Int32Array(targetBlock.length);
  for (let e = 0; e < targetBlock.length; e++) incoming[fill[targetBlock[e]!]!++] = e;
  return { firstIn, incoming };
}

export interface Reachability {
  /** Edges from the root to the block (1: a root points at it); -1 when no root reaches it. */
  readonly depth: Int32Array;
  /** The edge BFS reached the block by; -1 when unreached. */
  readonly parentEdge: Int32Array;
  /** The root edge at the start of the block's shortest path; -1 when unreached. */
  readonly ownerEdge: Int32Array;
}

/**
 * Breadth-first from all root words at once, so each block is reached first along a shortest path.
 * Ties go to the earlier root (input order), then the lower word in it, then the earlier-reached
 * parent and its lower word: the same input always gives the same owner. Cycles end because a
 * block is entered once.
 */
export function reachability(graph: ReferenceGraph, n: number): Reachability {
  const depth = new Int32Array(n).fill(-1);
  const parentEdge = new Int32Array(n).fill(-1);
  const ownerEdge = new Int32Array(n).fill(-1);
  const queue = new Int32Array(n);
  let tail = 0;
  const { targetBlock, firstOut } = graph;
  for (let e = 0; e < graph.rootEdges; e++) {
    const block = targetBlock[e]!;
    if (depth[block] !== -1) continue;
    depth[block] = 1;
    parentEdge[block] = e;
    ownerEdge[block] = e;
    queue[tail++] = block;
  }
  for (let head = 0; head < tail; head++) {
    const block = queue[head]!;
    const nextDepth = depth[block]! + 1;
    const owner = ownerEdge[block]!;
    for (let e = firstOut[block]!, end = firstOut[block + 1]!; e < end; e++) {
      const next = targetBlock[e]!;
      if (depth[next] !== -1) continue;
      depth[next] = nextDepth;
      parentEdge[next] = e;
      ownerEdge[next] = owner;
      queue[tail++] = next;
    }
  }
  return { depth, parentEdge, ownerEdge };
}
