// The ownership scan's answer as the panel shows it: every inferred block becomes an allocation
// owned by the root it is reached from (grouped by the root's label: `app::CACHE`, `thread 1 stack`),
// with its owning chain, its referrers and its leak streak in columns (WireOwnership). Device heaps
// and core dumps use this one mapping; the simulation has its own allocations and none of this.
import { hex } from '../layout';
import type { Allocation } from '../model/buddyHeap';
import { CONFIDENCES, MAX_WIRE_REFERRERS, PARENT_NONE, PARENT_ROOT, REFERRER_ROOT, type WireOwnership } from '../protocol/viewModel';
import type { LeakComparison } from './compareLeaks';
import type { OwnershipResult } from './ownershipResult';

export interface OwnershipForPanel {
  /** One per inferred block, in address order; `owner` is the owning root's label. */
  readonly allocations: Allocation[];
  /** Per allocation, in the same order. */
  readonly wire: WireOwnership;
}

/** `leaks` compares with the previous stop (streaks, growth); without it each suspect counts one stop. */
export function ownershipForPanel(result: OwnershipResult, leaks?: LeakComparison): OwnershipForPanel {
  const n = result.blockCount;
  const { blocks, reach, graph, rootReferences, roots } = result;
  const paths: string[] = [];
  const pathIndex = new Map<string, number>();
  const pathOf = (path: string) => {
    let i = pathIndex.get(path);
    if (i === undefined) {
      i = paths.length;
      paths.push(path);
      pathIndex.set(path, i);
    }
    return i;
  };
  const allocations: Allocation[] = [];
  const confidence = new Uint8Array(n);
  const parent = new Int32Array(n);
  const parentWord = new Float64Array(n);
  const enteredAt = new Float64Array(n);
  const rootPath = new Uint32Array(n);
  const leakStops = new Uint16Array(n);
  const referrerStart = new Uint32Array(n + 1);
  const referrerTotal = new Uint32Array(n);
  const referrerBlock: number[] = [];
  const referrerWord: number[] = [];
  const referrerInterior: number[] = [];
  for (let block = 0; block < n; block++) {
    const size = BigInt(result.size(block));
    const owner = result.owner(block);
    allocations.push({ offset: blocks.offsets[block]!, order: blocks.orders[block]!, size, align: 1n, owner: owner?.root.label });
    confidence[block] = CONFIDENCES.indexOf(result.confidence(block));
    const edge = reach.parentEdge[block]!;
    if (edge < 0) parent[block] = PARENT_NONE;
    else if (edge < graph.rootEdges) parent[block] = PARENT_ROOT;
    else {
      parent[block] = graph.sourceBlock[edge]!;
      parentWord[block] = graph.sourceOffset[edge]!;
    }
    if (edge >= 0) enteredAt[block] = graph.enteredAt[edge]!;
    if (owner) rootPath[block] = pathOf(rootReferences[reach.ownerEdge[block]!]!.path);
    referrerTotal[block] = result.referrerCount(block);
    for (const referrer of result.referrers(block, MAX_WIRE_REFERRERS)) {
      if (referrer.kind === 'root') {
        referrerBlock.push(REFERRER_ROOT);
        referrerWord.push(pathOf(referrer.path));
      } else {
        referrerBlock.push(referrer.block);
        referrerWord.push(referrer.wordOffset);
      }
      referrerInterior.push(referrer.interior);
    }
    referrerStart[block + 1] = referrerBlock.length;
  }
  const summary = result.leakSummary();
  for (const suspect of result.leakSuspects()) leakStops[suspect.block] = Math.min(65535, leaks?.streaks.get(hex(suspect.address)) ?? 1);
  const { stats } = result;
  return {
    allocations,
    wire: {
      confidence,
      reason: Uint8Array.from(blocks.reasons.subarray(0, n)),
      parent,
      parentWord,
      enteredAt,
      rootPath,
      leakStops,
      referrerStart,
      referrerTotal,
      referrerBlock: Int32Array.from(referrerBlock),
      referrerWord: Float64Array.from(referrerWord),
      referrerInterior: Float64Array.from(referrerInterior),
      paths,
      summary: {
        roots: roots.length,
        rootBytes: stats.rootBytesScanned,
        spanBytes: stats.spanBytesScanned,
        references: stats.references,
        leakCount: summary.count,
        leakBytes: summary.bytes,
        leaksGrowing: leaks?.growing ?? false,
        ...(leaks ? { leakTrend: leaks.summary } : {}),
        caveat: summary.caveat,
        ...(result.truncatedReason ? { truncated: result.truncatedReason } : {}),
        notes: result.notes,
      },
    },
  };
}
