// The buddy allocator model: buddyalloc's Heap<N> step by step, with its free lists living in a
// byte image exactly as the crate leaves target memory (each free block's first word holds `next`).
//
// Shadow arrays indexed by minimum block ("leaf") give O(1) unlinking where the crate walks the
// list; unlinking from a singly linked list keeps the others' order, and the predecessor's word is
// rewritten in the image just as the crate's `*checking = next` does, so bytes and order agree.
import { ByteImage } from '../memory/byteImage';
import {
  HeapError, HeapLayout, LayoutShapeError, hex, log2Floor, minBlockSize, validateLayout,
} from '../layout';
import { AllocationError, allocationOrder, allocationOrderFast } from './allocationSize';

/** The most minimum blocks a simulation holds (the shadow and bookkeeping arrays cost ~20 bytes each). */
export const MAX_SIMULATED_LEAVES = 1 << 22;

export type CreateError = HeapError | LayoutShapeError | 'TooManyBlocksToSimulate';

export type FreeErrorName = 'OutOfHeap' | 'NotAllocated' | 'DoubleFree' | 'LayoutMismatch' | 'InvalidLayout';

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

const NONE = -1;
const NEVER = -1;
const FREED = -2;
const BAD_ALIGNMENT: AllocateResult = { ok: false, error: 'InvalidSize(BadAlignment)' };
const TOO_LARGE: AllocateResult = { ok: false, error: 'InvalidSize(TooLarge)' };
const EXHAUSTED: AllocateResult = { ok: false, error: 'HeapExhausted' };
const TWO_32 = 0x1_0000_0000;

export class BuddyHeap {
  readonly layout: HeapLayout;
  readonly image: ByteImage;
  readonly size: number;
  readonly orders: number;
  readonly minBlock: number;
  readonly minBlockLog2: number;
  readonly leaves: number;

  /** `free_lists[k]` as leaf indexes (NONE = null). */
  private readonly heads: Int32Array;
  /** Shadow of each listed free block's `next` word (leaf index or NONE). */
  private readonly nextLeaf: Int32Array;
  private readonly prevLeaf: Int32Array;
  /** order + 1 where a listed free block starts, else 0. */
  private readonly listedOrder: Uint8Array;
  /** Blocks on each free list, kept with every push and unlink so statistics cost O(N). */
  private readonly listed: Float64Array;
  /**
   * Allocation bookkeeping per leaf in typed arrays (no objects or hash maps on the hot path):
   * the block order where an allocation starts, FREED where one was freed since, else NEVER.
   */
  private readonly allocOrder: Int8Array;
  /** The requested layout (sizes of live allocations never exceed the heap, so they are exact). */
  private readonly allocSize: Float64Array;
  private readonly allocAlign: Uint16Array;
  private readonly owners = new Map<number, string>();
  private liveCount = 0;
  private readonly baseLow: number;
  private readonly baseHigh: number;
  /** The base as a number, NaN when it does not fit a double exactly (then use address()). */
  readonly baseNumber: number;

  private constructor(layout: HeapLayout, image: ByteImage, fresh: boolean) {
    this.layout = layout;
    this.image = image;
    this.size = Number(layout.size);
    this.orders = layout.orders;
    this.minBlock = Number(minBlockSize(layout));
    this.minBlockLog2 = log2Floor(minBlockSize(layout));
    this.leaves = this.size / this.minBlock;
    this.heads = new Int32Array(this.orders).fill(NONE);
    this.nextLeaf = new Int32Array(this.leaves).fill(NONE);
    this.prevLeaf = new Int32Array(this.leaves).fill(NONE);
    this.listedOrder = new Uint8Array(this.leaves);
    this.listed = new Float64Array(this.orders);
    this.allocOrder = new Int8Array(this.leaves).fill(NEVER);
    this.allocSize = new Float64Array(this.leaves);
    this.allocAlign = new Uint16Array(this.leaves);
    this.baseLow = Number(layout.base & 0xffff_ffffn);
    this.baseHigh = Number(layout.base >> 32n);
    this.baseNumber = layout.base <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(layout.base) : NaN;
    if (fresh) {
      // new_unchecked: the whole heap is the one block of the top list; its `next` word is never
      // written (the crate leaves it uninitialised and never reads it).
      this.heads[this.orders - 1] = 0;
      this.listedOrder[0] = this.orders;
      this.listed[this.orders - 1] = 1;
    }
  }

