// The buddy allocator model: buddyalloc's Heap<N> step by step, with its free lists living in a
// byte image exactly as the crate leaves target memory (each free block's first word holds `next`).
//
// A shadow of the lists per minimum block ("leaf", see LeafTable) gives O(1) unlinking where the
// crate walks the list; unlinking from a singly linked list keeps the others' order, and the
// predecessor's word is rewritten in the image just as the crate's `*checking = next` does, so
// bytes and order agree. Leaf indexes are below 2^31 (N <= 32), so they fit int32 bit operations.
import { ByteImage } from '../memory/byteImage';
import { HeapError, HeapLayout, LayoutShapeError, hex, log2Floor, minBlockSize, validateLayout } from '../layout';
import { AllocationError, allocationOrder, allocationOrderFast } from './allocationSize';
import { DenseLeafTable } from './denseLeafTable';
import { type FreeErrorName, freeProblem } from './freeProblems';
import { LeafTable, FREED, NONE } from './leafTable';
import { SparseLeafTable } from './sparseLeafTable';

/**
 * Up to this many minimum blocks the model keeps its bookkeeping in a typed array (16 bytes a
 * leaf, the fast path); larger heaps get maps that grow with the blocks in use.
 */
export const DENSE_LEAF_LIMIT = 1 << 22;

/**
 * The most minimum blocks the extension's panel simulates: it indexes and paints every block and
 * keeps history checkpoints. The model itself simulates any valid layout (N up to 32).
 */
export const MAX_SIMULATED_LEAVES = DENSE_LEAF_LIMIT;

export type CreateError = HeapError | LayoutShapeError;

export type { FreeErrorName } from './freeProblems';

export interface Allocation {
  readonly offset: number;
  readonly order: number;
  /** The layout the caller asked for; a free must name the same one. */
  readonly size: bigint;
  readonly align: bigint;
  readonly owner: string | undefined;
}

export type AllocateResult =
  | { readonly ok: true; readonly offset: number; readonly order: number; readonly splitFrom: number }
  | { readonly ok: false; readonly error: AllocationError };

export type DeallocateResult =
  | { readonly ok: true; readonly order: number; readonly mergedOffset: number; readonly mergedOrder: number }
  | { readonly ok: false; readonly error: FreeErrorName; readonly message: string };

/** The heap struct's fields as the crate stores them (what a debugger reads from `Heap<N>`). */
export interface HeapStructFields {
  readonly heapBase: bigint;
  readonly heapSize: bigint;
  /** `free_lists[k]` as raw addresses, 0 for null. */
  readonly freeLists: readonly bigint[];
  readonly minBlockSize: bigint;
  readonly minBlockSizeLog2: number;
}

export interface ModelOptions {
  /** Heaps of up to this many leaves get typed-array bookkeeping (tests lower it to check the maps). */
  readonly denseLeafLimit?: number;
  /**
   * False for a model whose heap bytes nobody reads (`replay --json` prints results and free lists,
   * both from the shadow lists): the `next` words are then not written, and `image` throws.
   */
  readonly keepImage?: boolean;
}

const BAD_ALIGNMENT: AllocateResult = { ok: false, error: 'InvalidSize(BadAlignment)' };
const TOO_LARGE: AllocateResult = { ok: false, error: 'InvalidSize(TooLarge)' };
const EXHAUSTED: AllocateResult = { ok: false, error: 'HeapExhausted' };
const TWO_32 = 0x1_0000_0000;

/** allocateLeaf's failures (leaves are never negative). */
export const ALLOC_BAD_ALIGNMENT = -1;
export const ALLOC_TOO_LARGE = -2;
export const ALLOC_EXHAUSTED = -3;

export class BuddyHeap {
  readonly layout: HeapLayout;
  /** The heap bytes, undefined when created with keepImage: false. */
  private readonly bytes: ByteImage | undefined;
  /** Heap bytes; a power of two, so exact as a number even above 2^53. */
  readonly size: number;
  readonly orders: number;
  readonly minBlock: number;
  readonly minBlockLog2: number;
  readonly leaves: number;

  /** `free_lists[k]` as leaf indexes (NONE = null). */
  private readonly heads: Int32Array;
  /** Blocks on each free list, kept with every push and unlink so statistics cost O(N). */
  private readonly listed: Float64Array;
  private readonly table: LeafTable;
  private readonly owners = new Map<number, string>();
  private liveCount = 0;
  private readonly baseLow: number;
  private readonly baseHigh: number;
  /** Every heap address is below 2^32: a next word's low half is then baseLow + offset, its high half 0. */
  private readonly narrowAddresses: boolean;
  /** The base as a number, NaN when it does not fit a double exactly (then use address()). */
  readonly baseNumber: number;
  /** What the latest allocateLeaf / deallocateLeaf did, for the result objects built from them. */
  private lastOrder = 0;
  private lastSplitFrom = 0;
  private lastMergedLeaf = 0;
  private lastMergedOrder = 0;

