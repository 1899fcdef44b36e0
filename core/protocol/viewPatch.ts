// One operation's change to a heap view, sent instead of the whole view once the webview has one
// (a simulated allocate or free on a million-block heap changes a handful of blocks). The change is
// one buddy block's subtree: every block inside it is replaced, the allocations and free list
// entries it touched are named, and the small parts (statistics, findings) are sent whole.
import type { WireFinding, WireStats } from './viewModel';

/** One free list's change: entries removed (by offset), then entries pushed at its head, in push order. */
export interface WireFreeListEdit {
  readonly order: number;
  readonly removed: Float64Array;
  readonly pushed: Float64Array;
  /** The struct's head word after the change, hex (0x0 for null). */
  readonly head: string;
  /** The last entry's `next` word after the change, as WireFreeList.lastNext (never NEXT_RAW). */
  readonly lastNext: number;
}

/** Allocations that began, in address order (columns as in WireAllocations, by block offset). */
export interface WireNewAllocations {
  readonly offsets: Float64Array;
  readonly sizes: Float64Array;
  readonly alignLog2: Uint8Array;
}

export interface WireViewPatch {
  /** The heap offset and order of the buddy block whose blocks changed. */
  readonly offset: number;
  readonly order: number;
  /** The blocks now covering that block, in address order (blockCode per block). */
  readonly codes: Uint8Array;
  /** Owner per block, indexing the owner labels after this patch. */
  readonly owners: Uint16Array;
  /** Offsets of allocations that ended. */
  readonly freedAllocations: Float64Array;
  readonly newAllocations: WireNewAllocations;
  readonly freeLists: readonly WireFreeListEdit[];
  readonly stats: WireStats;
  readonly findings: readonly WireFinding[];
  /** The owner labels, when the set changed (every block's owner index is then remapped). */
  readonly ownerLabels?: readonly string[];
}
