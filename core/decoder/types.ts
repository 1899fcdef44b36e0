// What the decoder takes (a snapshot: the heap struct's fields and the heap bytes) and what it
// gives (a view: free lists, blocks, statistics, findings). Offsets are heap-relative numbers
// (the decoder refuses heaps it cannot index exactly); raw words and addresses stay bigint.
import type { Endianness, PointerWidth } from '../layout';
import type { HeapWordReader } from '../memory/byteImage';
import type { HeapStructFields } from '../model/buddyHeap';

export type { HeapStructFields };

/** A heap as read at one moment: the struct's field values and a way to read the heap's words. */
export interface HeapSnapshot {
  /** Field values as read; N is `freeLists.length`. They may be inconsistent: that is a finding. */
  readonly fields: HeapStructFields;
  readonly pointerWidth: PointerWidth;
  readonly endianness: Endianness;
  /** The heap region's bytes, by offset from `fields.heapBase`; unknown bytes read as undefined. */
  readonly memory: HeapWordReader;
}

export { BlockState } from './blockState';

/**
 * Every block of the heap in address order, covering it exactly once: free blocks as listed,
 * allocated spans as what the buddy tree leaves when the free blocks are taken out (a span may
 * hold several allocations: the free lists cannot tell them apart). Columnar typed arrays so a
 * million blocks cost a few megabytes and cross to the webview without one object per block.
 *
 * Decoder rules: unlisted spans are Allocated only when every list was followed to its end (or
 * around a cycle); if any list is truncated (DecodedFreeList.truncated) they are all Unknown, since
 * the lost part of a list may hold free blocks anywhere. Overlapping free blocks show the larger.
 * The whole-heap block of the top list is shown only when no other block is free.
 */
export interface BlockTable {
  readonly count: number;
  readonly offsets: Float64Array;
  readonly orders: Uint8Array;
  readonly states: Uint8Array;
}

export interface FreeListEntry {
  readonly offset: number;
  /** The `next` word exactly as it is in memory (0 for null), or undefined when unreadable or never read (top order). */
  readonly next: bigint | undefined;
}

export interface FreeListView {
  readonly order: number;
  readonly blockSize: number;
  /** Entries in list order, head first, as far as the walk could follow them. */
  readonly entries: readonly FreeListEntry[];
  /** The list's head as stored in the struct (0 for null). */
  readonly head: bigint;
  /** True when the walk stopped at a finding (bad pointer, cycle, unreadable word) before a null. */
  readonly broken: boolean;
}

export interface OrderStats {
  readonly order: number;
  readonly blockSize: number;
  readonly freeBlocks: number;
  readonly allocatedBlocks: number;
}

export interface HeapStats {
  readonly heapSize: number;
  readonly freeBytes: number;
  readonly allocatedBytes: number;
  readonly unknownBytes: number;
  readonly largestFreeBlock: number;
  /** External fragmentation: 1 - largest free / total free (0 when nothing is free). */
  readonly fragmentation: number;
  /**
   * The largest request (align 1) that would succeed now: the largest block size whose list starts
   * with a valid block (allocate only ever pops a head), 0 if none.
   */
  readonly largestAllocatable: number;
  readonly perOrder: readonly OrderStats[];
}

/**
 * What a finding is about. Definitions (the decoder applies them in this order, first match wins,
 * to every pointer it follows: a struct head or a free block's `next` word):
 * - NextOutOfHeap: the pointer is not null and lies outside [heap_base, heap_base + heap_size).
 * - NextMisaligned: inside the heap but not on a minimum-block boundary, so it starts no block of any order.
 * - WrongOrder: on a minimum-block boundary but not aligned to its list's block size (offset not a
 *   multiple of min_block_size << order): it starts a block of a smaller order only, as a free with
 *   too large a layout leaves it. The walk stops at all three: the block's extent is not known.
 * - DuplicateInList: the walk comes back to the list's head: the block is listed twice, the shape a
 *   double free leaves (free_list_insert links the block in front of the list it is already on).
 * - Cycle: the walk comes back to any other block of its own list (a singly linked list in memory
 *   can hold a block twice only by looping, so a loop not through the head is reported as Cycle).
 * - OnTwoLists: a well-aligned block already visited on the list of another order (same address).
 * - Overlap: a free block lying inside a larger free block of another list at a different address
 *   (buddy blocks overlap only by containment); the larger block is the one shown in the table.
 * - UnmergedBuddies: a free block and its buddy, both free at the same order below the top.
 * - TopOrderNotSingle: the top list holds the whole-heap block while other blocks are free too.
 *   The crate never reads the top block's `next`, so neither does the decoder.
 * - PossibleLeak: not from the decoder but from the ownership scan (core/ownership/leakFindings):
 *   allocated memory that no root the scan read reaches. One summary finding, then one per block.
 */