  private constructor(layout: HeapLayout, image: ByteImage | undefined, table: LeafTable | undefined, denseLeafLimit: number) {
    this.layout = layout;
    this.bytes = image;
    this.size = Number(layout.size);
    this.orders = layout.orders;
    this.minBlock = Number(minBlockSize(layout));
    this.minBlockLog2 = log2Floor(minBlockSize(layout));
    this.leaves = 2 ** (this.orders - 1);
    this.heads = new Int32Array(this.orders).fill(NONE);
    this.listed = new Float64Array(this.orders);
    this.table = table ?? (this.leaves <= denseLeafLimit ? DenseLeafTable.create(this.leaves) : SparseLeafTable.create());
    this.baseLow = Number(layout.base & 0xffff_ffffn);
    this.baseHigh = Number(layout.base >> 32n);
    this.narrowAddresses = layout.base + layout.size <= 1n << 32n;
    this.baseNumber = layout.base <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(layout.base) : NaN;
  }

  /** The heap's bytes as the target holds them (free blocks' `next` words). */
  get image(): ByteImage {
    if (this.bytes === undefined) throw new Error('internal: this model was created without its heap bytes (keepImage: false)');
    return this.bytes;
  }

  /** `Heap::<N>::new(base, size)`: the seed's validation, then a heap that is one free block. */
  static create(layout: HeapLayout, options: ModelOptions = {}): { ok: true; heap: BuddyHeap } | { ok: false; error: CreateError } {
    const error = validateLayout(layout);
    if (error) return { ok: false, error };
    const image =
      options.keepImage === false
        ? undefined
        : new ByteImage(Number(layout.size), { pointerWidth: layout.pointerWidth, endianness: layout.endianness });
    const heap = new BuddyHeap(layout, image, undefined, options.denseLeafLimit ?? DENSE_LEAF_LIMIT);
    // new_unchecked: the whole heap is the one block of the top list; its `next` word is never
    // written (the crate leaves it uninitialised and never reads it).
    const top = heap.orders - 1;
    heap.heads[top] = 0;
    heap.table.markListed(0, top, NONE, NONE);
    heap.listed[top] = 1;
    return { ok: true, heap };
  }

  /**
   * A model over existing state: the struct's list heads and the heap bytes (a live snapshot), so
   * "would this allocation succeed on the device?" runs on a copy. Allocations made before are
   * unknown to it (freeing them is NotAllocated). Throws on a list the decoder would flag; check
   * findings first.
   */
  static fromState(layout: HeapLayout, freeLists: readonly bigint[], image: ByteImage, options: ModelOptions = {}): BuddyHeap {
    const error = validateLayout(layout);
    if (error) throw new Error(`layout rejected: ${error}`);
    const heap = new BuddyHeap(layout, image.clone(), undefined, options.denseLeafLimit ?? DENSE_LEAF_LIMIT);
    const table = heap.table;
    for (let order = 0; order < heap.orders; order++) {
      const blockLeaves = 2 ** order;
      let address = freeLists[order] ?? 0n;
      let previous = NONE;
      let steps = 0;
      while (address !== 0n) {
        const offset = address - layout.base;
        if (offset < 0n || offset >= layout.size) throw new Error(`free list ${order}: ${hex(address)} lies outside the heap`);
        const minBlock = BigInt(heap.minBlock);
        if (offset % minBlock !== 0n || Number(offset / minBlock) % blockLeaves !== 0)
          throw new Error(`free list ${order}: ${hex(address)} is not aligned to its order`);
        const leaf = Number(offset / minBlock);
        if (table.listedOrder(leaf) !== 0 || ++steps > heap.leaves) throw new Error(`free list ${order}: ${hex(address)} is listed twice`);
        table.markListed(leaf, order, NONE, previous);
        heap.listed[order]!++;
        if (previous === NONE) heap.heads[order] = leaf;
        else table.setNext(previous, leaf);
        previous = leaf;
        if (order === heap.orders - 1) break; // the crate never reads the top block's `next`
        const next = heap.image.readWord(leaf * heap.minBlock);
        if (next === undefined) throw new Error(`free list ${order}: the next word of ${hex(address)} is unreadable`);
        address = next;
      }
    }
    return heap;
  }

