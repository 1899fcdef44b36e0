// Follows every free list from its struct head through the `next` words in memory, as the crate
// would, recording each entry and stopping where following would mean guessing. Every step marks a
// new leaf aligned to the list's order (a revisit ends the walk as a cycle), so a list of order k
// takes at most 2^(N-1-k) steps; a global entry budget bounds the total on top of that.
import { hex } from '../layout';
import type { HeapGeometry } from './heapGeometry';
import type { FindingLog } from './findingLog';
import type { ListMarks } from './listMarks';
import type { DecodedFreeList, FreeListColumns, FreeListEntry, HeapSnapshot } from './types';

export interface WalkLimits {
  /** Entries recorded over all lists before the walk gives up with a WalkLimit finding. */
  readonly maxFreeBlocks: number;
}

export interface WalkResult {
  readonly lists: DecodedFreeList[];
  /** True when the top list's head is the whole-heap block. */
  readonly topBlockListed: boolean;
  /** Valid entries on the lists below the top. */
  readonly listedBelowTop: number;
  /** True when some list stopped where more of it may exist. */
  readonly truncated: boolean;
}

/** Heap offset of a pointer, or -1 when it lies outside the heap. */
type OffsetOf = (word: bigint) => number;

interface WalkContext {
  readonly geometry: HeapGeometry;
  readonly snapshot: HeapSnapshot;
  readonly marks: ListMarks;
  readonly log: FindingLog;
  readonly offsetOf: OffsetOf;
  /** One scratch column for every list: it grows once, to the longest list. */
  readonly columns: ColumnsBuilder;
  budget: number;
}

export function walkFreeLists(
  snapshot: HeapSnapshot,
  geometry: HeapGeometry,
  marks: ListMarks,
  log: FindingLog,
  limits: WalkLimits,
): WalkResult {
  const context: WalkContext = {
    geometry,
    snapshot,
    marks,
    log,
    offsetOf: offsetFunction(geometry),
    columns: new ColumnsBuilder(),
    budget: limits.maxFreeBlocks,
  };
  const lists: DecodedFreeList[] = [];
  let listedBelowTop = 0;
  let truncated = false;
  for (let order = 0; order < geometry.orders - 1; order++) {
    const list = walkList(order, context);
    listedBelowTop += list.columns.count;
    truncated ||= list.truncated;
    lists.push(list);
  }
  const top = readTopList(context);
  lists.push(top);
  const topBlockListed = top.columns.count === 1;
  if (topBlockListed && listedBelowTop > 0) {
    log.add({
      kind: 'TopOrderNotSingle',
      order: geometry.orders - 1,
      address: geometry.base,
      offset: 0,
      message: `The whole-heap block at ${hex(geometry.base)} is on the top (order ${geometry.orders - 1}) list while ${listedBelowTop} smaller blocks are free too; the map shows the smaller blocks and leaves the top one out.`,
    });
  }
  return { lists, topBlockListed, listedBelowTop, truncated };
}

function walkList(order: number, context: WalkContext): DecodedFreeList {
  const { geometry, snapshot, marks, log, offsetOf } = context;
  const memory = snapshot.memory;
  const head = snapshot.fields.freeLists[order] ?? 0n;
  const leavesPerByte = 1 / geometry.minBlock;
  const alignMask = 2 ** order - 1;
  const mark = order + 1;
  const columns = context.columns.reset();
  let word = head;
  let linkedFrom: bigint | undefined;
  let headLeaf = -1;
  let broken = false;
  let truncated = false;
  let unreadable = false;
  while (word !== 0n) {
    const offset = offsetOf(word);
    // Leaf indexes are below 2^31, so `| 0` and `&` are exact on them.
    const leaf = offset * leavesPerByte;
    if (offset < 0 || (leaf | 0) !== leaf || (leaf & alignMask) !== 0) {
      reportBadPointer(pointerProblem(offset, leaf, alignMask), order, word, linkedFrom, offset, context, true);
      broken = truncated = true;
      break;
    }
    const seen = marks.get(leaf);
    if (seen === mark) {
      reportLoop(order, word, offset, linkedFrom, leaf === headLeaf, log);
      broken = true;
      break;
    }
    if (context.budget === 0) {
      log.add({
        kind: 'WalkLimit',
        order,
        address: word,
        offset,
        message: `The order-${order} list reached the decoder's limit of free blocks at ${hex(word)}, so the rest of the list and which spans are allocated are unknown.`,
      });
      broken = truncated = true;
      break;
    }
    if (seen !== 0) {
      log.add({
        kind: 'OnTwoLists',
        order,
        address: word,
        offset,
        ...(linkedFrom !== undefined ? { linkedFrom } : {}),
        message: `The block at ${hex(word)} is on the order-${order} list and on the order-${seen - 1} list.`,
      });
    }
    context.budget--;
    marks.set(leaf, mark);
    if (headLeaf < 0) headLeaf = leaf;
    const next = memory.readWord(offset);
    columns.push(offset);
    if (next === undefined) {
      log.add({
        kind: 'Unreadable',
        order,
        address: word,
        offset,
        message: `The next word of the order-${order} free block at ${hex(word)} could not be read, so the rest of the order-${order} list and which spans are allocated are unknown.`,
      });
      broken = truncated = unreadable = true;
      break;
    }
    linkedFrom = word;
    word = next;
  }
  // Every exit but the unreadable one leaves `word` holding the last entry's next (0n at a proper end).
  return freeList(order, geometry, head, columns.build(unreadable ? undefined : word), broken, truncated);
}

type PointerProblem = 'NextOutOfHeap' | 'NextMisaligned' | 'WrongOrder';

