// Saved snapshots as a panel source: one file (a reopened snapshot) or several one after the other
// (Compare: two files' steps, so the panel's compare view can diff any step of one with any of the
// other). Read-only: nothing runs, nothing is simulated; stepping only picks another saved step.
import * as l10n from '@vscode/l10n';
import type { HeapView } from '../../core/decoder/types';
import { formatBytes, hex } from '../../core/layout';
import type { WireHistoryEntry, WireSource } from '../../core/protocol/viewModel';
import { type SnapshotFile, stepCount } from '../../core/snapshot/format';
import {
  type PanelSource,
  type SourceChange,
  type SourceHistory,
  type SourceState,
  type SourceView,
  lazyState,
} from '../panel/panelSource';
import { Emitter } from '../util/emitter';
import { type FileSteps, fileSteps } from './fileSteps';

export interface NamedSnapshot {
  /** What the user calls the file (its workspace-relative path or name). */
  readonly name: string;
  readonly file: SnapshotFile;
}

interface Part {
  readonly name: string;
  readonly steps: FileSteps;
  /** Global step of this file's step 0. */
  readonly first: number;
}

export class SnapshotSource implements PanelSource {
  private readonly changed = new Emitter<SourceChange>();
  readonly onDidChange = this.changed.event;
  private readonly parts: Part[] = [];
  private readonly total: number;
  private current: number;
  private published: SourceState | undefined;

  /** `shown`: the global step shown first; the last file's saved step by default. */
  constructor(files: readonly NamedSnapshot[], shown?: number) {
    if (files.length === 0) throw new Error('a snapshot source needs at least one file');
    let first = 0;
    for (const { name, file } of files) {
      this.parts.push({ name, steps: fileSteps(file), first });
      first += stepCount(file);
    }
    this.total = first;
    const last = this.parts[this.parts.length - 1]!;
    this.current = shown ?? last.first + last.steps.file.shownStep;
    if (!Number.isInteger(this.current) || this.current < 0 || this.current >= this.total) this.current = this.total - 1;
  }

  /** The global step of `step` in the `index`th file. */
  globalStep(index: number, step: number): number {
    return this.parts[index]!.first + step;
  }

  get files(): readonly NamedSnapshot[] {
    return this.parts.map(p => ({ name: p.name, file: p.steps.file }));
  }

  get state(): SourceState {
    return (this.published ??= this.snapshotState());
  }

  stepTo(step: number): boolean {
    if (!Number.isInteger(step) || step < 0 || step >= this.total) return false;
    if (step === this.current) return true;
    this.current = step;
    this.published = this.snapshotState();
    this.changed.fire({ state: this.published, view: true, history: true, source: true, notice: null });
    return true;
  }

  dispose(): void {
    this.changed.dispose();
  }

  /** The file and file step a global step belongs to. */
  locate(step: number): { part: Part; local: number } {
    let part = this.parts[0]!;
    for (const p of this.parts) if (p.first <= step) part = p;
    return { part, local: step - part.first };
  }

  /** The shown step, or the shown step's whole file, as a file to save. */
  capture(scope: 'shown' | 'all'): SnapshotFile {
    const { part, local } = this.locate(this.current);
    const file = part.steps.file;
    const savedAt = new Date().toISOString();
    if (scope === 'all') return { ...file, savedAt, shownStep: local };
    if (file.kind === 'live') return { ...file, savedAt, stops: [file.stops[local]!], shownStep: 0 };
    return { ...file, savedAt, operations: file.operations.slice(0, local), shownStep: local };
  }

  private describe(): WireSource {
    const { part, local } = this.locate(this.current);
    const file = part.steps.file;
    const names = this.parts.map(p => p.name);
    const label = this.parts.length === 1 ? `${file.name} — ${part.name}` : l10n.t('Compare {0}', names.join(' ↔ '));
    const heap =
      file.kind === 'simulated'
        ? l10n.t('{0} at {1}, {2} orders', formatBytes(file.layout.size), hex(file.layout.base), file.layout.orders)
        : l10n.t('{0}-byte pointers, {1} endian', file.pointerWidth, file.endianness === 'little' ? l10n.t('little') : l10n.t('big'));
    const buildId = file.program?.buildId ? ` ${l10n.t('(build-id {0})', file.program.buildId)}` : '';
    const program = file.program?.path ? ` · ${file.program.path}${buildId}` : '';
    return {
      kind: file.kind,
      label,
      detail:
        l10n.t('Snapshot (read-only) · {0} step {1} of {2} · saved {3} · {4}', part.name, local, part.steps.total - 1, file.savedAt, heap) +
        program,
      canSimulate: false,
    };
  }

  private history(): SourceHistory {
    const many = this.parts.length > 1;
    return {
      total: this.total,
      current: this.current,
      entry: (step): WireHistoryEntry => {
        const { part, local } = this.locate(step);
        const entry = part.steps.entry(local);
        return many ? { ...entry, step, text: `${part.name}: ${entry.text}` } : entry;
      },
      stats: step => {
        const { part, local } = this.locate(step);
        return part.steps.stats(local);
      },
    };
  }

  private shownAt(step: number): SourceView {
    const { part, local } = this.locate(step);
    return part.steps.shown(local);
  }

  private viewAt(step: number): HeapView | undefined {
    if (!Number.isInteger(step) || step < 0 || step >= this.total) return undefined;
    const { part, local } = this.locate(step);
    return part.steps.view(local);
  }

  private snapshotState(): SourceState {
    const { part, local } = this.locate(this.current);
    return lazyState({
      source: this.describe(),
      history: this.history(),
      shown: () => part.steps.shown(local),
      viewAt: step => this.viewAt(step),
      ownershipAt: step => (Number.isInteger(step) && step >= 0 && step < this.total ? this.shownAt(step).ownership?.result : undefined),
      // Across the boundary between two files there is no stored diff: the panel computes one.
      stepDiff: step => {
        const at = this.locate(step);
        return at.local > 0 ? at.part.steps.diff(at.local) : undefined;
      },
    });
  }
}
