// The snapshot custom editor as tests see it: open a file in it and wait for its webview to render,
// and everything a source shows at every step (history entry, view with findings, owners) as plain
// values to compare a reopened snapshot with the heap it was saved from. Shared by the host layer
// and the e2e host suites (live save → reopen).
import type { OwnershipResult } from '../../../core/ownership/ownershipResult';
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { viewToJson } from '../../../core/cli/inspect';
import { materialized } from '../../../core/cli/prettyJson';
import type { DecodedHeapView } from '../../../core/decoder/types';
import type { RenderedMessage } from '../../../core/protocol/messages';
import type { BuddyHeapApi } from '../../../extension/main';
import type { HeapPanel } from '../../../extension/panel/heapPanel';
import type { PanelSource } from '../../../extension/panel/panelSource';

export const SNAPSHOT_VIEW_TYPE = 'buddyHeap.snapshot';

/** Opens `uri` in the snapshot editor and waits until its webview rendered step `step`. */
export async function openEditor(snapshots: BuddyHeapApi['snapshots'], uri: vscode.Uri, step: number): Promise<HeapPanel> {
  await vscode.commands.executeCommand('vscode.openWith', uri, SNAPSHOT_VIEW_TYPE);
  const deadline = Date.now() + 15_000;
  let editor = snapshots.editors.get(uri.toString());
  while (!editor && Date.now() < deadline) {
    await new Promise(r => setTimeout(r, 50));
    editor = snapshots.editors.get(uri.toString());
  }
  assert.ok(editor, `no snapshot editor opened for ${uri.fsPath}`);
  await renderedIn(editor, r => r.step === step);
  return editor;
}

export function renderedIn(panel: HeapPanel, check: (r: RenderedMessage) => boolean): Promise<RenderedMessage> {
  const last = panel.controller.lastRendered;
  if (last && check(last)) return Promise.resolve(last);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      sub.dispose();
      reject(new Error(`the snapshot editor did not render (last: ${JSON.stringify(panel.controller.lastRendered)})`));
    }, 15_000);
    const sub = panel.controller.onDidRender(r => {
      if (!check(r)) return;
      clearTimeout(timer);
      sub.dispose();
      resolve(r);
    });
  });
}

/** History entries, views (with findings) and owners at every step of a source. */
export function everyStep(source: PanelSource): unknown[] {
  const out = [];
  const { total, current } = source.state.history;
  for (let step = 0; step < total; step++) {
    source.stepTo(step);
    const s = source.state;
    out.push({
      entry: s.history.entry(step),
      view: plainView(s.shown.view as DecodedHeapView),
      owners: s.shown.allocations.map(a => [a.offset, a.owner]),
      // A scanned heap's owners: each block's owning root word, and how many words refer to it.
      scanned: ownershipOf(s.shown.ownership?.result),
    });
  }
  source.stepTo(current);
  return out;
}

function ownershipOf(result: OwnershipResult | undefined): unknown {
  if (!result) return null;
  return Array.from({ length: result.blockCount }, (_, b) => [
    result.address(b).toString(16),
    result.owner(b)?.path ?? null,
    result.referrerCount(b),
  ]);
}

/** The view's JSON as a plain value (its arrays are streamed when printed). */
export const plainView = (view: Parameters<typeof viewToJson>[0]) => materialized(viewToJson(view)) as Record<string, unknown>;
