// `buddy-heap diff <a> <b> [--from-step N] [--to-step N] [--json]`: what changed between a step of
// one snapshot and a step of another (or the same file twice): allocated, freed, split, merged;
// and, when both stops were saved with the ownership scan's inputs, how the leak suspects moved.
import { CHANGE_KIND_NAMES, type ComparableDiff, diffViews } from '../diff/diffViews';
import { formatBytes, hex } from '../layout';
import { type LeakComparison, compareLeakSuspects } from '../ownership/compareLeaks';
import { stopOwnership } from '../snapshot/snapshotSteps';
import { CliError, type CliIo, parseArgs } from './io';
import { parseSnapshot, parseStepOption, snapshotStep, type SnapshotStep } from './snapshotInput';

const USAGE = 'buddy-heap diff <a.buddyheap> <b.buddyheap> [--from-step N] [--to-step N] [--json]';

export async function runDiff(args: readonly string[], io: CliIo): Promise<number> {
  const { positional, flags, values } = parseArgs(args, ['--json'], ['--from-step', '--to-step']);
  const [aPath, bPath] = positional;
  if (aPath === undefined || bPath === undefined || positional.length > 2)
    throw new CliError(`two snapshot files are needed\nusage: ${USAGE}`, 2);
  const before = snapshotStep(
    aPath,
    parseSnapshot(aPath, await io.readBytes(aPath)),
    parseStepOption(values.get('--from-step'), '--from-step'),
  );
  const after = snapshotStep(bPath, parseSnapshot(bPath, await io.readBytes(bPath)), parseStepOption(values.get('--to-step'), '--to-step'));
  const diff = diffViews(before.view, after.view);
  const leaks = leakComparison(before, after);
  const side = (path: string, s: SnapshotStep) => ({ file: path, name: s.file.name, step: s.step, text: s.text });
  if (flags.has('--json')) {
    const body = diff.comparable
      ? {
          comparable: true,
          summary: diff.summary,
          totals: totalsJson(diff),
          freeBytesBefore: diff.freeBytesBefore,
          freeBytesAfter: diff.freeBytesAfter,
          changes: changesJson(diff, after),
        }
      : { comparable: false, reason: diff.reason };
    io.out(
      JSON.stringify(
        { from: side(aPath, before), to: side(bPath, after), ...body, ...(leaks ? { leaks: leaksJson(leaks) } : {}) },
        null,
        2,
      ) + '\n',
    );
    return 0;
  }
  const lines = [`from ${aPath} step ${before.step} (${before.text})`, `  to ${bPath} step ${after.step} (${after.text})`, ''];
  if (!diff.comparable) lines.push(`not comparable: ${diff.reason}`);
  else {
    lines.push(diff.summary, '');
    for (const c of changesJson(diff, after))
      lines.push(`  ${c.kind.padEnd(9)} ${c.address}  ${formatBytes(c.size).padStart(8)}  order ${c.order}`);
  }
  if (leaks) {
    lines.push('', `leak suspects: ${leaks.summary}`);
    for (const p of leaks.persisting) lines.push(`  still unreached ${hex(p.suspect.address)}  ${formatBytes(p.suspect.size).padStart(8)}`);
    for (const s of leaks.appeared) lines.push(`  new suspect     ${hex(s.address)}  ${formatBytes(s.size).padStart(8)}`);
  }
  io.out(lines.join('\n') + '\n');
  return 0;
}

/** Leak suspects at both steps, when both were saved with the ownership scan's inputs. */
function leakComparison(before: SnapshotStep, after: SnapshotStep): LeakComparison | undefined {
  if (before.file.kind !== 'live' || after.file.kind !== 'live') return undefined;
  const a = stopOwnership(before.file, before.step, before.view);
  const b = stopOwnership(after.file, after.step, after.view);
  return a && b ? compareLeakSuspects(a, b) : undefined;
}

function leaksJson(leaks: LeakComparison): unknown {
  const entry = (address: bigint, size: number) => ({ address: hex(address), size });
  return {
    summary: leaks.summary,
    growing: leaks.growing,
    before: leaks.before,
    after: leaks.after,
    persisting: leaks.persisting.map(p => entry(p.suspect.address, p.suspect.size)),
    appeared: leaks.appeared.map(s => entry(s.address, s.size)),
    gone: leaks.gone.map(s => entry(s.address, s.size)),
  };
}

function totalsJson(diff: ComparableDiff): Record<string, { count: number; bytes: number }> {
  return Object.fromEntries(diff.totals.map((t, kind) => [CHANGE_KIND_NAMES[kind]!, { count: t.count, bytes: t.bytes }]));
}

function changesJson(diff: ComparableDiff, after: SnapshotStep): { kind: string; address: string; order: number; size: number }[] {
  const { count, offsets, orders, kinds } = diff.changes;
  const out = [];
  for (let i = 0; i < count; i++)
    out.push({
      kind: CHANGE_KIND_NAMES[kinds[i]!]!,
      address: hex(after.view.heapBase + BigInt(offsets[i]!)),
      order: orders[i]!,
      size: after.view.minBlockSize * 2 ** orders[i]!,
    });
  return out;
}