  /** `Heap::<N>::new(base, size)`: the seed's validation, then a heap that is one free block. */
  static create(layout: HeapLayout): { ok: true; heap: BuddyHeap } | { ok: false; error: CreateError } {
    const error = validateLayout(layout);
    if (error) return { ok: false, error };
    if ((1n << BigInt(layout.orders - 1)) > BigInt(MAX_SIMULATED_LEAVES)) {
      return { ok: false, error: 'TooManyBlocksToSimulate' };
    }
    const image = new ByteImage(Number(layout.size), { pointerWidth: layout.pointerWidth, endianness: layout.endianness });
    return { ok: true, heap: new BuddyHeap(layout, image, true) };
  }

  /**
   * A model over existing state: the struct's list heads and the heap bytes (a live snapshot), so
   * "would this allocation succeed on the device?" runs on a copy. Throws on a list the decoder
   * would flag; check findings first.
   */
  static fromState(layout: HeapLayout, freeLists: readonly bigint[], image: ByteImage): BuddyHeap {
    const error = validateLayout(layout);
    if (error) throw new Error(`layout rejected: ${error}`);
    if ((1n << BigInt(layout.orders - 1)) > BigInt(MAX_SIMULATED_LEAVES)) throw new Error('too many minimum blocks to simulate');
    const heap = new BuddyHeap(layout, image.clone(), false);
    for (let order = 0; order < heap.orders; order++) {
      const blockLeaves = 1 << order;
      let address = freeLists[order] ?? 0n;
      let previous = NONE;
      let steps = 0;
      while (address !== 0n) {
        const offset = address - layout.base;
        if (offset < 0n || offset >= layout.size) throw new Error(`free list ${order}: ${hex(address)} lies outside the heap`);
        const leaf = Number(offset) / heap.minBlock;
        if (!Number.isInteger(leaf) || leaf % blockLeaves !== 0) throw new Error(`free list ${order}: ${hex(address)} is not aligned to its order`);
        if (heap.listedOrder[leaf] !== 0 || ++steps > heap.leaves) throw new Error(`free list ${order}: ${hex(address)} is listed twice`);
        heap.listedOrder[leaf] = order + 1;
        heap.listed[order]!++;
        heap.prevLeaf[leaf] = previous;
        if (previous === NONE) heap.heads[order] = leaf;
        else heap.nextLeaf[previous] = leaf;
        previous = leaf;
        if (order === heap.orders - 1) break; // the crate never reads the top block's `next`
        const next = heap.image.readWord(Number(offset));
        if (next === undefined) throw new Error(`free list ${order}: the next word of ${hex(address)} is unreadable`);
        address = next;
      }
    }
    return heap;
  }

  // #region the crate's operations

  allocate(size: bigint | number, align: bigint | number, owner?: string): AllocateResult {
    const needed = this.orderFor(size, align);
    if (needed === -1) return BAD_ALIGNMENT;
    if (needed === -2) return TOO_LARGE;
    for (let order = needed; order < this.orders; order++) {
      const leaf = this.pop(order);
      if (leaf === NONE) continue;
      // Split: each upper half goes onto the list one order down, largest first (LIFO inserts).
      for (let at = order; at > needed; at--) this.insert(at - 1, leaf + (1 << (at - 1)));
      this.allocOrder[leaf] = needed;
      this.allocSize[leaf] = Number(size);
      this.allocAlign[leaf] = Number(align);
      if (owner !== undefined) this.owners.set(leaf, owner);
      else if (this.owners.size > 0) this.owners.delete(leaf);
      this.liveCount++;
      return { ok: true, offset: leaf * this.minBlock, order: needed, splitFrom: order };
    }
    return EXHAUSTED;
  }

