// Reading a snapshot file for a CLI command: the reader's errors become usage errors naming the file.
import type { DecodedHeapView } from '../decoder/types';
import type { SnapshotFile } from '../snapshot/format';
import { SnapshotError, looksLikeSnapshot, readSnapshot } from '../snapshot/readSnapshot';
import { resolveStep, viewAtStep } from '../snapshot/snapshotSteps';
import { SNAPSHOT_EXTENSION } from '../snapshot/format';
import { CliError } from './io';

/** A snapshot named by its extension, or any file that starts like one. */
export function isSnapshotInput(path: string, bytes: Uint8Array): boolean {
  return path.endsWith(SNAPSHOT_EXTENSION) || looksLikeSnapshot(bytes);
}

export function parseSnapshot(path: string, bytes: Uint8Array): SnapshotFile {
  try {
    return readSnapshot(bytes);
  } catch (error) {
    if (error instanceof SnapshotError) throw new CliError(`${path}: ${error.message}`, 2);
    throw error;
  }
}

export function parseStepOption(value: string | undefined, option: string): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value)) throw new CliError(`${option} takes a step number (0 for the first), not "${value}"`, 2);
  return Number(value);
}

export interface SnapshotStep {
  readonly file: SnapshotFile;
  readonly step: number;
  readonly view: DecodedHeapView;
  /** What the step is: "stop 3: breakpoint" or "alloc 100 8 owner=uart". */
  readonly text: string;
}

export function snapshotStep(path: string, file: SnapshotFile, step: number | undefined): SnapshotStep {
  let chosen: number;
  try {
    chosen = resolveStep(file, step);
  } catch (error) {
    throw new CliError(`${path}: ${(error as Error).message}`, 2);
  }
  return { file, step: chosen, view: viewAtStep(file, chosen), text: stepText(file, chosen) };
}

function stepText(file: SnapshotFile, step: number): string {
  if (file.kind === 'live') {
    const stop = file.stops[step]!;
    return `${stop.text} at ${stop.time}${stop.frame?.name ? ` in ${stop.frame.name}` : ''}`;
  }
  if (step === 0) return 'fresh heap';
  const op = file.operations[step - 1]!;
  return op.kind === 'alloc'
    ? `after alloc ${op.size} ${op.align}${op.owner ? ` owner=${op.owner}` : ''}`
    : `after free 0x${op.address.toString(16)} ${op.size} ${op.align}`;
}
