// decodeHeap: a snapshot (the Heap<N> struct's fields and the heap bytes) to a view (free lists,
// block table, statistics, findings). It never throws on what it reads and never allocates more
// than the heap's leaf count or the entry budget allows, however corrupt the memory is.
import { buildBlockTable } from './blockTable';
import { emptyHeapView } from './emptyHeapView';
import { DEFAULT_MAX_FINDINGS_PER_KIND, FindingLog } from './findingLog';
import { HeapGeometry, checkStruct } from './heapGeometry';
import { heapStats } from './heapStats';
import { DEFAULT_DENSE_LEAF_LIMIT, ListMarks } from './listMarks';
import { BlockState, DecodedHeapView, HeapSnapshot } from './types';
import { walkFreeLists } from './walkFreeLists';

/**
 * Every other leaf free in the largest heap with dense list marks (DEFAULT_DENSE_LEAF_LIMIT, 2^24
 * leaves). Larger heaps (up to 2^31 leaves at N = 32) decode too, but a walk that reaches this
 * many entries stops with a WalkLimit finding: time and memory stay bounded whatever memory holds.
 */
export const DEFAULT_MAX_FREE_BLOCKS = 1 << 23;

export interface DecodeOptions {
  /** Free-list entries followed over all lists before the walk stops with a WalkLimit finding. */
  readonly maxFreeBlocks?: number;
  /** Findings kept per kind; the rest are counted in one closing finding. */
  readonly maxFindingsPerKind?: number;
  /** Heaps of up to this many minimum blocks get a byte of bookkeeping per block, larger ones a map. */
  readonly denseLeafLimit?: number;
}

export function decodeHeap(snapshot: HeapSnapshot, options: DecodeOptions = {}): DecodedHeapView {
  const log = new FindingLog(options.maxFindingsPerKind ?? DEFAULT_MAX_FINDINGS_PER_KIND);
  const geometry = checkStruct(snapshot, log);
  if (!geometry) return refusedView(snapshot, log);
  const marks = new ListMarks(geometry.leaves, options.denseLeafLimit ?? DEFAULT_DENSE_LEAF_LIMIT);
  const walk = walkFreeLists(snapshot, geometry, marks, log, { maxFreeBlocks: options.maxFreeBlocks ?? DEFAULT_MAX_FREE_BLOCKS });
  const blocks = buildBlockTable(
    {
      geometry,
      marks,
      wholeHeapFree: walk.topBlockListed && walk.listedBelowTop === 0,
      listedBlocks: walk.listedBelowTop,
      unlistedState: walk.truncated ? BlockState.Unknown : BlockState.Allocated,
    },
    log,
  );
  return {
    ...layoutPart(snapshot, geometry),
    freeLists: walk.lists,
    blocks,
    stats: heapStats(geometry, blocks, walk.lists),
    findings: log.list(),
  };
}

function layoutPart(snapshot: HeapSnapshot, geometry: HeapGeometry) {
  return {
    heapBase: snapshot.fields.heapBase,
    heapSize: geometry.size,
    orders: geometry.orders,
    minBlockSize: geometry.minBlock,
    pointerWidth: snapshot.pointerWidth,
    endianness: snapshot.endianness,
  };
}

/** A snapshot whose struct cannot be decoded: no lists, no blocks, zero statistics; the findings say why. */
function refusedView(snapshot: HeapSnapshot, log: FindingLog): DecodedHeapView {
  return emptyHeapView({
    heapBase: snapshot.fields.heapBase,
    pointerWidth: snapshot.pointerWidth,
    endianness: snapshot.endianness,
    findings: log.list(),
  });
}
