// Leaf bookkeeping in maps keyed by leaf, for heaps with more leaves than typed arrays should hold
// (up to 2^31 at N = 32). Memory grows with the blocks listed or allocated, not with the heap.
import { FREED, LeafTable, NEVER, NONE } from './leafTable';

interface ListNode {
  next: number;
  prev: number;
  order: number;
}
interface AllocationEntry {
  readonly order: number;
  readonly size: bigint;
  readonly align: number;
}

export class SparseLeafTable implements LeafTable {
  private constructor(
    private readonly listed: Map<number, ListNode>,
    private readonly allocations: Map<number, AllocationEntry>,
    /** Leaves where an allocation started and was freed since (for telling a double free). */
    private readonly freed: Set<number>,
  ) {}

  static create(): SparseLeafTable {
    return new SparseLeafTable(new Map(), new Map(), new Set());
  }

  listedOrder(leaf: number): number {
    const node = this.listed.get(leaf);
    return node === undefined ? 0 : node.order + 1;
  }

  next(leaf: number): number {
    return this.listed.get(leaf)?.next ?? NONE;
  }
  prev(leaf: number): number {
    return this.listed.get(leaf)?.prev ?? NONE;
  }

  setNext(leaf: number, next: number): void {
    this.node(leaf).next = next;
  }
  setPrev(leaf: number, prev: number): void {
    this.node(leaf).prev = prev;
  }

  markListed(leaf: number, order: number, next: number, prev: number): void {
    this.listed.set(leaf, { next, prev, order });
  }

  clearListed(leaf: number): void {
    this.listed.delete(leaf);
  }

  allocationOrder(leaf: number): number {
    const entry = this.allocations.get(leaf);
    if (entry !== undefined) return entry.order;
    return this.freed.has(leaf) ? FREED : NEVER;
  }

  recordAllocation(leaf: number, order: number, size: bigint | number, align: bigint | number): void {
    this.allocations.set(leaf, { order, size: BigInt(size), align: Number(align) });
    this.freed.delete(leaf);
  }

  recordFree(leaf: number): void {
    this.allocations.delete(leaf);
    this.freed.add(leaf);
  }

  sameLayout(leaf: number, size: bigint | number, align: bigint | number): boolean {
    const entry = this.allocations.get(leaf);
    return entry !== undefined && entry.size === BigInt(size) && entry.align === Number(align);
  }

  requestedSize(leaf: number): bigint {
    return this.allocations.get(leaf)?.size ?? 0n;
  }
  requestedAlign(leaf: number): bigint {
    return BigInt(this.allocations.get(leaf)?.align ?? 0);
  }

  allocatedLeaves(): number[] {
    return [...this.allocations.keys()].sort((a, b) => a - b);
  }

  clone(): SparseLeafTable {
    const listed = new Map<number, ListNode>();
    for (const [leaf, node] of this.listed) listed.set(leaf, { ...node });
    return new SparseLeafTable(listed, new Map(this.allocations), new Set(this.freed));
  }

  /** The node of a listed leaf; the model only relinks blocks it knows are listed. */
  private node(leaf: number): ListNode {
    const node = this.listed.get(leaf);
    if (node === undefined) throw new Error(`internal: leaf ${leaf} is not on a free list`);
    return node;
  }
}
