// Leak suspects across two stops of the same heap: a block that stays unreached stop after stop is a
// stronger suspect than one seen once (it may just have been between owners), and suspect bytes
// that keep growing are the shape of a real leak. Blocks are matched by start address.
import { formatBytes } from '../layout';
import type { OwnershipResult } from './ownershipResult';
import type { LeakSuspect } from './types';

export interface PersistingSuspect {
  readonly suspect: LeakSuspect;
  /** The block's size at the earlier stop (a span-only block can grow as neighbours join it). */
  readonly sizeBefore: number;
  /** Consecutive stops it has been a suspect, this one included (2 when first seen at the earlier stop). */
  readonly stops: number;
}

export interface LeakComparison {
  readonly persisting: readonly PersistingSuspect[];
  /** Suspects now that were not suspects at the earlier stop. */
  readonly appeared: readonly LeakSuspect[];
  /** Earlier suspects no longer suspect (freed, or referenced again). */
  readonly gone: readonly LeakSuspect[];
  readonly before: { readonly count: number; readonly bytes: number };
  readonly after: { readonly count: number; readonly bytes: number };
  /** Suspect bytes grew while earlier suspects persisted: the pattern of a leak that keeps leaking. */
  readonly growing: boolean;
  /** Streaks to pass to the next comparison (key: lowercase hex address). */
  readonly streaks: ReadonlyMap<string, number>;
  readonly summary: string;
}

/**
 * `earlierStreaks` is the `streaks` of the comparison that ended at `before`, so runs of stops are
 * counted across a whole session; without it, every persisting suspect counts 2 stops.
 */
export function compareLeakSuspects(
  before: OwnershipResult,
  after: OwnershipResult,
  earlierStreaks: ReadonlyMap<string, number> = new Map(),
): LeakComparison {
  const earlier = before.leakSuspects();
  const old = new Map<bigint, LeakSuspect>();
  for (const suspect of earlier) old.set(suspect.address, suspect);
  const persisting: PersistingSuspect[] = [];
  const appeared: LeakSuspect[] = [];
  const streaks = new Map<string, number>();
  const now = after.leakSuspects();
  for (const suspect of now) {
    const key = `0x${suspect.address.toString(16)}`;
    const was = old.get(suspect.address);
    if (was === undefined) {
      appeared.push(suspect);
      streaks.set(key, 1);
      continue;
    }
    old.delete(suspect.address);
    const stops = (earlierStreaks.get(key) ?? 1) + 1;
    streaks.set(key, stops);
    persisting.push({ suspect, sizeBefore: was.size, stops });
  }
  const gone = [...old.values()].sort((a, b) => (a.address < b.address ? -1 : 1));
  const beforeTotals = totals(earlier);
  const afterTotals = totals(now);
  const growing = persisting.length > 0 && afterTotals.bytes > beforeTotals.bytes;
  return {
    persisting,
    appeared,
    gone,
    before: beforeTotals,
    after: afterTotals,
    growing,
    streaks,
    summary: summarize(persisting.length, appeared.length, gone.length, beforeTotals.bytes, afterTotals.bytes, growing),
  };
}

function totals(suspects: readonly LeakSuspect[]): { count: number; bytes: number } {
  return { count: suspects.length, bytes: suspects.reduce((sum, s) => sum + s.size, 0) };
}

function summarize(persisting: number, appeared: number, gone: number, bytesBefore: number, bytesAfter: number, growing: boolean): string {
  if (persisting + appeared + gone === 0) return 'No leak suspects at either stop.';
  const change = `${formatBytes(bytesBefore)} → ${formatBytes(bytesAfter)}`;
  const head = growing ? `Possible leak growing: suspect memory ${change}` : `Suspect memory ${change}`;
  return `${head}; ${persisting} still unreached, ${appeared} new, ${gone} no longer suspect.`;
}
