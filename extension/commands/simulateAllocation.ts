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

const TITLE = 'Simulate Allocation';

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
      (sizeText === undefined ? 'a size is required' : numberInputProblem(sizeText, 'size')) ??
      numberInputProblem(alignText, 'alignment') ??
      (owner !== undefined ? ownerLabelProblem(owner) : undefined);
    if (problem) return invalid(app, problem);
  } else {
    sizeText = await askNumber({ title: `${TITLE} (1/3)`, prompt: 'Size in bytes (64, 0x40 or 1k)' });
    if (sizeText === undefined) return CANCELLED;
    alignText = await askNumber({
      title: `${TITLE} (2/3)`,
      prompt: 'Alignment in bytes (a power of two, at most 4096)',
      value: '8',
      extraCheck: text => {
        const value = parseNumber(text);
        return value !== undefined && !isPowerOfTwo(value)
          ? {
              message: `${value} is not a power of two: the heap will refuse it (InvalidSize(BadAlignment))`,
              severity: vscode.InputBoxValidationSeverity.Warning,
            }
          : undefined;
      },
    });
    if (alignText === undefined) return CANCELLED;
    owner = await vscode.window.showInputBox({
      title: `${TITLE} (3/3)`,
      prompt: 'Owner label (optional), e.g. net/rx or task:logger',
      placeHolder: 'leave empty for no owner',
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
    `Buddy Heap: ${formatBytes(simulated.heap.orderSize(outcome.order))} block at ${hex(outcome.address)}`,
    5000,
  );
  return { ok: true, address: hex(outcome.address), offset: outcome.offset, order: outcome.order };
}

function invalid(app: HeapDebugger, problem: string): CommandResult {
  const message = `${TITLE}: ${problem}`;
  app.log(message);
  void vscode.window.showErrorMessage(message);
  return { ok: false, error: 'InvalidInput', message: problem };
}
