// The model's bookkeeping per minimum block ("leaf"): the shadow of the free lists (for O(1)
// unlinking where the crate walks the list) and what was allocated where. Two forms behind one
// interface: typed arrays for heaps of up to DENSE_LEAF_LIMIT leaves (the replay hot path, no
// hashing), maps for larger ones, which grow only with the blocks a trace touches, so every valid
// layout up to N = 32 (2^31 leaves) simulates exactly.

/** No leaf: a null `next`, an empty list. */
export const NONE = -1;
/** Allocation state of a leaf where no allocation ever started. */
export const NEVER = -1;
/** Allocation state of a leaf where an allocation started and was freed since. */
export const FREED = -2;

export interface LeafTable {
  /** order + 1 where a listed free block starts, else 0. */
  listedOrder(leaf: number): number;
  /** The shadow of a listed block's `next` word (a leaf, or NONE). */
  next(leaf: number): number;
  prev(leaf: number): number;
  /** Lists `leaf` at `order` with these neighbours (their own links are the caller's to set). */
  markListed(leaf: number, order: number, next: number, prev: number): void;
  /** Forgets that `leaf` is listed. */
  clearListed(leaf: number): void;
  setNext(leaf: number, next: number): void;
  setPrev(leaf: number, prev: number): void;

  /** The order of the live allocation starting at `leaf`, else NEVER or FREED. */
  allocationOrder(leaf: number): number;
  recordAllocation(leaf: number, order: number, size: bigint | number, align: bigint | number): void;
  recordFree(leaf: number): void;
  /** The live allocation at `leaf` was requested with exactly this size and alignment. */
  sameLayout(leaf: number, size: bigint | number, align: bigint | number): boolean;
  requestedSize(leaf: number): bigint;
  requestedAlign(leaf: number): bigint;
  /** Leaves where live allocations start, in address order; `count` is how many there are. */
  allocatedLeaves(count: number): number[];

  clone(): LeafTable;
}
