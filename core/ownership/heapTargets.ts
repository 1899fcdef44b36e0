// Which words are references: a value pointing into an Allocated span of the decoded heap. Free
// blocks and spans the decoder could not classify (Unknown) are never pointed *to*: a word holding
// such an address is not a reference the scan can trust.
import { BlockState, type HeapView } from '../decoder/types';
import { POW2 } from '../util/powersOfTwo';
import { BlockIndex } from './blockIndex';

const ALLOCATED: number = BlockState.Allocated;

export class HeapTargets {
  readonly base: bigint;
  readonly size: number;
  readonly minBlock: number;
  /** The base split into 32-bit halves, so 8-byte words are compared without a bigint each. */
  readonly baseLow: number;
  readonly baseHigh: number;
  private readonly spans: BlockIndex;
  private readonly states: Uint8Array;

  constructor(readonly view: HeapView) {
    this.base = view.heapBase;
    this.size = view.heapSize;
    this.minBlock = view.minBlockSize;
    this.baseLow = Number(view.heapBase & 0xffff_ffffn);
    this.baseHigh = Number((view.heapBase >> 32n) & 0xffff_ffffn);
    this.states = view.blocks.states;
    this.spans = new BlockIndex(view.blocks.offsets, view.blocks.count, Math.max(view.heapSize, 1), Math.max(view.minBlockSize, 1));
  }

  /** The allocated span holding a heap offset (an integer), or -1 when outside the heap or not allocated. */
  spanAt(offset: number): number {
    if (!(offset >= 0 && offset < this.size)) return -1;
    const span = this.spans.find(offset);
    return span >= 0 && this.states[span] === ALLOCATED ? span : -1;
  }

  /** A full word's heap offset, or -1 when it points outside the heap. */
  offsetOf(value: bigint): number {
    const offset = value - this.base;
    return offset >= 0n && offset < BigInt(this.size) ? Number(offset) : -1;
  }

  spanStart(span: number): number {
    return this.view.blocks.offsets[span]!;
  }

  spanSize(span: number): number {
    return this.minBlock * POW2[this.view.blocks.orders[span]!]!;
  }
}
