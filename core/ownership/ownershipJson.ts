// The ownership part of `buddy-heap inspect --json` (issue 12): allocated blocks after splitting
// spans, with owner and referrers, and the leak suspects. Addresses as the program saw them,
// lowercase 0x hex. `inferred` is true when the block was cut out of a span by the pointers seen
// (its extent is a guess); `confidence` says how sure ('span-only': a decoded span or part of one
// that may hold several allocations).
import { hex } from '../layout';
import { formatReferrer } from './describe';
import type { OwnershipResult } from './ownershipResult';
import { InferenceReason } from './types';

export interface OwnershipJsonBlock {
  readonly address: string;
  readonly size: number;
  readonly inferred: boolean;
  readonly confidence: string;
  readonly owner: string | null;
  readonly referencedBy: string[];
}

export interface OwnershipJson {
  readonly blocks: OwnershipJsonBlock[];
  readonly leakSuspects: string[];
  readonly scan: { readonly truncated: boolean; readonly reason?: string; readonly notes: readonly string[] };
}

/** `maxReferrers` bounds each block's list (a block a million words point to stays one line). */
export function ownershipToJson(result: OwnershipResult, maxReferrers = 64): OwnershipJson {
  const blocks: OwnershipJsonBlock[] = [];
  for (let block = 0; block < result.blockCount; block++) {
    const confidence = result.confidence(block);
    blocks.push({
      address: hex(result.address(block)),
      size: result.size(block),
      inferred: isSplit(result.blocks.reasons[block]!),
      confidence,
      owner: result.owner(block)?.path ?? null,
      referencedBy: result.referrers(block, maxReferrers).map(formatReferrer),
    });
  }
  return {
    blocks,
    leakSuspects: result.leakSuspects().map(suspect => hex(suspect.address)),
    scan: { truncated: result.truncated, ...(result.truncatedReason ? { reason: result.truncatedReason } : {}), notes: result.notes },
  };
}

function isSplit(reason: number): boolean {
  return reason !== InferenceReason.MinimumBlock && reason !== InferenceReason.WholeSpan;
}
