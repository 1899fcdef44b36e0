// The seam between the panel and whatever supplies heaps: the simulation (extension/simulation/)
// and live device heaps (extension/live/). A source owns its heaps and history and pushes one
// immutable SourceState with each change; the panel renders what it was given and sends intents
// back (stepTo, and freeAt for the simulation), never asking a source for anything else.
import type { HeapDiff } from '../../core/diff/diffViews';
import type { HeapView } from '../../core/decoder/types';
import type { Allocation } from '../../core/model/buddyHeap';
import type { LeakComparison } from '../../core/ownership/compareLeaks';
import type { OwnershipResult } from '../../core/ownership/ownershipResult';
import type { WireHistoryEntry, WireNotice, WireSource } from '../../core/protocol/viewModel';
import type { WireViewPatch } from '../../core/protocol/viewPatch';
import type { Event } from '../util/emitter';

/** What one step of a source looks like. */
export interface SourceView {
  /** The decoded heap (decodeHeap(snapshot) for live sources). */
  readonly view: HeapView;
  /** Allocations known with their owner labels; empty when the source cannot know them. */
  readonly allocations: readonly Allocation[];
  /** Who owns what, when the source ran the ownership scan (its blocks replace `allocations`). */
  readonly ownership?: ShownOwnership;
}

/** An ownership scan of the shown step, and how its leak suspects compare with the step before. */
export interface ShownOwnership {
  readonly result: OwnershipResult;
  readonly leaks?: LeakComparison;
}

/** Statistics recorded after each step, for the history chart. */
export interface StepStats {
  readonly freeBytes: number;
  readonly largestFree: number;
  readonly fragmentation: number;
}

export interface SourceHistory {
  /** Number of steps; step 0 is the first heap (the fresh heap, or the first snapshot). */
  readonly total: number;
  readonly current: number;
  entry(step: number): WireHistoryEntry;
  stats(step: number): StepStats;
}

/** Everything the panel shows of a source at one moment. Immutable: a change publishes a new one. */
export interface SourceState {
  readonly source: WireSource;
  /** The shown step's view (computed at most once, when first read). */
  readonly shown: SourceView;
  readonly history: SourceHistory;
  /** The decoded heap at any kept step (for comparing two steps); undefined when no longer kept. */
  viewAt(step: number): HeapView | undefined;
  /** The diff from step - 1 to step when the source computed it already (live stops do). */
  stepDiff(step: number): HeapDiff | undefined;
  /** The ownership scan at a step, for sources that scan (device heaps, their snapshots). */
  ownershipAt?(step: number): OwnershipResult | undefined;
}

/** What changed, so the panel re-sends only those parts, and the state after the change. */
export interface SourceChange {
  readonly state: SourceState;
  readonly view?: boolean;
  /** With `view`: how the shown view changed from the one published before, when the source knows. */
  readonly viewPatch?: WireViewPatch;
  readonly history?: boolean;
  /** With `history`: steps before this one are as published before (only later ones, or `current`, changed). */
  readonly historyFrom?: number;
  readonly source?: boolean;
  /** A message for the user about the last operation (e.g. why an allocation failed). */
  readonly notice?: WireNotice | null;
}

export interface PanelSource {
  readonly onDidChange: Event<SourceChange>;
  /** The latest state published (what a panel opened now starts from). */
  readonly state: SourceState;
  /** Shows an earlier (or later) step; false when the step does not exist. */
  stepTo(step: number): boolean;
  dispose(): void;
}

/** A SourceState whose shown view is built only if someone reads it, and then once. */
export function lazyState(parts: Omit<SourceState, 'shown'> & { readonly shown: () => SourceView }): SourceState {
  let shown: SourceView | undefined;
  return {
    source: parts.source,
    history: parts.history,
    viewAt: step => parts.viewAt(step),
    stepDiff: step => parts.stepDiff(step),
    ...(parts.ownershipAt ? { ownershipAt: parts.ownershipAt } : {}),
    get shown() {
      return (shown ??= parts.shown());
    },
  };
}
