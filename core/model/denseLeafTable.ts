// Leaf bookkeeping in one typed array indexed by leaf (16 bytes a leaf): the replay hot path, with
// no objects or hashing per operation. For heaps of up to DENSE_LEAF_LIMIT leaves.
//
// A leaf's four words sit together, so unlinking a block touches one cache line of it instead of
// one in each of six arrays. Zero means "nothing here" in every word (links are stored as
// leaf - NONE), so creating a table touches no memory: a trace pays only for the pages of leaves
// it uses, where filling with NONE would fault in all of them (8 MB at N = 20).
import { FREED, LeafTable, NEVER, NONE } from './leafTable';

const WORDS = 4;
const NEXT = 0;
const PREV = 1;
/** Bits 0-7: listed order + 1 (0 = not listed); 8-15: allocation state + 1 as a signed byte; 16-31: alignment. */
const FLAGS = 2;
/** The requested size when below SIZE_IN_MAP, else SIZE_IN_MAP and the exact size in bigSizes. */
const SIZE = 3;
/** 2^32 - 1 as the int32 it is stored as. */
const SIZE_IN_MAP = -1;
const LARGEST_STORED_SIZE = 0xffff_fffe;

export class DenseLeafTable implements LeafTable {
  private constructor(
    private readonly cells: Int32Array,
    private readonly bigSizes: Map<number, bigint>,
  ) {}

  static create(leaves: number): DenseLeafTable {
    return new DenseLeafTable(new Int32Array(leaves * WORDS), new Map());
  }

  listedOrder(leaf: number): number {
    return this.cells[leaf * WORDS + FLAGS]! & 0xff;
  }
  next(leaf: number): number {
    return this.cells[leaf * WORDS + NEXT]! + NONE;
  }
  prev(leaf: number): number {
    return this.cells[leaf * WORDS + PREV]! + NONE;
  }
  setNext(leaf: number, next: number): void {
    this.cells[leaf * WORDS + NEXT] = next - NONE;
  }
  setPrev(leaf: number, prev: number): void {
    this.cells[leaf * WORDS + PREV] = prev - NONE;
  }

  markListed(leaf: number, order: number, next: number, prev: number): void {
    const at = leaf * WORDS;
    const cells = this.cells;
    cells[at + NEXT] = next - NONE;
    cells[at + PREV] = prev - NONE;
    cells[at + FLAGS] = (cells[at + FLAGS]! & ~0xff) | (order + 1);
  }

  clearListed(leaf: number): void {
    const at = leaf * WORDS;
    const cells = this.cells;
    cells[at + NEXT] = 0;
    cells[at + PREV] = 0;
    cells[at + FLAGS] = cells[at + FLAGS]! & ~0xff;
  }

  /** Bits 8-15 hold state - NEVER (0 for NEVER), read back as a signed byte. */
  allocationOrder(leaf: number): number {
    return ((this.cells[leaf * WORDS + FLAGS]! << 16) >> 24) + NEVER;
  }

  recordAllocation(leaf: number, order: number, size: bigint | number, align: bigint | number): void {
    const at = leaf * WORDS;
    const cells = this.cells;
    const n = Number(size);
    cells[at + FLAGS] = (cells[at + FLAGS]! & 0xff) | (((order - NEVER) & 0xff) << 8) | (Number(align) << 16);
    if (n <= LARGEST_STORED_SIZE) {
      cells[at + SIZE] = n;
      if (this.bigSizes.size > 0) this.bigSizes.delete(leaf);
    } else {
      this.recordBigSize(leaf, size);
    }
  }

  /** Apart from recordAllocation so the hot method stays small enough for V8 to inline. */
  private recordBigSize(leaf: number, size: bigint | number): void {
    this.cells[leaf * WORDS + SIZE] = SIZE_IN_MAP;
    this.bigSizes.set(leaf, BigInt(size));
  }

  recordFree(leaf: number): void {
    const at = leaf * WORDS + FLAGS;
    this.cells[at] = (this.cells[at]! & ~0xff00) | (((FREED - NEVER) & 0xff) << 8);
  }

  sameLayout(leaf: number, size: bigint | number, align: bigint | number): boolean {
    const at = leaf * WORDS;
    if (this.cells[at + FLAGS]! >>> 16 !== Number(align)) return false;
    const stored = this.cells[at + SIZE]!;
    return stored !== SIZE_IN_MAP ? stored >>> 0 === Number(size) : this.sameBigSize(leaf, size);
  }

  /** Apart from sameLayout so the hot method stays small enough for V8 to inline. */
  private sameBigSize(leaf: number, size: bigint | number): boolean {
    const exact = typeof size === 'bigint' ? size : Number.isInteger(size) ? BigInt(size) : undefined;
    return this.bigSizes.get(leaf) === exact;
  }

  requestedSize(leaf: number): bigint {
    const stored = this.cells[leaf * WORDS + SIZE]!;
    return stored === SIZE_IN_MAP ? this.bigSizes.get(leaf)! : BigInt(stored >>> 0);
  }

  requestedAlign(leaf: number): bigint {
    return BigInt(this.cells[leaf * WORDS + FLAGS]! >>> 16);
  }

  allocatedLeaves(count: number): number[] {
    const out: number[] = [];
    const leaves = this.cells.length / WORDS;
    for (let leaf = 0; leaf < leaves && out.length < count; leaf++) if (this.allocationOrder(leaf) >= 0) out.push(leaf);
    return out;
  }

  clone(): DenseLeafTable {
    return new DenseLeafTable(this.cells.slice(), new Map(this.bigSizes));
  }
}
