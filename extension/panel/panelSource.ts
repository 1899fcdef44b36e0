// The seam between the panel and whatever supplies heaps. The panel controller renders any
// PanelSource: the simulation (extension/simulation/) today, a live device heap read through the
// debug adapter (extension/live/) later. A source owns its heaps and history; the panel only asks
// for the current view and the history and forwards the user's intents.
import type { HeapView } from '../../core/decoder/types';
import type { Allocation } from '../../core/model/buddyHeap';
import type { WireHistoryEntry, WireNotice, WireSource } from '../../core/protocol/viewModel';
import type { Event } from '../util/emitter';

/** What one step of a source looks like. */
export interface SourceView {
  /** The decoded heap (decodeHeap(snapshot) for live sources). */
  readonly view: HeapView;
  /** Allocations known with their owner labels; empty when the source cannot know them. */
  readonly allocations: readonly Allocation[];
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

/** What changed, so the panel re-sends only those parts. */
export interface SourceChange {
  readonly view?: boolean;
  readonly history?: boolean;
  readonly source?: boolean;
  /** A message for the user about the last operation (e.g. why an allocation failed). */
  readonly notice?: WireNotice | null;
}

export interface PanelSource {
  readonly onDidChange: Event<SourceChange>;
  describe(): WireSource;
  current(): SourceView;
  history(): SourceHistory;
  /** The decoded heap at any step (for comparing two steps); undefined when it is no longer kept. */
  viewAt(step: number): HeapView | undefined;
  /** Shows an earlier (or later) step; false when the step does not exist. */
  stepTo(step: number): boolean;
  dispose(): void;
}
