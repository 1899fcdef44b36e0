// Walking a debugged target through the script's checkpoints in the extension host, and checking
// what the live source read at each against the model: the loop every live suite runs.
import * as assert from 'node:assert/strict';
import type * as vscode from 'vscode';
import type { DecodedHeapView } from '../../../../core/decoder/types';
import type { LatestRead, LiveHeapSource } from '../../../../extension/live/liveHeapSource';
import { assertViewMatchesModel } from '../../support/heapModel';
import { rustProgramModel } from '../../support/rustOpLog';
import { HEAP_SCRIPT, type ScriptStep } from '../../targets/script';
import { continueToNext, evaluateNumber, sessionMemory, settledAt } from './hostDebug';

/** A checkpoint the target stopped at, and what the live source read there. */
export interface Checkpoint {
  /** The checkpoint's place in HEAP_SCRIPT (0 for the first stop). */
  readonly index: number;
  readonly step: ScriptStep;
  /** "step N (what the step does)": the prefix of the checks' messages. */
  readonly what: string;
  readonly read: LatestRead['read'];
  readonly view: LatestRead['view'];
}

/**
 * Walks HEAP_SCRIPT: the first checkpoint is the stop the source reads first, each next one a
 * continue away (the source read it before `check` runs). At each, the program's own `step` (the
 * only evaluate the test sends) must be the script's; then `check` looks at the source's read.
 */
export async function atEveryCheckpoint(
  session: vscode.DebugSession,
  source: LiveHeapSource,
  check: (at: Checkpoint) => Promise<void> | void,
): Promise<void> {
  for (const [index, step] of HEAP_SCRIPT.entries()) {
    if (index === 0) await settledAt(source, 1);
    else await continueToNext(session, source);
    const what = `step ${step.step} (${step.what})`;
    assert.equal(await evaluateNumber(session, 'step'), BigInt(step.step), `${what}: the checkpoint`);
    const latest = source.latestRead;
    assert.ok(latest, `${what}: the source read the stop`);
    await check({ index, step, what, read: latest.read, view: latest.view });
  }
}

/** The Rust program's decoded heap equals its own OP_LOG (read through the session) replayed on the model. */
export async function assertViewMatchesRustProgram(session: vscode.DebugSession, view: DecodedHeapView, what: string): Promise<void> {
  assertViewMatchesModel(view, await rustProgramModel(sessionMemory(session), view.heapBase), what);
}
