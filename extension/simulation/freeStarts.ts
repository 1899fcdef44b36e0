// Where free blocks start, counted per leaf in a Fenwick tree: "does this buddy block hold a free
// block?" in O(log leaves), for keeping the decoder's view of a simulated heap up to date one
// operation at a time. Free blocks never overlap, so a block holds one exactly when one starts
// inside it.
export class FreeStarts {
  private readonly tree: Int32Array;

  private constructor(readonly leaves: number) {
    this.tree = new Int32Array(leaves + 1);
  }

  /** From the free blocks' first leaves, in O(leaves). */
  static of(leaves: number, starts: Iterable<number>): FreeStarts {
    const counts = new FreeStarts(leaves);
    const tree = counts.tree;
    for (const leaf of starts) tree[leaf + 1]!++;
    for (let i = 1; i <= leaves; i++) {
      const parent = i + (i & -i);
      if (parent <= leaves) tree[parent]! += tree[i]!;
    }
    return counts;
  }

  add(leaf: number, delta: number): void {
    for (let i = leaf + 1; i <= this.leaves; i += i & -i) this.tree[i]! += delta;
  }

  /** Free blocks starting in [from, to). */
  countIn(from: number, to: number): number {
    return this.prefix(to) - this.prefix(from);
  }

  private prefix(end: number): number {
    let sum = 0;
    for (let i = end; i > 0; i -= i & -i) sum += this.tree[i]!;
    return sum;
  }
}
