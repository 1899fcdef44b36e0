// Save Heap Snapshot, Open Heap Snapshot and Compare Heap Snapshots. Each takes an argument object
// (tests, keybindings: `{ scope: 'all', path: 'boot.buddyheap' }`) or asks with quick picks and
// file dialogs; files go through vscode.workspace.fs.
import * as vscode from 'vscode';
import { type SnapshotFile, SNAPSHOT_EXTENSION, stepCount } from '../../core/snapshot/format';
import { writeSnapshot } from '../../core/snapshot/writeSnapshot';
import { CANCELLED, type CommandResult, argObject } from '../commands/args';
import type { HeapDebugger } from '../heapDebugger';
import type { LiveHeapSource } from '../live/liveHeapSource';
import { wireDiff } from '../panel/panelController';
import { type SaveScope, captureSource } from './captureSource';
import { SNAPSHOT_VIEW_TYPE, type SnapshotEditorProvider } from './snapshotEditor';
import { loadSnapshot, resolvePath, snapshotFilters, snapshotName } from './snapshotFiles';
import { SnapshotSource } from './snapshotSource';

export async function saveSnapshot(app: HeapDebugger, editors: SnapshotEditorProvider, args?: unknown): Promise<CommandResult> {
  const given = argObject(args);
  const source = editors.activeSource ?? app.sources.active;
  const scope = given ? (given['scope'] === 'all' ? 'all' : 'shown') : await pickScope();
  if (!scope) return CANCELLED;
  const captured = captureSource(source, scope, programOf(source));
  if (!captured.ok) return fail(app, saveTitle(), 'NothingToSave', captured.message);
  const file = captured.file;
  let uri: vscode.Uri | undefined;
  if (given && typeof given['path'] === 'string') uri = resolvePath(given['path']);
  else {
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    const stamp = file.savedAt.replace(/[:.]/g, '-');
    uri = await vscode.window.showSaveDialog({
      title: saveTitle(),
      filters: snapshotFilters(),
      ...(folder ? { defaultUri: vscode.Uri.joinPath(folder, `heap-${stamp}${SNAPSHOT_EXTENSION}`) } : {}),
    });
  }
  if (!uri) return CANCELLED;
  const text = writeSnapshot(file);
  await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(text));
  const name = snapshotName(uri);
  const steps = stepCount(file);
  const what =
    file.kind === 'live'
      ? steps === 1
        ? vscode.l10n.t('1 stop')
        : vscode.l10n.t('{0} stops', steps)
      : vscode.l10n.t('{0} operations', file.operations.length);
  const summary = vscode.l10n.t(
    'Saved {0} of {1} to {2} ({3} bytes); `buddy-heap inspect {2}` decodes it.',
    what,
    file.name,
    name,
    text.length,
  );
  app.log(summary);
  void vscode.window.showInformationMessage(summary);
  return { ok: true, path: uri.fsPath, from: source.state.source.label, kind: file.kind, steps, bytes: text.length };
}

export async function openSnapshot(app: HeapDebugger, args?: unknown): Promise<CommandResult> {
  const given = argObject(args);
  const uri =
    given && typeof given['path'] === 'string'
      ? resolvePath(given['path'])
      : args instanceof vscode.Uri
        ? args
        : (await pickFiles(false))?.[0];
  if (!uri) return CANCELLED;
  await vscode.commands.executeCommand('vscode.openWith', uri, SNAPSHOT_VIEW_TYPE);
  return { ok: true, path: uri.fsPath };
}

/**
 * Two files (or one file twice, for two of its steps) in the heap panel: the steps of the first,
 * then those of the second, showing the "to" step compared with the "from" step.
 */
