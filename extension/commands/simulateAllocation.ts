// Simulate Allocation: size, alignment and an optional owner label; a failure is explained in the
// panel and in a notification (too large, bad alignment, or exhausted and whether by fragmentation).
import * as vscode from 'vscode';
import { formatBytes, hex, isPowerOfTwo } from '../../core/layout';
import { parseNumber } from '../../core/numbers';
import { numberInputProblem } from '../config/layoutInput';
import type { HeapDebugger } from '../heapDebugger';
import { ownerLabelProblem } from '../simulation/operations';
import { CANCELLED, CommandResult, argObject, textArg } from './args';
import { askNumber } from './prompts';

const title = () => vscode.l10n.t('Simulate Allocation');

export async function simulateAllocation(app: HeapDebugger, args?: unknown): Promise<CommandResult> {
  const given = argObject(args);
  let sizeText: string | undefined;
  let alignText: string | undefined;
  let owner: string | undefined;
  if (given) {
    sizeText = textArg(given['size']);
    alignText = textArg(given['align']) ?? '8';
    owner = typeof given['owner'] === 'string' ? given['owner'] : undefined;
    const problem =
      (sizeText === undefined ? vscode.l10n.t('a size is required') : numberInputProblem(sizeText, vscode.l10n.t('size'))) ??
      numberInputProblem(alignText, vscode.l10n.t('alignment')) ??
      (owner !== undefined ? ownerLabelProblem(owner) : undefined);
    if (problem) return invalid(app, problem);
  } else {
    sizeText = await askNumber({
      title: vscode.l10n.t('{0} ({1}/{2})', title(), 1, 3),
      prompt: vscode.l10n.t('Size in bytes (64, 0x40 or 1k)'),
      field: vscode.l10n.t('size'),
    });
    if (sizeText === undefined) return CANCELLED;
    alignText = await askNumber({
      title: vscode.l10n.t('{0} ({1}/{2})', title(), 2, 3),
      prompt: vscode.l10n.t('Alignment in bytes (a power of two, at most 4096)'),
      field: vscode.l10n.t('alignment'),
      value: '8',
      extraCheck: text => {
        const value = parseNumber(text);
        return value !== undefined && !isPowerOfTwo(value)
          ? {
              message: vscode.l10n.t('{0} is not a power of two: the heap will refuse it (InvalidSize(BadAlignment))', String(value)),
              severity: vscode.InputBoxValidationSeverity.Warning,
            }
          : undefined;
      },
    });
    if (alignText === undefined) return CANCELLED;
    owner = await vscode.window.showInputBox({
      title: vscode.l10n.t('{0} ({1}/{2})', title(), 3, 3),
      prompt: vscode.l10n.t('Owner label (optional), e.g. net/rx or task:logger'),
      placeHolder: vscode.l10n.t('leave empty for no owner'),
      ignoreFocusOut: true,
      validateInput: text => ownerLabelProblem(text.trim()),
    });
    if (owner === undefined) return CANCELLED;
  }
  const size = parseNumber(sizeText!)!;
  const align = parseNumber(alignText)!;
  const label = owner?.trim() || undefined;
  const simulated = app.useSimulation();
  if (!app.panel) app.showPanel();
  const outcome = simulated.allocate(size, align, label);
  if (!outcome.ok) {
    app.notify(outcome.notice, false);
    return { ok: false, error: outcome.error, message: outcome.notice.message };
  }
  app.log(`allocated ${size} (align ${align}${label ? `, ${label}` : ''}) at ${hex(outcome.address)}`);
  vscode.window.setStatusBarMessage(
    vscode.l10n.t('Buddy Heap: {0} block at {1}', formatBytes(simulated.heap.orderSize(outcome.order)), hex(outcome.address)),
    5000,
  );
  return { ok: true, address: hex(outcome.address), offset: outcome.offset, order: outcome.order };
}

function invalid(app: HeapDebugger, problem: string): CommandResult {
  const message = vscode.l10n.t('{0}: {1}', title(), problem);
  app.log(message);
  void vscode.window.showErrorMessage(message);
  return { ok: false, error: 'InvalidInput', message: problem };
}