  /** allocation_order, on numbers when they are exact (the hot path), else on bigints; -1/-2 for errors. */
  private orderFor(size: bigint | number, align: bigint | number): number {
    if (typeof size === 'number' && typeof align === 'number' && Number.isSafeInteger(size) && size >= 0 && Number.isSafeInteger(align) && this.size <= 2 ** 52) {
      return allocationOrderFast(size, align, this.size, this.minBlock, this.minBlockLog2);
    }
    const sized = allocationOrder(BigInt(size), BigInt(align), this.layout.size, this.minBlockLog2);
    return sized.ok ? sized.order : sized.error === 'BadAlignment' ? -1 : -2;
  }

  /** `deallocate`, after rejecting what the seed would treat as undefined behaviour. */
  deallocate(offset: number, size: bigint | number, align: bigint | number): DeallocateResult {
    const problem = this.checkFree(offset, size, align);
    if (problem) return { ok: false, ...problem };
    const leaf = offset / this.minBlock;
    const allocatedOrder = this.allocOrder[leaf]!;
    this.allocOrder[leaf] = FREED;
    if (this.owners.size > 0) this.owners.delete(leaf);
    this.liveCount--;
    let block = leaf;
    for (let order = allocatedOrder; order < this.orders; order++) {
      if (order < this.orders - 1) {
        // The buddy is found by flipping the block-size bit of the offset.
        const buddy = block ^ (1 << order);
        if (this.remove(order, buddy)) {
          block = Math.min(block, buddy);
          continue;
        }
      }
      this.insert(order, block);
      return { ok: true, order: allocatedOrder, mergedOffset: block * this.minBlock, mergedOrder: order };
    }
    throw new Error('unreachable: the top order always inserts');
  }

  private checkFree(offset: number, size: bigint | number, align: bigint | number): { error: FreeErrorName; message: string } | undefined {
    // Messages are built only on the error paths: frees are half of every replayed trace.
    const address = () => hex(this.layout.base + BigInt(offset));
    if (!Number.isSafeInteger(offset) || offset < 0 || offset >= this.size) {
      return { error: 'OutOfHeap', message: `${Number.isSafeInteger(offset) ? address() : 'the address'} is outside the heap ${hex(this.layout.base)}..${hex(this.layout.base + this.layout.size)}` };
    }
    const leaf = offset / this.minBlock;
    const state = Number.isInteger(leaf) ? this.allocOrder[leaf]! : NEVER;
    // A layout equal to the one recorded at allocation was valid then: only other cases need the
    // rounding to tell an invalid layout from a mismatch (frees are half of a replayed trace).
    const same = state >= 0 && this.allocSize[leaf] === Number(size) && this.allocAlign[leaf] === Number(align);
    if (same) return undefined;
    if (this.orderFor(size, align) < 0) {
      const sized = allocationOrder(BigInt(size), BigInt(align), this.layout.size, this.minBlockLog2);
      return { error: 'InvalidLayout', message: `size ${size} align ${align} is not a layout the heap could have allocated (${sized.ok ? '' : sized.error}); the crate panics on it` };
    }
    if (state < 0) {
      if (state === FREED) {
        return { error: 'DoubleFree', message: `${address()} was already freed; freeing it again would put it on a free list twice` };
      }
      return { error: 'NotAllocated', message: `${address()} is not the start of an allocated block` };
    }
    return {
      error: 'LayoutMismatch',
      message: `${address()} was allocated with size ${this.allocSize[leaf]} align ${this.allocAlign[leaf]}, not size ${size} align ${align}; deallocate needs the same layout`,
    };
  }

  /** `free_list_pop`: the top order's list is emptied without reading `next` (the crate's special case). */
  private pop(order: number): number {
    const leaf = this.heads[order]!;
    if (leaf === NONE) return NONE;
    const next = this.nextLeaf[leaf]!;
    this.listedOrder[leaf] = 0;
    this.nextLeaf[leaf] = NONE;
    this.listed[order]!--;
    if (order !== this.orders - 1) {
      this.heads[order] = next;
      if (next !== NONE) this.prevLeaf[next] = NONE;
    } else {
      this.heads[order] = NONE;
      // Anything chained behind a top-order block is dropped from the lists, as in the crate.
      for (let orphan = next; orphan !== NONE; ) {
        const after = this.nextLeaf[orphan]!;
        this.listedOrder[orphan] = 0;
        this.listed[order]!--;
        this.nextLeaf[orphan] = NONE;
        this.prevLeaf[orphan] = NONE;
        orphan = after;
      }
    }
    return leaf;
  }

