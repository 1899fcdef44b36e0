// Builds the block table: the listed free blocks, and between them the maximal buddy-aligned
// blocks that hold no free block (what a recursive descent from the root over the free blocks
// leaves). Free blocks overlap only by containment; the larger one is kept, the smaller reported.
// Unlisted spans are Allocated when every list was followed to its end, Unknown otherwise: a list
// that stops early may hold more free blocks anywhere in the heap.
import { hex } from '../layout';
import type { HeapGeometry } from './heapGeometry';
import type { FindingLog } from './findingLog';
import type { ListMarks } from './listMarks';
import { BlockState, BlockTable } from './types';
import { POW2 as POW2_TABLE } from '../util/powersOfTwo';
import { grown } from '../util/typedArrays';

// Read once: esbuild's CommonJS exports are getters, too slow to call per block.
const FREE: number = BlockState.Free;
const POW2: Float64Array = POW2_TABLE;

export interface TableInput {
  readonly geometry: HeapGeometry;
  /** Free block starts of the lists below the top, marked with order + 1. */
  readonly marks: ListMarks;
  /** The whole-heap block is listed and no other block is free: the table is that one block. */
  readonly wholeHeapFree: boolean;
  /** Entries on the lists below the top: sizes the table up front. */
  readonly listedBlocks: number;
  readonly unlistedState: BlockState.Allocated | BlockState.Unknown;
}

export function buildBlockTable(input: TableInput, log: FindingLog): BlockTable {
  const { geometry } = input;
  if (input.wholeHeapFree) {
    const whole = new TableBuilder(geometry.minBlock, 1);
    whole.push(0, geometry.orders - 1, BlockState.Free);
    return whole.build();
  }
  const marks = input.marks;
  // Each free block brings about one unlisted span with it in a typical heap; more grows the table.
  const table = new TableBuilder(geometry.minBlock, 2 * input.listedBlocks + 1);
  const topOrder = geometry.orders - 1;
  const unlisted: number = input.unlistedState;
  let covered = 0;
  let containerLeaf = 0;
  let containerOrder = 0;
  for (let leaf = marks.nextMarked(0); leaf >= 0; leaf = marks.nextMarked(leaf + 1)) {
    const order = marks.get(leaf) - 1;
    if (leaf < covered) {
      reportOverlap(geometry, leaf, order, containerLeaf, containerOrder, log);
      continue;
    }
    table.pushSpan(covered, leaf, topOrder, unlisted);
    table.push(leaf, order, FREE);
    containerLeaf = leaf;
    containerOrder = order;
    covered = leaf + POW2[order]!;
  }
  table.pushSpan(covered, geometry.leaves, topOrder, unlisted);
  const blocks = table.build();
  reportUnmergedBuddies(geometry, blocks, log);
  return blocks;
}

function reportOverlap(
  geometry: HeapGeometry,
  leaf: number,
  order: number,
  containerLeaf: number,
  containerOrder: number,
  log: FindingLog,
): void {
  const offset = leaf * geometry.minBlock;
  const address = geometry.base + BigInt(offset);
  const container = geometry.base + BigInt(containerLeaf * geometry.minBlock);
  log.add({
    kind: 'Overlap',
    order,
    address,
    offset,
    message: `The order-${order} free block at ${hex(address)} lies inside the order-${containerOrder} free block at ${hex(container)}, so the same bytes are listed free twice.`,
  });
}

/** Buddies are adjacent in the table, the lower one at an even index of its order. */
function reportUnmergedBuddies(geometry: HeapGeometry, blocks: BlockTable, log: FindingLog): void {
  const { offsets, orders, states } = blocks;
  for (let i = 0; i + 1 < blocks.count; i++) {
    const order = orders[i]!;
    if (states[i] !== FREE || states[i + 1] !== FREE || orders[i + 1] !== order) continue;
    const offset = offsets[i]!;
    const size = geometry.minBlock * POW2[order]!;
    // Leaf indexes are below 2^31: an exact int32 bit test for "upper half".
    if (((offset / geometry.minBlock) & POW2[order]!) !== 0) continue;
    const address = geometry.base + BigInt(offset);
    log.add({
      kind: 'UnmergedBuddies',
      order,
      address,
      offset,
      message: `The order-${order} free blocks at ${hex(address)} and ${hex(address + BigInt(size))} are buddies that were not merged into one order-${order + 1} block.`,
    });
  }
}

/** Growable columns of the table, in address order. */
class TableBuilder {
  private offsets: Float64Array;
  private orders: Uint8Array;
  private states: Uint8Array;
  private count = 0;

  constructor(
    private readonly minBlock: number,
    expected: number,
  ) {
    this.offsets = new Float64Array(expected);
    this.orders = new Uint8Array(expected);
    this.states = new Uint8Array(expected);
  }

  push(leaf: number, order: number, state: number): void {
    if (this.count === this.offsets.length) this.grow();
    const i = this.count++;
    this.offsets[i] = leaf * this.minBlock;
    this.orders[i] = order;
    this.states[i] = state;
  }

  /** Covers the leaves [from, to) with the largest aligned blocks that fit. */
  pushSpan(from: number, to: number, topOrder: number, state: number): void {
    let leaf = from;
    while (leaf < to) {
      // The largest order the position is aligned to, capped by what is left (leaf counts < 2^31).
      const aligned = leaf === 0 ? topOrder : Math.min(trailingZeros(leaf), topOrder);
      const order = Math.min(aligned, 31 - Math.clz32(to - leaf));
      this.push(leaf, order, state);
      leaf += POW2[order]!;
    }
  }

  build(): BlockTable {
    const n = this.count;
    return { count: n, offsets: this.offsets.slice(0, n), orders: this.orders.slice(0, n), states: this.states.slice(0, n) };
  }

  private grow(): void {
    const capacity = this.offsets.length * 2;
    this.offsets = grown(this.offsets, capacity);
    this.orders = grown(this.orders, capacity);
    this.states = grown(this.states, capacity);
  }
}

/** Trailing zero bits of a positive integer below 2^31 (leaf indexes always are). */
function trailingZeros(n: number): number {
  return 31 - Math.clz32(n & -n);
}
