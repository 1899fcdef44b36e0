// Attach to Debug Session: pick the session, then a configured heap or a typed expression; the
// panel switches to the live heap and reads it at once if the session is stopped. With an
// argument object ({ sessionId, heap } or { sessionId, expression } or an address heap setting)
// it asks nothing.
import * as vscode from 'vscode';
import { CANCELLED, type CommandResult } from '../../commands/args';
import type { HeapDebugger } from '../../heapDebugger';
import { parseHeapSpec } from '../../dap/heapSpec';
import type { LiveDebugging } from '../liveDebugging';
import type { NamedHeap } from '../liveSettings';
import { liveResult } from './liveResult';
import { pickSession, stringArg } from './liveArgs';

const typeExpression = () => `$(edit) ${vscode.l10n.t('Type a heap expression…')}`;

export async function attachToSession(app: HeapDebugger, live: LiveDebugging, args?: unknown): Promise<CommandResult> {
  const session = await pickSession(live, stringArg(args, 'sessionId'));
  if (session === 'none')
    return fail(
      app,
      'NoSession',
      stringArg(args, 'sessionId')
        ? vscode.l10n.t('No running debug session has id {0}.', stringArg(args, 'sessionId')!)
        : vscode.l10n.t('No debug session is running: start debugging the target first, then attach.'),
    );
  if (!session) return CANCELLED;
  const heap = await chooseHeap(live, args);
  if (heap === undefined) return CANCELLED;
  if ('error' in heap) return fail(app, 'InvalidHeap', heap.error);
  const source = live.attach(session, heap, true);
  if (live.isStopped(session.id)) await source.idle();
  const result = liveResult(source);
  if (!result.ok && result.message) void vscode.window.showErrorMessage(vscode.l10n.t('Buddy Heap: {0}', result.message));
  return result;
}

async function chooseHeap(live: LiveDebugging, args: unknown): Promise<NamedHeap | { error: string } | undefined> {
  const settings = live.settings();
  const name = stringArg(args, 'heap');
  if (name) {
    const heap = settings.heaps.find(h => h.name === name);
    return (
      heap ?? {
        error: vscode.l10n.t(
          'No heap named "{0}" in buddyHeap.live.heaps (configured: {1}).',
          name,
          settings.heaps.map(h => `"${h.name}"`).join(', ') || vscode.l10n.t('none'),
        ),
      }
    );
  }
  if (typeof args === 'object' && args !== null && ('expression' in args || 'address' in args)) {
    const parsed = parseHeapSpec(args);
    if (!parsed.ok) return { error: parsed.message };
    const label =
      stringArg(args, 'name') ??
      (parsed.source.kind === 'expression'
        ? parsed.source.expression
        : vscode.l10n.t('heap at {0}', `0x${parsed.source.address.toString(16)}`));
    return { name: label, source: parsed.source };
  }
  const picks = [
    ...settings.heaps.map(heap => ({
      label: heap.name,
      description: heap.source.kind === 'expression' ? heap.source.expression : `0x${heap.source.address.toString(16)}`,
      heap,
    })),
    { label: typeExpression(), description: vscode.l10n.t('e.g. {0}', 'HEAP or my_crate::ALLOCATOR.inner.value'), heap: undefined },
  ];
  const picked =
    settings.heaps.length === 0
      ? picks[0]
      : await vscode.window.showQuickPick(picks, { title: vscode.l10n.t('Which heap?'), ignoreFocusOut: true });
  if (!picked) return undefined;
  if (picked.heap) return picked.heap;
  const expression = await vscode.window.showInputBox({
    title: vscode.l10n.t('Heap expression'),
    prompt: vscode.l10n.t('A debugger expression for the Heap<N> value itself (not a pointer to it, not its lock wrapper)'),
    placeHolder: 'HEAP, ALLOCATOR.inner, my_crate::ALLOCATOR.inner.value',
    ignoreFocusOut: true,
    validateInput: value => (value.trim() === '' ? vscode.l10n.t('Type the expression of the heap struct') : undefined),
  });
  if (expression === undefined) return undefined;
  return { name: expression.trim(), source: { kind: 'expression', expression: expression.trim() } };
}

function fail(app: HeapDebugger, error: string, message: string): CommandResult {
  app.log(`Attach to Debug Session: ${message}`);
  void vscode.window.showErrorMessage(vscode.l10n.t('Buddy Heap: {0}', message));
  return { ok: false, error, message };
}
