// Show in Heap Panel (Variables and Watch context menus): a pointer into a live heap selects the
// block that holds it; a heap struct (or a pointer to one) is attached as a live heap.
import * as vscode from 'vscode';
import { hex } from '../../../core/layout';
import type { CommandResult } from '../../commands/args';
import type { HeapDebugger } from '../../heapDebugger';
import type { LiveDebugging } from '../liveDebugging';
import { parseVariableTarget } from '../variableArgument';
import { liveResult } from './liveResult';

export async function showInPanel(app: HeapDebugger, live: LiveDebugging, args?: unknown): Promise<CommandResult> {
  const target = parseVariableTarget(args);
  if (!target)
    return fail(
      app,
      'NoVariable',
      vscode.l10n.t('Run "Show in Heap Panel" from a variable or watch expression in the Run and Debug view.'),
    );
  const sessionId = target.sessionId ?? vscode.debug.activeDebugSession?.id;
  const session = sessionId ? live.session(sessionId) : undefined;
  if (target.address !== undefined) {
    const candidates = [...live.allSources(sessionId), ...live.allSources().filter(s => s.sessionId !== sessionId)];
    for (const source of candidates) {
      const block = source.blockAt(target.address);
      if (!block) continue;
      live.show(source);
      app.panel?.controller.select(block.offset);
      const base = source.current().view.heapBase;
      app.log(
        `${target.expression ?? 'value'} = ${hex(target.address)} lies in the block at ${hex(base + BigInt(block.offset))} (order ${block.order}) of ${source.heapName}`,
      );
      return { ok: true, heap: source.heapName, offset: block.offset, order: block.order, address: hex(base + BigInt(block.offset)) };
    }
  }
  if (!session) return fail(app, 'NoSession', vscode.l10n.t('The variable belongs to no running debug session.'));
  if (!target.expression) return fail(app, 'NoExpression', vscode.l10n.t('The variable has no expression to evaluate (no evaluateName).'));
  // A pointer that is in no live heap: maybe it points at a heap struct.
  const pointer = target.address !== undefined && target.type !== undefined && /(\*\s*$|^\*(mut|const)\s|^&)/.test(target.type);
  const expression = pointer ? `*(${target.expression})` : target.expression;
  // A heap this session already reads (configured, auto-attached or shown before) is shown as it
  // is: attaching it again would start a new source and drop its history of stops.
  const reading = live
    .allSources(session.id)
    .find(s => !s.ended && (s.latestRead?.read.location.label === expression || s.heapName === target.expression));
  if (reading) {
    live.show(reading);
    return liveResult(reading);
  }
  const source = live.attach(session, { name: target.expression, source: { kind: 'expression', expression } }, true);
  if (live.isStopped(session.id)) await source.idle();
  const result = liveResult(source);
  if (!result.ok && result.message) void vscode.window.showErrorMessage(vscode.l10n.t('Buddy Heap: {0}', result.message));
  return result;
}

function fail(app: HeapDebugger, error: string, message: string): CommandResult {
  app.log(`Show in Heap Panel: ${message}`);
  void vscode.window.showErrorMessage(vscode.l10n.t('Buddy Heap: {0}', message));
  return { ok: false, error, message };
}
