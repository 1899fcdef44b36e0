// The changes of a diff as columns (offset, order, kind), so a diff of two million-block views
// crosses to the webview without an object per change.
import { grown } from '../util/typedArrays';

export const enum ChangeKind {
  /** Was free, now allocated (a whole block, or a piece of a block that was split). */
  Allocated = 0,
  /** Was allocated, now free. */
  Freed = 1,
  /** A free block now divided into smaller blocks, some still free. */
  Split = 2,
  /** A free block built from smaller blocks, some of which were free. */
  Merged = 3,
  /** Changed, but one side is unknown (its lists could not be read in full). */
  Uncertain = 4,
}

/** Names indexed by ChangeKind. */
export const CHANGE_KIND_NAMES = ['allocated', 'freed', 'split', 'merged', 'uncertain'] as const;
export type ChangeName = (typeof CHANGE_KIND_NAMES)[number];

export interface ChangeList {
  readonly count: number;
  readonly offsets: Float64Array;
  readonly orders: Uint8Array;
  /** ChangeKind per change. */
  readonly kinds: Uint8Array;
}

export class ChangeListBuilder {
  private offsets = new Float64Array(64);
  private orders = new Uint8Array(64);
  private kinds = new Uint8Array(64);
  private count = 0;

  constructor(readonly minBlock: number) {}

  push(offset: number, order: number, kind: ChangeKind): void {
    if (this.count === this.offsets.length) this.grow();
    const i = this.count++;
    this.offsets[i] = offset;
    this.orders[i] = order;
    this.kinds[i] = kind;
  }

  build(): ChangeList {
    const n = this.count;
    return { count: n, offsets: this.offsets.slice(0, n), orders: this.orders.slice(0, n), kinds: this.kinds.slice(0, n) };
  }

  private grow(): void {
    const capacity = this.offsets.length * 2;
    this.offsets = grown(this.offsets, capacity);
    this.orders = grown(this.orders, capacity);
    this.kinds = grown(this.kinds, capacity);
  }
}