  /** `free_list_insert`: write the old head into the block's first word, make the block the head. */
  private insert(order: number, leaf: number): void {
    const head = this.heads[order]!;
    this.writeNext(leaf, head);
    this.nextLeaf[leaf] = head;
    this.prevLeaf[leaf] = NONE;
    if (head !== NONE) this.prevLeaf[head] = leaf;
    this.heads[order] = leaf;
    this.listedOrder[leaf] = order + 1;
    this.listed[order]!++;
  }

  /** `free_list_remove`: unlink if listed at this order, rewriting the predecessor's word. */
  private remove(order: number, leaf: number): boolean {
    if (this.listedOrder[leaf] !== order + 1) return false;
    const previous = this.prevLeaf[leaf]!;
    const next = this.nextLeaf[leaf]!;
    if (previous === NONE) this.heads[order] = next;
    else {
      this.nextLeaf[previous] = next;
      this.writeNext(previous, next);
    }
    if (next !== NONE) this.prevLeaf[next] = previous;
    this.listedOrder[leaf] = 0;
    this.listed[order]!--;
    this.nextLeaf[leaf] = NONE;
    this.prevLeaf[leaf] = NONE;
    return true;
  }

  /** Stores the address of `target` (or null) in the first word of `leaf`, as the target would. */
  private writeNext(leaf: number, target: number): void {
    if (target === NONE) {
      this.image.writeWordParts(leaf * this.minBlock, 0, 0);
      return;
    }
    const offset = target * this.minBlock;
    const offsetLow = offset % TWO_32;
    const low = this.baseLow + offsetLow;
    const high = (this.baseHigh + (offset - offsetLow) / TWO_32 + (low >= TWO_32 ? 1 : 0)) % TWO_32;
    this.image.writeWordParts(leaf * this.minBlock, low % TWO_32, high);
  }

  // #endregion

  // #region reading the state

  /** One free list as heap offsets, head first, exactly as the crate would walk it. */
  freeList(order: number): number[] {
    const out: number[] = [];
    for (let leaf = this.heads[order] ?? NONE; leaf !== NONE; leaf = this.nextLeaf[leaf]!) {
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

  allocationAt(offset: number): Allocation | undefined {
    const leaf = offset / this.minBlock;
    return Number.isInteger(leaf) && leaf >= 0 && leaf < this.leaves && this.allocOrder[leaf]! >= 0 ? this.allocationRecord(leaf) : undefined;
  }

  /** Live allocations in address order. */
  liveAllocations(): Allocation[] {
    const out: Allocation[] = [];
    for (let leaf = 0; leaf < this.leaves && out.length < this.liveCount; leaf++) {
      if (this.allocOrder[leaf]! >= 0) out.push(this.allocationRecord(leaf));
    }
    return out;
  }

  /** Number of live allocations. */
  get allocationCount(): number {
    return this.liveCount;
  }

  private allocationRecord(leaf: number): Allocation {
    return { offset: leaf * this.minBlock, order: this.allocOrder[leaf]!, size: BigInt(this.allocSize[leaf]!), align: BigInt(this.allocAlign[leaf]!), owner: this.owners.get(leaf) };
  }

  address(offset: number): bigint {
    return this.layout.base + BigInt(offset);
  }

  /** address(offset) in lowercase hex without 0x; on numbers when the address is exact in a double. */
  addressHex(offset: number): string {
    const sum = this.baseNumber + offset;
    return sum <= Number.MAX_SAFE_INTEGER ? sum.toString(16) : this.address(offset).toString(16);
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
    const copy = new BuddyHeap(this.layout, this.image.clone(), false);
    copy.heads.set(this.heads);
    copy.nextLeaf.set(this.nextLeaf);
    copy.prevLeaf.set(this.prevLeaf);
    copy.listedOrder.set(this.listedOrder);
    copy.listed.set(this.listed);
    copy.allocOrder.set(this.allocOrder);
    copy.allocSize.set(this.allocSize);
    copy.allocAlign.set(this.allocAlign);
    for (const [leaf, owner] of this.owners) copy.owners.set(leaf, owner);
    copy.liveCount = this.liveCount;
    return copy;
  }

  // #endregion
}