export async function compareSnapshots(app: HeapDebugger, args?: unknown): Promise<CommandResult> {
  const given = argObject(args);
  let uris: vscode.Uri[];
  if (given && typeof given['a'] === 'string' && typeof given['b'] === 'string') {
    const a = resolvePath(given['a']);
    const b = resolvePath(given['b']);
    if (!a || !b) return fail(app, compareTitle(), 'NoWorkspace', vscode.l10n.t('Relative paths need an open workspace folder.'));
    uris = [a, b];
  } else {
    const picked = await pickFiles(true);
    if (!picked || picked.length === 0) return CANCELLED;
    if (picked.length > 2)
      return fail(app, compareTitle(), 'TooMany', vscode.l10n.t('Pick one snapshot (two of its steps) or two snapshots.'));
    uris = picked.length === 1 ? [picked[0]!, picked[0]!] : picked;
  }
  const files: SnapshotFile[] = [];
  for (const uri of uris) {
    const loaded = await loadSnapshot(uri);
    if (!loaded.ok) return fail(app, compareTitle(), 'BadSnapshot', loaded.message);
    files.push(loaded.file);
  }
  const [a, b] = files as [SnapshotFile, SnapshotFile];
  const fromStep = given
    ? numberArg(given['fromStep'], a.shownStep)
    : await pickStep(a, vscode.l10n.t('Compare from which step?'), uris[0]!);
  if (fromStep === undefined) return CANCELLED;
  const toStep = given ? numberArg(given['toStep'], b.shownStep) : await pickStep(b, vscode.l10n.t('Compare to which step?'), uris[1]!);
  if (toStep === undefined) return CANCELLED;
  if (fromStep < 0 || fromStep >= stepCount(a) || toStep < 0 || toStep >= stepCount(b))
    return fail(
      app,
      compareTitle(),
      'NoSuchStep',
      vscode.l10n.t(
        'The steps must exist: {0} has 0 to {1}, {2} has 0 to {3}.',
        snapshotName(uris[0]!),
        stepCount(a) - 1,
        snapshotName(uris[1]!),
        stepCount(b) - 1,
      ),
    );
  const names = uris.map(snapshotName);
  const source = new SnapshotSource(
    [
      { name: names[0]!, file: a },
      { name: names[1] === names[0] ? vscode.l10n.t('{0} (again)', names[1]!) : names[1]!, file: b },
    ],
    stepCount(a) + toStep,
  );
  const from = source.globalStep(0, fromStep);
  const to = source.globalStep(1, toStep);
  app.sources.setActive(source);
  const panel = app.showPanel();
  panel.controller.compareWith(from);
  const diff = wireDiff(source.state, from);
  app.log(`compared ${names[0]} step ${fromStep} with ${names[1]} step ${toStep}: ${diff?.summary ?? 'nothing to compare'}`);
  return { ok: true, fromStep: from, toStep: to, summary: diff?.summary ?? null, changes: diff?.count ?? 0 };
}

function programOf(source: unknown): { path?: string } | undefined {
  const sessionId = (source as Partial<LiveHeapSource>).sessionId;
  if (sessionId === undefined) return undefined;
  const session = vscode.debug.activeDebugSession?.id === sessionId ? vscode.debug.activeDebugSession : undefined;
  const program: unknown = session?.configuration['program'];
  return typeof program === 'string' ? { path: program } : undefined;
}

function numberArg(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isInteger(value) ? value : fallback;
}

async function pickScope(): Promise<SaveScope | undefined> {
  const items = [
    { label: vscode.l10n.t('This step'), description: vscode.l10n.t('the heap as shown now'), scope: 'shown' as const },
    {
      label: vscode.l10n.t('All steps'),
      description: vscode.l10n.t('the whole history: every kept stop, or every simulated operation'),
      scope: 'all' as const,
    },
  ];
  const options = { title: saveTitle(), placeHolder: vscode.l10n.t('What to save'), ignoreFocusOut: true };
  return (await vscode.window.showQuickPick(items, options))?.scope;
}

async function pickFiles(many: boolean): Promise<vscode.Uri[] | undefined> {
  return vscode.window.showOpenDialog({
    title: many
      ? vscode.l10n.t('Compare Heap Snapshots: pick two snapshots, or one to compare two of its steps')
      : vscode.l10n.t('Open Heap Snapshot'),
    canSelectMany: many,
    filters: snapshotFilters(),
  });
}

async function pickStep(file: SnapshotFile, title: string, uri: vscode.Uri): Promise<number | undefined> {
  const total = stepCount(file);
  if (total === 1) return 0;
  const items = Array.from({ length: total }, (_, step) => ({
    label: `${step}: ${stepLabel(file, step)}`,
    description: step === file.shownStep ? vscode.l10n.t('shown when saved') : '',
    step,
  }));
  const picked = await vscode.window.showQuickPick(items, {
    title: vscode.l10n.t('{0} ({1})', title, snapshotName(uri)),
    ignoreFocusOut: true,
  });
  return picked?.step;
}

function stepLabel(file: SnapshotFile, step: number): string {
  if (file.kind === 'live') return file.stops[step]!.text;
  if (step === 0) return vscode.l10n.t('fresh heap');
  const op = file.operations[step - 1]!;
  return op.kind === 'alloc'
    ? `alloc ${op.size} ${op.align}${op.owner ? ` owner=${op.owner}` : ''}`
    : `free 0x${op.address.toString(16)} ${op.size} ${op.align}`;
}

const saveTitle = () => vscode.l10n.t('Save Heap Snapshot');
const compareTitle = () => vscode.l10n.t('Compare Heap Snapshots');

function fail(app: HeapDebugger, title: string, error: string, message: string): CommandResult {
  app.notify({ level: 'error', title, message, blocks: [] });
  return { ok: false, error, message };
}