/** Which of the three pointer checks failed (see FindingKind for the definitions). */
function pointerProblem(offset: number, leaf: number, alignMask: number): PointerProblem {
  if (offset < 0) return 'NextOutOfHeap';
  if ((leaf | 0) !== leaf) return 'NextMisaligned';
  return (leaf & alignMask) !== 0 ? 'WrongOrder' : 'NextMisaligned';
}

/** The top list: only its head is taken; the crate never reads the whole-heap block's `next`. */
function readTopList(context: WalkContext): DecodedFreeList {
  const { geometry, offsetOf } = context;
  const order = geometry.orders - 1;
  const head = context.snapshot.fields.freeLists[order] ?? 0n;
  const columns = context.columns.reset();
  let broken = false;
  if (head !== 0n) {
    const offset = offsetOf(head);
    const leaf = offset / geometry.minBlock;
    if (offset !== 0) {
      // Nothing follows the top head, so a bad one hides no further blocks: not truncated.
      reportBadPointer(pointerProblem(offset, leaf, geometry.leaves - 1), order, head, undefined, offset, context, false);
      broken = true;
    } else {
      columns.push(0);
    }
  }
  return freeList(order, geometry, head, columns.build(undefined), broken, false);
}

function reportBadPointer(
  kind: PointerProblem,
  order: number,
  word: bigint,
  linkedFrom: bigint | undefined,
  offset: number,
  context: WalkContext,
  hidesRest: boolean,
): void {
  const { geometry } = context;
  const link =
    linkedFrom === undefined
      ? `The order-${order} list head free_lists[${order}]`
      : `The next word of the order-${order} block at ${hex(linkedFrom)}`;
  const consequence = hidesRest ? `, so the rest of the order-${order} list and which spans are allocated are unknown.` : '.';
  const blockSize = geometry.minBlock * 2 ** order;
  const what =
    kind === 'NextOutOfHeap'
      ? `is ${hex(word)}, outside the heap ${hex(geometry.base)}..${hex(geometry.base + BigInt(geometry.size))}`
      : kind === 'NextMisaligned'
        ? `is ${hex(word)}, not on a ${geometry.minBlock}-byte minimum-block boundary`
        : `is ${hex(word)}, a block boundary not aligned to the order-${order} block size of ${blockSize} bytes`;
  context.log.add({
    kind,
    order,
    address: word,
    ...(offset >= 0 ? { offset } : {}),
    ...(linkedFrom !== undefined ? { linkedFrom } : {}),
    message: `${link} ${what}${consequence}`,
  });
}

function reportLoop(order: number, word: bigint, offset: number, linkedFrom: bigint | undefined, toHead: boolean, log: FindingLog): void {
  const from = linkedFrom === undefined ? {} : { linkedFrom };
  if (toHead) {
    log.add({
      kind: 'DuplicateInList',
      order,
      address: word,
      offset,
      ...from,
      message: `The block at ${hex(word)} is on the order-${order} list twice (the list loops back to its head), the shape a double free leaves.`,
    });
  } else {
    log.add({
      kind: 'Cycle',
      order,
      address: word,
      offset,
      ...from,
      message: `The order-${order} list loops: the block at ${hex(linkedFrom ?? word)} links back to ${hex(word)}, which is already on the list.`,
    });
  }
}

/** Exact when the whole heap lies below 2^53 (every firmware heap): no bigint arithmetic per step. */
function offsetFunction(geometry: HeapGeometry): OffsetOf {
  const { base, size } = geometry;
  const baseNumber = Number(base);
  if (base >= 0n && baseNumber + size <= Number.MAX_SAFE_INTEGER) {
    const end = baseNumber + size;
    // A word of 2^53 or more rounds to at least 2^53 >= end: still outside.
    return word => {
      const n = Number(word);
      return n >= baseNumber && n < end ? n - baseNumber : -1;
    };
  }
  const sizeBig = BigInt(size);
  return word => {
    const relative = word - base;
    return relative >= 0n && relative < sizeBig ? Number(relative) : -1;
  };
}

function freeList(
  order: number,
  geometry: HeapGeometry,
  head: bigint,
  columns: FreeListColumns,
  broken: boolean,
  truncated: boolean,
): DecodedFreeList {
  const list = { order, blockSize: geometry.minBlock * 2 ** order, head, broken, truncated, columns } as DecodedFreeList;
  defineLazyEntries(list, columns, geometry.base);
  return list;
}

/**
 * `entries` as an own enumerable getter that builds the objects once, on first use: the hot path
 * (and a 512K-entry list) never pays for them, while spreads, deepEqual and structured clone still see them.
 */
function defineLazyEntries(list: DecodedFreeList, columns: FreeListColumns, base: bigint): void {
  let built: readonly FreeListEntry[] | undefined;
  Object.defineProperty(list, 'entries', {
    enumerable: true,
    get: () => (built ??= entriesOf(columns, base)),
  });
}

function entriesOf(columns: FreeListColumns, base: bigint): FreeListEntry[] {
  const { count, offsets } = columns;
  const out = new Array<FreeListEntry>(count);
  for (let i = 0; i < count; i++) {
    out[i] = { offset: offsets[i]!, next: i + 1 < count ? base + BigInt(offsets[i + 1]!) : columns.lastNext };
  }
  return out;
}

/** A growable column of entry offsets, copied out exactly on build. */
class ColumnsBuilder {
  private offsets = new Float64Array(64);
  private count = 0;

  reset(): this {
    this.count = 0;
    return this;
  }

  push(offset: number): void {
    if (this.count === this.offsets.length) {
      const grown = new Float64Array(this.count * 2);
      grown.set(this.offsets);
      this.offsets = grown;
    }
    this.offsets[this.count++] = offset;
  }

  build(lastNext: bigint | undefined): FreeListColumns {
    return { count: this.count, offsets: this.offsets.slice(0, this.count), lastNext };
  }
}