  // #region the crate's operations

  allocate(size: bigint | number, align: bigint | number, owner?: string): AllocateResult {
    const leaf = this.allocateLeaf(size, align, owner);
    if (leaf >= 0) return { ok: true, offset: leaf * this.minBlock, order: this.lastOrder, splitFrom: this.lastSplitFrom };
    return leaf === ALLOC_BAD_ALIGNMENT ? BAD_ALIGNMENT : leaf === ALLOC_TOO_LARGE ? TOO_LARGE : EXHAUSTED;
  }

  /**
   * allocate() without a result object, for replaying millions of operations: the leaf where the
   * block starts, or ALLOC_BAD_ALIGNMENT / ALLOC_TOO_LARGE / ALLOC_EXHAUSTED.
   */
  allocateLeaf(size: bigint | number, align: bigint | number, owner?: string): number {
    const needed = this.orderFor(size, align);
    if (needed < 0) return needed;
    for (let order = needed; order < this.orders; order++) {
      const leaf = this.pop(order);
      if (leaf === NONE) continue;
      // Split: each upper half goes onto the list one order down, largest first (LIFO inserts).
      for (let at = order; at > needed; at--) this.insert(at - 1, leaf + (1 << (at - 1)));
      this.table.recordAllocation(leaf, needed, size, align);
      if (owner !== undefined) this.owners.set(leaf, owner);
      else if (this.owners.size > 0) this.owners.delete(leaf);
      this.liveCount++;
      this.lastOrder = needed;
      this.lastSplitFrom = order;
      return leaf;
    }
    return ALLOC_EXHAUSTED;
  }

  /** allocation_order, on numbers when they are exact (the hot path), else on bigints; ALLOC_* for errors. */
  private orderFor(size: bigint | number, align: bigint | number): number {
    if (
      typeof size === 'number' &&
      typeof align === 'number' &&
      Number.isSafeInteger(size) &&
      size >= 0 &&
      Number.isSafeInteger(align) &&
      this.size <= 2 ** 52
    ) {
      return allocationOrderFast(size, align, this.size, this.minBlock, this.minBlockLog2);
    }
    return this.orderForBig(size, align);
  }

  // Rare paths live in methods of their own: V8 inlines a hot method into the replay loop only
  // while the loop's total stays within its budget, and counts a method's rare code too.

  private orderForBig(size: bigint | number, align: bigint | number): number {
    const sized = allocationOrder(BigInt(size), BigInt(align), this.layout.size, this.minBlockLog2);
    return sized.ok ? sized.order : sized.error === 'BadAlignment' ? ALLOC_BAD_ALIGNMENT : ALLOC_TOO_LARGE;
  }

  /**
   * `deallocate` at a heap offset, after rejecting what the seed would treat as undefined
   * behaviour. The offset must be exact: for an address as given use deallocateAt.
   */
  deallocate(offset: number, size: bigint | number, align: bigint | number): DeallocateResult {
    if (this.deallocateLeaf(offset, size, align)) {
      return { ok: true, order: this.lastOrder, mergedOffset: this.lastMergedLeaf * this.minBlock, mergedOrder: this.lastMergedOrder };
    }
    const address = Number.isInteger(offset) ? this.layout.base + BigInt(offset) : undefined;
    return { ok: false, ...(address === undefined ? notAnOffset(offset) : freeProblem(this, address, size, align)) };
  }

  /**
   * deallocate() without a result object, for replaying millions of operations: true when freed;
   * false when deallocate() would refuse (nothing changed; call it for the reason).
   */
  deallocateLeaf(offset: number, size: bigint | number, align: bigint | number): boolean {
    const leaf = offset / this.minBlock;
    if (!(leaf >= 0 && leaf < this.leaves && Number.isInteger(leaf))) return false;
    const allocatedOrder = this.table.allocationOrder(leaf);
    if (allocatedOrder < 0 || !this.table.sameLayout(leaf, size, align)) return false;
    this.table.recordFree(leaf);
    if (this.owners.size > 0) this.owners.delete(leaf);
    this.liveCount--;
    let block = leaf;
    for (let order = allocatedOrder; order < this.orders; order++) {
      if (order < this.orders - 1) {
        const buddy = buddyLeaf(block, order);
        if (this.remove(order, buddy)) {
          block = Math.min(block, buddy);
          continue;
        }
      }
      this.insert(order, block);
      this.lastOrder = allocatedOrder;
      this.lastMergedLeaf = block;
      this.lastMergedOrder = order;
      return true;
    }
    throw new Error('unreachable: the top order always inserts');
  }

