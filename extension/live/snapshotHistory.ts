// The snapshots of one live heap across stops: a history entry per snapshot that says what changed
// since the one before (core/diff: allocated, freed, split, merged), and the decoded views of the
// most recent steps for stepping and comparing. Older views are dropped to bound memory; their
// entries and statistics stay, so the history and the chart keep every stop.
import * as l10n from '@vscode/l10n';
import { type HeapDiff, diffViews } from '../../core/diff/diffViews';
import type { DecodedHeapView, HeapSnapshot, HeapView } from '../../core/decoder/types';
import type { OwnershipInputs } from '../dap/ownership/liveOwnership';
import type { StopContext } from '../dap/stopContext';
import { formatBytes } from '../../core/layout';
import { CHANGE_KINDS, type WireChange, type WireHistoryEntry } from '../../core/protocol/viewModel';
import { type LeakComparison, compareLeakSuspects } from '../../core/ownership/compareLeaks';
import type { OwnershipResult } from '../../core/ownership/ownershipResult';
import type { ShownOwnership, SourceHistory, StepStats } from '../panel/panelSource';

/** Views kept for stepping back; a 256 KiB heap's view is a few tens of KiB. */
export const DEFAULT_KEPT_VIEWS = 64;
/** Bytes of read snapshots kept for Save Heap Snapshot; older ones are dropped first (their views may stay). */
export const CAPTURE_BUDGET_BYTES = 64 * 1024 * 1024;
/** Changes listed in one history entry (the panel's diff has them all). */
export const MAX_ENTRY_CHANGES = 256;

/** The first history entry, before any stop (built when needed, so it is in the bundle's language). */
const waiting = (): WireHistoryEntry => ({
  step: 0,
  op: 'heap',
  text: l10n.t('attached'),
  ok: true,
  detail: l10n.t('waiting for the target to stop'),
  changes: [],
});
const NO_STATS: StepStats = { freeBytes: 0, largestFree: 0, fragmentation: 0 };

/** What a stop was read from, kept so the stop can be saved to a snapshot file. */
export interface StepCapture {
  readonly snapshot: HeapSnapshot;
  readonly stop: StopContext;
  /** When it was read, ISO 8601. */
  readonly time: string;
  /** The frame the read evaluated in. */
  readonly frameId?: number;
  /** Bytes the snapshot holds (for the budget). */
  readonly bytes: number;
  /** What the ownership scan read at this stop, when it ran. */
  readonly ownership?: OwnershipInputs;
}

interface Step {
  /** Replaced (not edited) when a later finding marks the step. */
  entry: WireHistoryEntry;
  capture: StepCapture | undefined;
  readonly stats: StepStats;
  view: DecodedHeapView | undefined;
  /** The diff from the step before, computed once when the step was added (dropped with the view). */
  diff: HeapDiff | undefined;
  /** The ownership scan at this stop and its leak suspects against the previous scan (dropped with the view). */
  ownership: ShownOwnership | undefined;
}

export class SnapshotHistory {
  private readonly steps: Step[] = [];
  private shown = 0;
  private capturedBytes = 0;

  constructor(private readonly keptViews = DEFAULT_KEPT_VIEWS) {}

  get total(): number {
    return this.steps.length;
  }

  get current(): number {
    return this.shown;
  }

  get atLatest(): boolean {
    return this.shown === this.steps.length - 1;
  }

  /** Appends a snapshot, described by `text` (e.g. "stop 3: breakpoint"), and shows it. */
  push(view: DecodedHeapView, text: string, capture?: StepCapture, scan?: OwnershipResult): WireHistoryEntry {
    const step = this.steps.length;
    const previous = this.steps[step - 1]?.view;
    const diff = previous && view.blocks.count > 0 ? diffViews(previous, view) : undefined;
    const ownership = scan ? { result: scan, ...this.leaksSince(scan) } : undefined;
    const change = describeChange(previous, view, diff);
    const leaks = ownership && leakText(ownership);
    const entry: WireHistoryEntry = {
      step,
      op: 'snapshot',
      text,
      ok: view.blocks.count > 0,
      ...change,
      ...(leaks ? { detail: `${change.detail}; ${leaks}` } : {}),
    };
    this.steps.push({ entry, stats: statsOf(view), view, diff, capture, ownership });
    const drop = step - this.keptViews;
    if (drop >= 0) {
      this.steps[drop]!.view = undefined;
      this.steps[drop]!.diff = undefined;
      this.steps[drop]!.ownership = undefined;
      this.dropCapture(this.steps[drop]!);
    }
    this.capturedBytes += capture?.bytes ?? 0;
    for (let old = 0; old < step && this.capturedBytes > CAPTURE_BUDGET_BYTES; old++) this.dropCapture(this.steps[old]!);
    this.shown = step;
    return entry;
  }

  /** Adds `note` to the latest step's text (e.g. "allocation of 512 bytes failed here"); false when there is none. */
  markLatest(note: string): boolean {
    const last = this.steps[this.steps.length - 1];
    if (!last) return false;
    last.entry = { ...last.entry, text: `${last.entry.text} — ${note}` };
    return true;
  }

