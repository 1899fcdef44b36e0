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
import { AllocationError, allocationOrder } from './allocationSize';

/** The most minimum blocks a simulation holds (the shadow arrays cost ~9 bytes each). */
export const MAX_SIMULATED_LEAVES = 1 << 24;

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
  private readonly allocations = new Map<number, Allocation>();
  /** Leaves freed since their last allocation: a second free there is a double free. */
  private readonly freedLeaves = new Set<number>();
  private readonly baseLow: number;
  private readonly baseHigh: number;

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
    this.baseLow = Number(layout.base & 0xffff_ffffn);
    this.baseHigh = Number(layout.base >> 32n);
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
    const sized = allocationOrder(BigInt(size), BigInt(align), this.layout.size, this.minBlockLog2);
    if (!sized.ok) return { ok: false, error: `InvalidSize(${sized.error})` };
    const needed = sized.order;
    for (let order = needed; order < this.orders; order++) {
      const leaf = this.pop(order);
      if (leaf === NONE) continue;
      // Split: each upper half goes onto the list one order down, largest first (LIFO inserts).
      for (let at = order; at > needed; at--) this.insert(at - 1, leaf + (1 << (at - 1)));
      this.allocations.set(leaf, { offset: leaf * this.minBlock, order: needed, size: BigInt(size), align: BigInt(align), owner });
      this.freedLeaves.delete(leaf);
      return { ok: true, offset: leaf * this.minBlock, order: needed, splitFrom: order };
    }
    return { ok: false, error: 'HeapExhausted' };
  }

  /** `deallocate`, after rejecting what the seed would treat as undefined behaviour. */
  deallocate(offset: number, size: bigint | number, align: bigint | number): DeallocateResult {
    const problem = this.checkFree(offset, BigInt(size), BigInt(align));
    if (problem) return { ok: false, ...problem };
    const leaf = offset / this.minBlock;
    const allocation = this.allocations.get(leaf)!;
    this.allocations.delete(leaf);
    this.freedLeaves.add(leaf);
    let block = leaf;
    for (let order = allocation.order; order < this.orders; order++) {
      if (order < this.orders - 1) {
        // The buddy is found by flipping the block-size bit of the offset.
        const buddy = block ^ (1 << order);
        if (this.remove(order, buddy)) {
          block = Math.min(block, buddy);
          continue;
        }
      }
      this.insert(order, block);
      return { ok: true, order: allocation.order, mergedOffset: block * this.minBlock, mergedOrder: order };
    }
    throw new Error('unreachable: the top order always inserts');
  }

  private checkFree(offset: number, size: bigint, align: bigint): { error: FreeErrorName; message: string } | undefined {
    const address = hex(this.layout.base + BigInt(offset));
    if (!Number.isSafeInteger(offset) || offset < 0 || offset >= this.size) {
      return { error: 'OutOfHeap', message: `${address} is outside the heap ${hex(this.layout.base)}..${hex(this.layout.base + this.layout.size)}` };
    }
    const sized = allocationOrder(size, align, this.layout.size, this.minBlockLog2);
    if (!sized.ok) {
      return { error: 'InvalidLayout', message: `size ${size} align ${align} is not a layout the heap could have allocated (${sized.error}); the crate panics on it` };
    }
    const leaf = offset / this.minBlock;
    const allocation = Number.isInteger(leaf) ? this.allocations.get(leaf) : undefined;
    if (!allocation) {
      if (Number.isInteger(leaf) && this.freedLeaves.has(leaf)) {
        return { error: 'DoubleFree', message: `${address} was already freed; freeing it again would put it on a free list twice` };
      }
      return { error: 'NotAllocated', message: `${address} is not the start of an allocated block` };
    }
    if (allocation.size !== size || allocation.align !== align) {
      return {
        error: 'LayoutMismatch',
        message: `${address} was allocated with size ${allocation.size} align ${allocation.align}, not size ${size} align ${align}; deallocate needs the same layout`,
      };
    }
    return undefined;
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
    return this.allocations.get(offset / this.minBlock);
  }

  /** Live allocations in address order. */
  liveAllocations(): Allocation[] {
    return [...this.allocations.values()].sort((a, b) => a.offset - b.offset);
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
    const copy = new BuddyHeap(this.layout, this.image.clone(), false);
    copy.heads.set(this.heads);
    copy.nextLeaf.set(this.nextLeaf);
    copy.prevLeaf.set(this.prevLeaf);
    copy.listedOrder.set(this.listedOrder);
    copy.listed.set(this.listed);
    for (const [leaf, allocation] of this.allocations) copy.allocations.set(leaf, allocation);
    for (const leaf of this.freedLeaves) copy.freedLeaves.add(leaf);
    return copy;
  }

  // #endregion
}
