// The steps of one snapshot file as a reopened panel shows them: the same history entries, views
// and owners the heap had when it was saved. A live file's stops are decoded through the same
// SnapshotHistory a live source uses; a simulated file is replayed by a SimulatedHeap.
import type { HeapDiff } from '../../core/diff/diffViews';
import type { DecodedHeapView, HeapView } from '../../core/decoder/types';
import { decodeHeap } from '../../core/decoder/decode';
import type { WireHistoryEntry } from '../../core/protocol/viewModel';
import type { LiveSnapshotFile, SimulatedSnapshotFile, SnapshotFile } from '../../core/snapshot/format';
import { liveStepSnapshot, stopOwnership } from '../../core/snapshot/snapshotSteps';
import { SnapshotHistory } from '../live/snapshotHistory';
import type { ShownOwnership, SourceHistory, SourceView, StepStats } from '../panel/panelSource';
import { SimulatedHeap } from '../simulation/simulatedHeap';

export interface FileSteps {
  readonly file: SnapshotFile;
  readonly total: number;
  entry(step: number): WireHistoryEntry;
  stats(step: number): StepStats;
  /** The step's view and owners (what the panel shows). */
  shown(step: number): SourceView;
  view(step: number): HeapView;
  /** The diff from step - 1, when computed already. */
  diff(step: number): HeapDiff | undefined;
}

/** Decoded views kept for stepping back and forth; older ones are decoded again when needed. */
const KEPT_VIEWS = 16;

class LiveFileSteps implements FileSteps {
  private readonly history: SourceHistory;
  private readonly decoded: SnapshotHistory;
  private readonly cache = new Map<number, DecodedHeapView>();

  constructor(readonly file: LiveSnapshotFile) {
    this.decoded = new SnapshotHistory(KEPT_VIEWS);
    // Stops saved with the ownership scan's inputs are scanned again, so owners and leak trends return.
    file.stops.forEach((stop, step) => {
      const view = decodeHeap(liveStepSnapshot(file, step));
      this.decoded.push(view, stop.text, undefined, stopOwnership(file, step, view));
    });
    this.history = this.decoded.snapshotHistory();
  }

  get total(): number {
    return this.file.stops.length;
  }

  entry(step: number): WireHistoryEntry {
    return this.history.entry(step);
  }

  stats(step: number): StepStats {
    return this.history.stats(step);
  }

  shown(step: number): SourceView {
    // A device's free lists cannot say who owns a block; the saved scan's inputs can.
    const ownership = this.decoded.ownershipAt(step) ?? this.rescanned(step);
    return { view: this.view(step), allocations: [], ...(ownership ? { ownership } : {}) };
  }

  /** A step whose scan the history no longer keeps: scanned again (without the leak trend). */
  private rescanned(step: number): ShownOwnership | undefined {
    const result = stopOwnership(this.file, step, this.view(step));
    return result ? { result } : undefined;
  }

  view(step: number): DecodedHeapView {
    const kept = this.decoded.viewAt(step) ?? this.cache.get(step);
    if (kept) return kept;
    const view = decodeHeap(liveStepSnapshot(this.file, step));
    this.cache.set(step, view);
    if (this.cache.size > KEPT_VIEWS) this.cache.delete(this.cache.keys().next().value!);
    return view;
  }

  diff(step: number): HeapDiff | undefined {
    return this.decoded.diffAt(step);
  }
}

class SimulatedFileSteps implements FileSteps {
  private readonly simulation: SimulatedHeap;
  private readonly history: SourceHistory;

  constructor(readonly file: SimulatedSnapshotFile) {
    const created = SimulatedHeap.create(file.layout, file.name);
    // The reader checked the layout with the model's own rules.
    if (!created.ok) throw new Error(`the snapshot's layout was refused: ${created.error}`);
    this.simulation = created.simulated;
    this.simulation.applyAll(file.operations, 'last');
    this.history = this.simulation.history();
  }

  get total(): number {
    return this.history.total;
  }

  entry(step: number): WireHistoryEntry {
    return this.history.entry(step);
  }

  stats(step: number): StepStats {
    return this.history.stats(step);
  }

  shown(step: number): SourceView {
    // The inner simulation is never shown itself: stepping it is how a step's heap (with owners) is rebuilt.
    this.simulation.stepTo(step);
    return this.simulation.current();
  }

  view(step: number): HeapView {
    const view = this.simulation.viewAt(step);
    if (!view) throw new RangeError(`no step ${step} in ${this.file.name}`);
    return view;
  }

  diff(): HeapDiff | undefined {
    return undefined;
  }
}

export function fileSteps(file: SnapshotFile): FileSteps {
  return file.kind === 'live' ? new LiveFileSteps(file) : new SimulatedFileSteps(file);
}
