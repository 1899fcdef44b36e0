// Replay Trace File and Export Trace: the simulation's operations as a trace file that
// `buddy-heap replay` reproduces, and such a file loaded back, all at once or step by step.
import * as vscode from 'vscode';
import { HEAP_ERROR_EXPLANATIONS, HeapError, LayoutShapeError, hex } from '../../core/layout';
import { TraceOp, TraceSyntaxError, parseTrace } from '../../core/trace/parse';
import { checkLayout } from '../config/layoutInput';
import type { HeapDebugger } from '../heapDebugger';
import type { SimOperation } from '../simulation/operations';
import { CANCELLED, CommandResult, argObject } from './args';

const traceFilters = () => ({ [vscode.l10n.t('Heap traces')]: ['trace', 'txt'], [vscode.l10n.t('All files')]: ['*'] });
const replayTitle = () => vscode.l10n.t('Replay Trace File');

export async function replayTrace(app: HeapDebugger, args?: unknown): Promise<CommandResult> {
  const given = argObject(args);
  let text: string;
  let name: string;
  if (typeof given?.['text'] === 'string') {
    text = given['text'];
    name = 'trace';
  } else {
    const uri =
      given && typeof given['path'] === 'string' ? resolvePath(given['path']) : args instanceof vscode.Uri ? args : await pickTrace();
    if (!uri) return CANCELLED;
    name = vscode.workspace.asRelativePath(uri);
    try {
      text = new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
    } catch (error) {
      return fail(app, 'Unreadable', vscode.l10n.t('Cannot read {0}: {1}', name, error instanceof Error ? error.message : String(error)));
    }
  }
  let ops: TraceOp[];
  try {
    ops = parseTrace(text);
  } catch (error) {
    if (error instanceof TraceSyntaxError) return fail(app, 'SyntaxError', `${name}: ${error.message}`);
    throw error;
  }
  // Each `heap` line starts a new heap; the panel shows one, so the last heap's operations play.
  const heapAt = ops.map(op => op.op).lastIndexOf('heap');
  if (heapAt < 0)
    return fail(app, 'NoHeap', vscode.l10n.t('{0} has no "heap <size> orders=<N>" line, so there is no heap to replay on.', name));
  const heapOp = ops[heapAt] as Extract<TraceOp, { op: 'heap' }>;
  const checked = checkLayout({
    base: heapOp.base,
    size: heapOp.size,
    orders: heapOp.orders,
    pointerWidth: heapOp.pointerWidth,
    endianness: heapOp.endianness,
  });
  if (!checked.ok) {
    const why = HEAP_ERROR_EXPLANATIONS[checked.error as HeapError | LayoutShapeError] ?? checked.message;
    return fail(app, checked.error, vscode.l10n.t('{0} line {1}: the heap is invalid ({2}): {3}.', name, heapOp.line, checked.error, why));
  }
  const mode = given ? (given['mode'] === 'step' ? 'step' : 'all') : await pickMode();
  if (!mode) return CANCELLED;
  const simOps: SimOperation[] = [];
  for (const op of ops.slice(heapAt + 1)) {
    if (op.op === 'alloc') simOps.push({ kind: 'alloc', size: op.size, align: op.align, ...(op.owner ? { owner: op.owner } : {}) });
    else if (op.op === 'free') simOps.push({ kind: 'free', address: op.address, size: op.size, align: op.align });
  }
  const simulated = app.replaceSimulation(checked.layout);
  const { applied, failed } = simulated.applyAll(simOps, mode === 'step' ? 'first' : 'last');
  if (!app.panel) app.showPanel();
  const skipped = ops.slice(0, heapAt).filter(op => op.op === 'heap').length;
  const replayed = skipped
    ? vscode.l10n.t(
        'Replayed {0}: {1} operations ({2} failed); {3} earlier heap(s) in the file were skipped.',
        name,
        applied,
        failed,
        skipped,
      )
    : vscode.l10n.t('Replayed {0}: {1} operations ({2} failed).', name, applied, failed);
  const summary =
    mode === 'step'
      ? `${replayed} ${vscode.l10n.t('Showing the fresh heap: step through the history with → / ← in the panel.')}`
      : replayed;
  app.log(summary);
  void vscode.window.showInformationMessage(summary);
  const heap = simulated.heap;
  return {
    ok: true,
    operations: applied,
    failed,
    step: simulated.history().current,
    freeLists: heap.freeLists().map(list => list.map(offset => hex(heap.address(offset)))),
  };
}

export async function exportTrace(app: HeapDebugger, args?: unknown): Promise<CommandResult> {
  const given = argObject(args);
  const text = app.simulation.exportTrace();
  let uri: vscode.Uri | undefined;
  if (given && typeof given['path'] === 'string') uri = resolvePath(given['path']);
  else {
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    uri = await vscode.window.showSaveDialog({
      title: vscode.l10n.t('Export Trace'),
      filters: traceFilters(),
      ...(folder ? { defaultUri: vscode.Uri.joinPath(folder, 'heap.trace') } : {}),
    });
  }
  if (!uri) return CANCELLED;
  await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(text));
  const name = vscode.workspace.asRelativePath(uri);
  app.log(`exported the simulation's trace to ${name}`);
  void vscode.window.showInformationMessage(
    vscode.l10n.t('Exported {0} operations to {1}; `buddy-heap replay {1}` reproduces the heap.', app.simulation.operations().length, name),
  );
  return { ok: true, path: uri.fsPath, text };
}

async function pickTrace(): Promise<vscode.Uri | undefined> {
  const picked = await vscode.window.showOpenDialog({ title: replayTitle(), canSelectMany: false, filters: traceFilters() });
  return picked?.[0];
}

async function pickMode(): Promise<'all' | 'step' | undefined> {
  const items = [
    { label: vscode.l10n.t('All at once'), description: vscode.l10n.t('show the heap after the last operation'), mode: 'all' as const },
    {
      label: vscode.l10n.t('Step by step'),
      description: vscode.l10n.t('start at the fresh heap and step through the history'),
      mode: 'step' as const,
    },
  ];
  const options = { title: replayTitle(), placeHolder: vscode.l10n.t('How to replay'), ignoreFocusOut: true };
  return (await vscode.window.showQuickPick(items, options))?.mode;
}

function resolvePath(path: string): vscode.Uri | undefined {
  if (path.startsWith('/') || /^[a-zA-Z]:[\\/]/.test(path)) return vscode.Uri.file(path);
  const folder = vscode.workspace.workspaceFolders?.[0];
  return folder ? vscode.Uri.joinPath(folder.uri, path) : undefined;
}

function fail(app: HeapDebugger, error: string, message: string): CommandResult {
  app.notify({ level: 'error', title: replayTitle(), message, blocks: [] });
  return { ok: false, error, message };
}