  /**
   * `deallocate` at a full target address, as a trace or a person gives it: any address (below
   * the base, past the end, beyond 2^53) is judged and named in errors exactly as given.
   */
  deallocateAt(address: bigint, size: bigint | number, align: bigint | number): DeallocateResult {
    const offset = address - this.layout.base;
    if (offset >= 0n && offset < this.layout.size) {
      const exact = Number(offset);
      if (BigInt(exact) === offset) return this.deallocate(exact, size, align);
    }
    // Outside the heap, or an offset no double holds exactly (so not a block start).
    return { ok: false, ...freeProblem(this, address, size, align) };
  }

  /** `free_list_pop`: the top order's list is emptied without reading `next` (the crate's special case). */
  private pop(order: number): number {
    const leaf = this.heads[order]!;
    if (leaf === NONE) return NONE;
    const table = this.table;
    const next = table.next(leaf);
    table.clearListed(leaf);
    this.listed[order]!--;
    if (order !== this.orders - 1) {
      this.heads[order] = next;
      if (next !== NONE) table.setPrev(next, NONE);
    } else {
      this.heads[order] = NONE;
      this.dropChain(order, next);
    }
    return leaf;
  }

  /** Anything chained behind a popped top-order block is dropped from the lists, as in the crate. */
  private dropChain(order: number, first: number): void {
    const table = this.table;
    for (let orphan = first; orphan !== NONE;) {
      const after = table.next(orphan);
      table.clearListed(orphan);
      this.listed[order]!--;
      orphan = after;
    }
  }

  /** `free_list_insert`: write the old head into the block's first word, make the block the head. */
  private insert(order: number, leaf: number): void {
    const head = this.heads[order]!;
    this.writeNext(leaf, head);
    this.table.markListed(leaf, order, head, NONE);
    if (head !== NONE) this.table.setPrev(head, leaf);
    this.heads[order] = leaf;
    this.listed[order]!++;
  }

  /** `free_list_remove`: unlink if listed at this order, rewriting the predecessor's word. */
  private remove(order: number, leaf: number): boolean {
    const table = this.table;
    if (table.listedOrder(leaf) !== order + 1) return false;
    const previous = table.prev(leaf);
    const next = table.next(leaf);
    if (previous === NONE) this.heads[order] = next;
    else {
      table.setNext(previous, next);
      this.writeNext(previous, next);
    }
    if (next !== NONE) table.setPrev(next, previous);
    table.clearListed(leaf);
    this.listed[order]!--;
    return true;
  }

  /** Stores the address of `target` (or null) in the first word of `leaf`, as the target would. */
  private writeNext(leaf: number, target: number): void {
    const image = this.bytes;
    if (image === undefined) return;
    if (target === NONE) {
      image.writeWordParts(leaf * this.minBlock, 0, 0);
      return;
    }
    if (this.narrowAddresses) {
      // The common case without the three % of writeWideNext, each a call to fmod on doubles.
      image.writeWordParts(leaf * this.minBlock, this.baseLow + target * this.minBlock, 0);
      return;
    }
    this.writeWideNext(image, leaf, target);
  }

  private writeWideNext(image: ByteImage, leaf: number, target: number): void {
    const offset = target * this.minBlock;
    const offsetLow = offset % TWO_32;
    const low = this.baseLow + offsetLow;
    const high = (this.baseHigh + (offset - offsetLow) / TWO_32 + (low >= TWO_32 ? 1 : 0)) % TWO_32;
    image.writeWordParts(leaf * this.minBlock, low % TWO_32, high);
  }

  /**
   * The seed's `buddy(order, block)` on offsets: the other half of the block's parent, found by
   * flipping the block-size bit; undefined for a block as large as the heap (it has no buddy).
   */
  buddyOffset(order: number, offset: number): number | undefined {
    const size = this.orderSize(order);
    if (size >= this.size) return undefined;
    const leaf = offset / this.minBlock;
    if (Number.isInteger(leaf)) return buddyLeaf(leaf, order) * this.minBlock;
    return Math.floor(offset / size) % 2 === 0 ? offset + size : offset - size;
  }

  // #endregion

  // #region reading the state

  /** One free list as heap offsets, head first, exactly as the crate would walk it. */
  freeList(order: number): number[] {
    const out: number[] = [];
    for (let leaf = this.heads[order] ?? NONE; leaf !== NONE; leaf = this.table.next(leaf)) {
      out.push(leaf * this.minBlock);
      if (order === this.orders - 1) break;
    }
    return out;
  }