export type FindingKind =
  | 'NextOutOfHeap' // a next pointer outside the heap
  | 'NextMisaligned' // a next pointer on no minimum-block boundary
  | 'Cycle' // a list that loops back to a block other than its head
  | 'OnTwoLists' // one block on the lists of two orders
  | 'DuplicateInList' // one block twice on one list (the list loops back to its head)
  | 'WrongOrder' // a block boundary that cannot start a block of its list's order
  | 'Overlap' // a free block inside a larger free block of another list
  | 'UnmergedBuddies' // two free buddies of the same order that were not merged
  | 'TopOrderNotSingle' // the whole-heap block is listed while other blocks are free
  | 'BadHeapSize' // struct: heap_size not a power of two (or zero, or too large to decode)
  | 'BadMinBlockSize' // struct: min_block_size != heap_size >> (N-1), log2 inconsistent, or a minimum block too small for a pointer
  | 'BadHeapBase' // struct: heap_base not 4096-aligned, null, or the heap runs past the address space
  | 'BadOrders' // struct: N (the number of free lists) outside 1..32
  | 'Unreadable' // a word the decoder needed could not be read
  | 'WalkLimit' // a list longer than the decoder's budget (bounded walk stopped)
  | 'PossibleLeak'; // ownership scan: allocated memory no root reaches (core/ownership; a warning, never proof)

export interface Finding {
  readonly kind: FindingKind;
  readonly severity: 'error' | 'warning';
  /** The free list (order) involved, when there is one. */
  readonly order?: number;
  /** The block involved, as a target address. */
  readonly address?: bigint;
  /** The same block as a heap offset when it lies inside the heap. */
  readonly offset?: number;
  /**
   * For findings about a pointer (NextOutOfHeap, NextMisaligned, WrongOrder, Cycle, DuplicateInList,
   * OnTwoLists): the free block whose `next` word holds it; absent when it is the struct's list head.
   */
  readonly linkedFrom?: bigint;
  /** One sentence: what is wrong and where, in the user's terms. */
  readonly message: string;
}

export interface HeapView {
  readonly heapBase: bigint;
  readonly heapSize: number;
  readonly orders: number;
  readonly minBlockSize: number;
  readonly pointerWidth: PointerWidth;
  readonly endianness: Endianness;
  readonly freeLists: readonly FreeListView[];
  readonly blocks: BlockTable;
  readonly stats: HeapStats;
  readonly findings: readonly Finding[];
}

/**
 * Columnar form of FreeListView.entries (same order), so long lists cost no object per entry.
 * Every entry's `next` word but the last's is the address of the entry after it:
 * heapBase + offsets[i + 1] (the walk only moves on through words that point into the heap).
 */
export interface FreeListColumns {
  readonly count: number;
  readonly offsets: Float64Array;
  /**
   * The last entry's `next` word as in memory: 0n at a proper end, or the pointer the walk stopped
   * at (a bad one, or one back into the list); undefined when unreadable or never read (top order).
   */
  readonly lastNext: bigint | undefined;
}

/** A free list as decodeHeap gives it: `entries` is built on first access from `columns`. */
export interface DecodedFreeList extends FreeListView {
  readonly columns: FreeListColumns;
  /**
   * True when the walk stopped where more blocks may follow that it could not find (an unreadable
   * word, a pointer outside the heap or misaligned, the walk budget). A cycle does not truncate:
   * every block of a looping list has been seen.
   */
  readonly truncated: boolean;
}

/**
 * What decodeHeap returns. A snapshot it refuses (see the struct finding kinds) gives an empty view:
 * orders 0, heapSize 0, no lists, no blocks, zero statistics, and the findings saying why.
 */
export interface DecodedHeapView extends HeapView {
  readonly freeLists: readonly DecodedFreeList[];
}