  /** The ownership scan of a kept step, when one ran. */
  ownershipAt(step: number): ShownOwnership | undefined {
    return Number.isInteger(step) ? this.steps[step]?.ownership : undefined;
  }

  /** The new scan's leak suspects against the latest earlier scan still kept (streaks run across stops). */
  private leaksSince(scan: OwnershipResult): { leaks?: LeakComparison } {
    for (let i = this.steps.length - 1; i >= 0; i--) {
      const earlier = this.steps[i]!.ownership;
      if (earlier) return { leaks: compareLeakSuspects(earlier.result, scan, earlier.leaks?.streaks) };
    }
    return {};
  }

  viewAt(step: number): DecodedHeapView | undefined {
    return Number.isInteger(step) ? this.steps[step]?.view : undefined;
  }

  /** Shows a kept step; false when it does not exist or its view was dropped. */
  stepTo(step: number): boolean {
    if (!this.viewAt(step)) return false;
    this.shown = step;
    return true;
  }

  /** The diff from step - 1 to step, while both views are kept. */
  diffAt(step: number): HeapDiff | undefined {
    return Number.isInteger(step) ? this.steps[step]?.diff : undefined;
  }

  /** What step `step` was read from, while kept (see CAPTURE_BUDGET_BYTES). */
  captureAt(step: number): StepCapture | undefined {
    return Number.isInteger(step) ? this.steps[step]?.capture : undefined;
  }

  entryAt(step: number): WireHistoryEntry | undefined {
    return Number.isInteger(step) ? this.steps[step]?.entry : undefined;
  }

  private dropCapture(step: Step): void {
    this.capturedBytes -= step.capture?.bytes ?? 0;
    step.capture = undefined;
  }

  latestView(): DecodedHeapView | undefined {
    return this.steps[this.steps.length - 1]?.view;
  }

  /** The history for the panel. Before the first snapshot it is one placeholder step (the panel's protocol wants one). */
  snapshotHistory(): SourceHistory {
    const steps = this.steps;
    if (steps.length === 0) return { total: 1, current: 0, entry: waiting, stats: () => NO_STATS };
    return { total: steps.length, current: this.shown, entry: step => steps[step]!.entry, stats: step => steps[step]!.stats };
  }
}

function describeChange(
  before: HeapView | undefined,
  after: DecodedHeapView,
  diff: HeapDiff | undefined,
): Pick<WireHistoryEntry, 'detail' | 'changes'> {
  const findings = findingsWords(after);
  if (after.blocks.count === 0)
    return { detail: l10n.t('not decodable{0}: {1}', findings, after.findings[0]?.message ?? l10n.t('no blocks')), changes: [] };
  if (!before)
    return {
      detail: l10n.t('first snapshot: {0} of {1} free{2}', formatBytes(after.stats.freeBytes), formatBytes(after.heapSize), findings),
      changes: [],
    };
  if (!diff) return { detail: l10n.t('not compared{0}', findings), changes: [] };
  if (!diff.comparable) return { detail: `${diff.summary}${findings}`, changes: [] };
  const { count: changed, offsets, orders, kinds } = diff.changes;
  const changes: WireChange[] = [];
  for (let i = 0; i < Math.min(changed, MAX_ENTRY_CHANGES); i++)
    changes.push({ kind: CHANGE_KINDS[kinds[i]!]!, offset: offsets[i]!, order: orders[i]! });
  const more = changed > MAX_ENTRY_CHANGES ? ` ${l10n.t('({0} more changes not listed)', changed - MAX_ENTRY_CHANGES)}` : '';
  return { detail: `${diff.summary}${more}${findings}`, changes };
}

/** "; 2 findings (1 error)" for a view with findings; empty without (made at every stop: no words made for nothing). */
function findingsWords(view: HeapView): string {
  const count = view.findings.length;
  if (count === 0) return '';
  const errors = view.findings.filter(f => f.severity === 'error').length;
  const findingWords = count === 1 ? l10n.t('1 finding') : l10n.t('{0} findings', count);
  if (!errors) return `; ${findingWords}`;
  const errorWords = errors === 1 ? l10n.t('1 error') : l10n.t('{0} errors', errors);
  return `; ${l10n.t('{0} ({1})', findingWords, errorWords)}`;
}

/** The history's words for a stop's leak suspects: how many, and whether they persist or grow. */
function leakText(ownership: ShownOwnership): string | undefined {
  const summary = ownership.result.leakSummary();
  const leaks = ownership.leaks;
  if (leaks && (summary.count > 0 || leaks.before.count > 0)) return leaks.summary;
  if (summary.count === 0) return undefined;
  return summary.count === 1
    ? l10n.t('1 possible leak ({0})', formatBytes(summary.bytes))
    : l10n.t('{0} possible leaks ({1})', summary.count, formatBytes(summary.bytes));
}

function statsOf(view: HeapView): StepStats {
  return { freeBytes: view.stats.freeBytes, largestFree: view.stats.largestFreeBlock, fragmentation: view.stats.fragmentation };
}
