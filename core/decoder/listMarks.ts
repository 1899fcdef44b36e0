// Which list last visited each minimum block ("leaf"), as order + 1 (0 = none). Lists are walked
// in increasing order, so the mark is also the highest order listed at that address. Small heaps
// get a byte per leaf (no hashing in the hot loop); heaps with more leaves than that would cost
// get a map that grows only with the blocks actually listed. One class for both keeps the walk's
// calls monomorphic.

/** Up to this many leaves (16 MiB of marks) the dense form is used. */
export const DEFAULT_DENSE_LEAF_LIMIT = 1 << 24;

export class ListMarks {
  private readonly dense: Uint8Array | undefined;
  private readonly sparse: Map<number, number> | undefined;
  private marked = 0;

  constructor(leaves: number, denseLimit: number = DEFAULT_DENSE_LEAF_LIMIT) {
    if (leaves <= denseLimit) this.dense = new Uint8Array(leaves);
    else this.sparse = new Map();
  }

  get(leaf: number): number {
    return this.dense !== undefined ? this.dense[leaf]! : this.sparse!.get(leaf) ?? 0;
  }

  set(leaf: number, mark: number): void {
    if (this.get(leaf) === 0) this.marked++;
    if (this.dense !== undefined) this.dense[leaf] = mark;
    else this.sparse!.set(leaf, mark);
  }

  /** Every marked leaf in increasing order, with its mark. */
  sorted(): { readonly leaves: Float64Array; readonly marks: Uint8Array } {
    const leaves = new Float64Array(this.marked);
    const marks = new Uint8Array(this.marked);
    if (this.dense !== undefined) {
      const all = this.dense;
      let n = 0;
      for (let leaf = 0; leaf < all.length && n < this.marked; leaf++) {
        const mark = all[leaf]!;
        if (mark === 0) continue;
        leaves[n] = leaf;
        marks[n++] = mark;
      }
    } else {
      leaves.set(Float64Array.from(this.sparse!.keys()).sort());
      for (let i = 0; i < leaves.length; i++) marks[i] = this.sparse!.get(leaves[i]!) ?? 0;
    }
    return { leaves, marks };
  }
}
