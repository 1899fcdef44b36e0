// Which list last visited each minimum block ("leaf"), as order + 1 (0 = none). Lists are walked
// in increasing order, so the mark is also the highest order listed at that address. Small heaps
// get a byte per leaf (no hashing in the hot loop); heaps with more leaves than that would cost
// get a map that grows only with the blocks actually listed. One class for both keeps the walk's
// calls monomorphic.

/**
 * Up to this many leaves (16 MiB of marks: one byte a leaf) the dense form is used. Higher than the
 * model's DENSE_LEAF_LIMIT on purpose: the model spends 16 bytes a leaf, so its limit is 16 times lower
 * for about the same memory (64 MiB against 16 MiB).
 */
export const DEFAULT_DENSE_LEAF_LIMIT = 1 << 24;

export class ListMarks {
  private readonly dense: Uint8Array | undefined;
  private readonly sparse: Map<number, number> | undefined;
  /** The sparse leaves in increasing order, built on the first ordered read. */
  private sortedSparse: Float64Array | undefined;
  private cursor = 0;

  constructor(leaves: number, denseLimit: number = DEFAULT_DENSE_LEAF_LIMIT) {
    if (leaves <= denseLimit) this.dense = new Uint8Array(leaves);
    else this.sparse = new Map();
  }

  get(leaf: number): number {
    return this.dense !== undefined ? this.dense[leaf]! : (this.sparse!.get(leaf) ?? 0);
  }

  set(leaf: number, mark: number): void {
    if (this.dense !== undefined) this.dense[leaf] = mark;
    else this.sparse!.set(leaf, mark);
  }

  /**
   * The first marked leaf at or after `from`, or -1. For reading in increasing order once the
   * walks are done: calls must not go backwards.
   */
  nextMarked(from: number): number {
    const dense = this.dense;
    if (dense !== undefined) {
      for (let leaf = from; leaf < dense.length; leaf++) if (dense[leaf] !== 0) return leaf;
      return -1;
    }
    const sorted = (this.sortedSparse ??= Float64Array.from(this.sparse!.keys()).sort());
    while (this.cursor < sorted.length && sorted[this.cursor]! < from) this.cursor++;
    return this.cursor < sorted.length ? sorted[this.cursor]! : -1;
  }
}
