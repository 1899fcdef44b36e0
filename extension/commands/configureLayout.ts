// Configure Heap Layout: base, size, orders, pointer width and endianness, each checked as typed;
// an invalid layout is refused with the seed's error explained in words. A valid one starts a new
// simulated heap and is saved to the settings (unless { save: false }).
import * as vscode from 'vscode';
import { HEAP_ERROR_EXPLANATIONS, MIN_HEAP_ALIGN, formatBytes, hex, isPowerOfTwo } from '../../core/layout';
import { parseNumber } from '../../core/numbers';
import { saveLayout } from '../config/layoutConfig';
import { LayoutInput, layoutToJson, parseLayout } from '../config/layoutInput';
import type { HeapDebugger } from '../heapDebugger';
import { CANCELLED, CommandResult, argObject } from './args';
import { askNumber } from './prompts';

const title = () => vscode.l10n.t('Configure Heap Layout');
const stepTitle = (step: number) => vscode.l10n.t('{0} ({1}/{2})', title(), step, 5);

export async function configureLayout(app: HeapDebugger, args?: unknown): Promise<CommandResult> {
  const current = app.simulation.layout;
  const given = argObject(args);
  let input: LayoutInput;
  if (given) {
    input = given;
  } else {
    const base = await askNumber({
      title: stepTitle(1),
      prompt: vscode.l10n.t('Heap base address (aligned to 4096)'),
      field: vscode.l10n.t('base address'),
      value: hex(current.base),
      extraCheck: text => {
        const value = parseNumber(text);
        if (value === 0n) return HEAP_ERROR_EXPLANATIONS.NullBase;
        return value !== undefined && value % MIN_HEAP_ALIGN !== 0n ? HEAP_ERROR_EXPLANATIONS.BadBaseAlignment : undefined;
      },
    });
    if (base === undefined) return CANCELLED;
    const size = await askNumber({
      title: stepTitle(2),
      prompt: vscode.l10n.t('Heap size in bytes (a power of two)'),
      field: vscode.l10n.t('size'),
      value: hex(current.size),
      extraCheck: text => {
        const value = parseNumber(text);
        return value !== undefined && !isPowerOfTwo(value) ? HEAP_ERROR_EXPLANATIONS.BadSizeAlignment : undefined;
      },
    });
    if (size === undefined) return CANCELLED;
    const orders = await vscode.window.showInputBox({
      title: stepTitle(3),
      prompt: vscode.l10n.t('Number of orders N (free lists), 1 to 32'),
      value: String(current.orders),
      ignoreFocusOut: true,
      validateInput: text =>
        /^\d+$/.test(text.trim()) && +text >= 1 && +text <= 32 ? minBlockHint(size, +text) : HEAP_ERROR_EXPLANATIONS.BadOrders,
    });
    if (orders === undefined) return CANCELLED;
    const width = await vscode.window.showQuickPick(['4', '8'], {
      title: stepTitle(4),
      placeHolder: vscode.l10n.t('Pointer width in bytes (now {0})', current.pointerWidth),
      ignoreFocusOut: true,
    });
    if (width === undefined) return CANCELLED;
    const endianness = await vscode.window.showQuickPick(['little', 'big'], {
      title: stepTitle(5),
      placeHolder: vscode.l10n.t('Endianness (now {0})', current.endianness),
      ignoreFocusOut: true,
    });
    if (endianness === undefined) return CANCELLED;
    input = { base, size, orders: orders.trim(), pointerWidth: width, endianness };
  }
  const parsed = parseLayout(input, current);
  if (!parsed.ok) {
    app.notify({ level: 'error', title: title(), message: parsed.message, blocks: [] });
    return { ok: false, error: parsed.error, message: parsed.message, ...(parsed.field ? { field: parsed.field } : {}) };
  }
  app.replaceSimulation(parsed.layout);
  const savedTo = !given || given['save'] !== false ? await saveLayout(parsed.layout) : undefined;
  if (!app.panel) app.showPanel();
  app.log(`new simulated heap: ${JSON.stringify(layoutToJson(parsed.layout))}${savedTo ? `, saved to ${savedTo}` : ''}`);
  return { ok: true, layout: layoutToJson(parsed.layout), ...(savedTo ? { savedTo } : {}) };
}

/**
 * While typing N: what minimum block it gives. Too small for any pointer is the seed's
 * MinBlockTooSmall now (the width is asked next, but no width fits); too small for 8-byte
 * pointers is a warning.
 */
function minBlockHint(sizeText: string, orders: number): string | vscode.InputBoxValidationMessage | undefined {
  const size = parseNumber(sizeText);
  if (size === undefined) return undefined;
  const minBlock = size >> BigInt(orders - 1);
  if (minBlock < 4n)
    return vscode.l10n.t('{0} ({1} with {2} orders)', HEAP_ERROR_EXPLANATIONS.MinBlockTooSmall, formatBytes(minBlock), orders);
  if (minBlock < 8n)
    return {
      message: vscode.l10n.t(
        'minimum block: {0}, enough for 4-byte pointers only (MinBlockTooSmall with 8-byte ones)',
        formatBytes(minBlock),
      ),
      severity: vscode.InputBoxValidationSeverity.Warning,
    };
  return { message: vscode.l10n.t('minimum block: {0}', formatBytes(minBlock)), severity: vscode.InputBoxValidationSeverity.Info };
}