  freeLists(): number[][] {
    return Array.from({ length: this.orders }, (_, order) => this.freeList(order));
  }

  /** The struct as a debugger would read it from the device. */
  structFields(): HeapStructFields {
    return {
      heapBase: this.layout.base,
      heapSize: this.layout.size,
      freeLists: Array.from(this.heads, leaf => (leaf === NONE ? 0n : this.layout.base + BigInt(leaf * this.minBlock))),
      minBlockSize: BigInt(this.minBlock),
      minBlockSizeLog2: this.minBlockLog2,
    };
  }

  /** The live allocation starting at `offset`, if one does. */
  allocationAt(offset: number): Allocation | undefined {
    const leaf = offset / this.minBlock;
    return Number.isInteger(leaf) && leaf >= 0 && leaf < this.leaves && this.table.allocationOrder(leaf) >= 0
      ? this.allocationRecord(leaf)
      : undefined;
  }

  /** The live allocation whose block holds the byte at `offset` (allocations never overlap). */
  allocationContaining(offset: number): Allocation | undefined {
    const leaf = this.leafHolding(offset);
    for (let order = 0; leaf !== NONE && order < this.orders; order++) {
      const start = leaf - (leaf % 2 ** order);
      if (this.table.allocationOrder(start) === order) return this.allocationRecord(start);
    }
    return undefined;
  }

  /** The listed free block that holds the byte at `offset`, as its offset and order. */
  freeBlockContaining(offset: number): { readonly offset: number; readonly order: number } | undefined {
    const leaf = this.leafHolding(offset);
    for (let order = 0; leaf !== NONE && order < this.orders; order++) {
      const start = leaf - (leaf % 2 ** order);
      if (this.table.listedOrder(start) === order + 1) return { offset: start * this.minBlock, order };
    }
    return undefined;
  }

  /** An allocation started at `offset` and was freed since, with none started there after. */
  freedAt(offset: number): boolean {
    const leaf = offset / this.minBlock;
    return Number.isInteger(leaf) && leaf >= 0 && leaf < this.leaves && this.table.allocationOrder(leaf) === FREED;
  }

  /** Live allocations in address order. */
  liveAllocations(): Allocation[] {
    return this.table.allocatedLeaves(this.liveCount).map(leaf => this.allocationRecord(leaf));
  }

  /** Number of live allocations. */
  get allocationCount(): number {
    return this.liveCount;
  }

  private leafHolding(offset: number): number {
    const leaf = Math.floor(offset / this.minBlock);
    return leaf >= 0 && leaf < this.leaves ? leaf : NONE;
  }

  private allocationRecord(leaf: number): Allocation {
    return {
      offset: leaf * this.minBlock,
      order: this.table.allocationOrder(leaf),
      size: this.table.requestedSize(leaf),
      align: this.table.requestedAlign(leaf),
      owner: this.owners.get(leaf),
    };
  }

  address(offset: number): bigint {
    return this.layout.base + BigInt(offset);
  }

  orderSize(order: number): number {
    return this.minBlock * 2 ** order;
  }

  /** Blocks on the free list of `order`. */
  freeCount(order: number): number {
    return this.listed[order] ?? 0;
  }

  freeBytes(): number {
    let total = 0;
    for (let order = 0; order < this.orders; order++) total += this.freeCount(order) * this.orderSize(order);
    return total;
  }

  /** The largest listed free block in bytes (0 when nothing is free): the largest request that succeeds now. */
  largestFreeBlock(): number {
    for (let order = this.orders - 1; order >= 0; order--) if (this.freeCount(order) > 0) return this.orderSize(order);
    return 0;
  }

  /** A deep copy: history checkpoints and what-if simulations run on one. */
  clone(): BuddyHeap {
    const copy = new BuddyHeap(this.layout, this.bytes?.clone(), this.table.clone(), 0);
    copy.heads.set(this.heads);
    copy.listed.set(this.listed);
    for (const [leaf, owner] of this.owners) copy.owners.set(leaf, owner);
    copy.liveCount = this.liveCount;
    return copy;
  }

  // #endregion
}

/** The buddy of a block at `order`, in leaves: flip the block-size bit (order < 31, leaf < 2^31). */
function buddyLeaf(leaf: number, order: number): number {
  return leaf ^ (1 << order);
}

function notAnOffset(offset: number): { error: FreeErrorName; message: string } {
  return { error: 'OutOfHeap', message: `offset ${offset} is not a byte offset in the heap; give the block's address` };
}
