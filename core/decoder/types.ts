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

export const enum BlockState {
  Free = 0,
  Allocated = 1,
  /** The bytes or lists could not be read or trusted: never shown as free or as allocated. */
  Unknown = 2,
}

/**
 * Every block of the heap in address order, covering it exactly once: free blocks as listed,
 * allocated spans as what the buddy tree leaves when the free blocks are taken out (a span may
 * hold several allocations: the free lists cannot tell them apart). Columnar typed arrays so a
 * million blocks cost a few megabytes and cross to the webview without one object per block.
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
  /** The largest request (align 1) that would succeed now: the largest listed free block, 0 if none. */
  readonly largestAllocatable: number;
  readonly perOrder: readonly OrderStats[];
}

export type FindingKind =
  | 'NextOutOfHeap'       // a next pointer outside the heap
  | 'NextMisaligned'      // a next pointer not aligned to its list's order
  | 'Cycle'               // a list that comes back to a block it already visited
  | 'OnTwoLists'          // one block on the lists of two orders
  | 'DuplicateInList'     // one block twice on one list
  | 'WrongOrder'          // a block whose address cannot start a block of its list's order
  | 'Overlap'             // free blocks that overlap
  | 'UnmergedBuddies'     // two free buddies of the same order that were not merged
  | 'TopOrderNotSingle'   // more than one block on the top-order list
  | 'BadHeapSize'         // struct: heap_size not a power of two (or zero, or too large to decode)
  | 'BadMinBlockSize'     // struct: min_block_size != heap_size >> (N-1), or log2 inconsistent
  | 'BadHeapBase'         // struct: heap_base not 4096-aligned or null
  | 'Unreadable'          // a word the decoder needed could not be read
  | 'WalkLimit';          // a list longer than the heap can hold (bounded walk stopped)

export interface Finding {
  readonly kind: FindingKind;
  readonly severity: 'error' | 'warning';
  /** The free list (order) involved, when there is one. */
  readonly order?: number;
  /** The block involved, as a target address. */
  readonly address?: bigint;
  /** The same block as a heap offset when it lies inside the heap. */
  readonly offset?: number;
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
