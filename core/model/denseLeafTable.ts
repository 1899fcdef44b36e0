// Leaf bookkeeping in typed arrays indexed by leaf (~20 bytes a leaf): the replay hot path, with
// no objects or hashing per operation. For heaps of up to DENSE_LEAF_LIMIT leaves.
//
// Every array starts as zeros and zero means "nothing here" (links are stored as leaf - NONE, the
// allocation state as state - NEVER), so creating a table touches no memory: a trace pays only for
// the pages of leaves it uses, where filling with NONE would fault in all of them (10 MB at N = 20).
import { FREED, LeafTable, NEVER, NONE } from './leafTable';

export class DenseLeafTable implements LeafTable {
  private constructor(
    /** next - NONE and prev - NONE (0 = NONE). */
    private readonly nextLeaf: Int32Array,
    private readonly prevLeaf: Int32Array,
    private readonly listed: Uint8Array,
    /** allocation state - NEVER: 0 = NEVER, FREED - NEVER, order + 1 for a live allocation. */
    private readonly allocOrder: Int8Array,
    /** Requested sizes: exact up to 2^53; larger ones are also kept exactly in bigSizes. */
    private readonly allocSize: Float64Array,
    /** Alignments of live allocations are at most MIN_HEAP_ALIGN (4096). */
    private readonly allocAlign: Uint16Array,
    private readonly bigSizes: Map<number, bigint>,
  ) {}

  static create(leaves: number): DenseLeafTable {
    return new DenseLeafTable(
      new Int32Array(leaves), new Int32Array(leaves), new Uint8Array(leaves),
      new Int8Array(leaves), new Float64Array(leaves), new Uint16Array(leaves), new Map(),
    );
  }

  listedOrder(leaf: number): number { return this.listed[leaf]!; }
  next(leaf: number): number { return this.nextLeaf[leaf]! + NONE; }
  prev(leaf: number): number { return this.prevLeaf[leaf]! + NONE; }
  setNext(leaf: number, next: number): void { this.nextLeaf[leaf] = next - NONE; }
  setPrev(leaf: number, prev: number): void { this.prevLeaf[leaf] = prev - NONE; }

  markListed(leaf: number, order: number, next: number, prev: number): void {
    this.listed[leaf] = order + 1;
    this.nextLeaf[leaf] = next - NONE;
    this.prevLeaf[leaf] = prev - NONE;
  }

  clearListed(leaf: number): void {
    this.listed[leaf] = 0;
    this.nextLeaf[leaf] = 0;
    this.prevLeaf[leaf] = 0;
  }

  allocationOrder(leaf: number): number { return this.allocOrder[leaf]! + NEVER; }

  recordAllocation(leaf: number, order: number, size: bigint | number, align: bigint | number): void {
    const n = Number(size);
    this.allocOrder[leaf] = order - NEVER;
    this.allocSize[leaf] = n;
    this.allocAlign[leaf] = Number(align);
    if (n > Number.MAX_SAFE_INTEGER) this.bigSizes.set(leaf, BigInt(size));
    else if (this.bigSizes.size > 0) this.bigSizes.delete(leaf);
  }

  recordFree(leaf: number): void { this.allocOrder[leaf] = FREED - NEVER; }

  sameLayout(leaf: number, size: bigint | number, align: bigint | number): boolean {
    if (this.allocSize[leaf] !== Number(size) || this.allocAlign[leaf] !== Number(align)) return false;
    // Equal as doubles; sizes above 2^53 may still differ in their low bits.
    return this.bigSizes.size === 0 || !this.bigSizes.has(leaf) || this.bigSizes.get(leaf) === BigInt(size);
  }

  requestedSize(leaf: number): bigint { return this.bigSizes.get(leaf) ?? BigInt(this.allocSize[leaf]!); }
  requestedAlign(leaf: number): bigint { return BigInt(this.allocAlign[leaf]!); }

  allocatedLeaves(count: number): number[] {
    const out: number[] = [];
    const orders = this.allocOrder;
    for (let leaf = 0; leaf < orders.length && out.length < count; leaf++) if (orders[leaf]! + NEVER >= 0) out.push(leaf);
    return out;
  }

  clone(): DenseLeafTable {
    return new DenseLeafTable(
      this.nextLeaf.slice(), this.prevLeaf.slice(), this.listed.slice(), this.allocOrder.slice(),
      this.allocSize.slice(), this.allocAlign.slice(), new Map(this.bigSizes),
    );
  }
}
