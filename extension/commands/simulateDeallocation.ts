// Simulate Deallocation: pick an allocated block (address, size, owner) from a quick pick, or name
// it with { address } (and optionally the { size, align } to free it with, to try a mismatch).
import * as vscode from 'vscode';
import { formatBytes, hex } from '../../core/layout';
import type { Allocation } from '../../core/model/buddyHeap';
import { parseNumber } from '../../core/numbers';
import type { HeapDebugger } from '../heapDebugger';
import { CANCELLED, CommandResult, argObject, textArg } from './args';

interface AllocationItem extends vscode.QuickPickItem {
  readonly allocation: Allocation;
}

export async function simulateDeallocation(app: HeapDebugger, args?: unknown): Promise<CommandResult> {
  const simulated = app.useSimulation();
  const heap = simulated.heap;
  const given = argObject(args);
  if (!app.panel) app.showPanel();
  if (given) {
    const address = parseNumber(textArg(given['address']) ?? '');
    if (address === undefined) return invalid(app, vscode.l10n.t('an address is required, e.g. {0}', '{ address: "0x20000040" }'));
    const allocation = address >= heap.layout.base ? heap.allocationAt(Number(address - heap.layout.base)) : undefined;
    const size = given['size'] !== undefined ? parseNumber(textArg(given['size']) ?? '') : (allocation?.size ?? 1n);
    const align = given['align'] !== undefined ? parseNumber(textArg(given['align']) ?? '') : (allocation?.align ?? 1n);
    if (size === undefined || align === undefined)
      return invalid(app, vscode.l10n.t('size and align must be numbers such as 64, 0x40 or 1k'));
    return finish(app, address, size, align);
  }
  const allocations = heap.liveAllocations();
  if (allocations.length === 0) {
    void vscode.window.showInformationMessage(vscode.l10n.t('Buddy Heap: nothing is allocated in the simulated heap.'));
    return { ok: false, error: 'NothingAllocated' };
  }
  // The block selected in the panel comes first, so Enter frees what the user is looking at.
  const selected = app.panel?.controller.selectedOffset;
  const items: AllocationItem[] = allocations
    .map(allocation => ({
      label: hex(heap.address(allocation.offset)),
      description: vscode.l10n.t(
        '{0} block (order {1}) · size {2}, align {3}',
        formatBytes(heap.orderSize(allocation.order)),
        allocation.order,
        String(allocation.size),
        String(allocation.align),
      ),
      detail: allocation.owner ? vscode.l10n.t('owner: {0}', allocation.owner) : vscode.l10n.t('no owner'),
      allocation,
    }))
    .sort((a, b) => Number(b.allocation.offset === selected) - Number(a.allocation.offset === selected));
  const picked = await vscode.window.showQuickPick(items, {
    title: vscode.l10n.t('Simulate Deallocation'),
    placeHolder: vscode.l10n.t('Pick the allocation to free (type to filter by address or owner)'),
    matchOnDescription: true,
    matchOnDetail: true,
    ignoreFocusOut: true,
  });
  if (!picked) return CANCELLED;
  const { allocation } = picked;
  return finish(app, heap.address(allocation.offset), allocation.size, allocation.align);
}

function finish(app: HeapDebugger, address: bigint, size: bigint, align: bigint): CommandResult {
  const outcome = app.simulation.free(address, size, align);
  if (!outcome.ok) {
    app.notify({ level: 'error', title: outcome.error, message: outcome.message, blocks: [] }, false);
    return { ok: false, error: outcome.error, message: outcome.message };
  }
  app.log(`freed ${hex(address)} (size ${size}, align ${align})`);
  return { ok: true, address: hex(address) };
}

function invalid(app: HeapDebugger, problem: string): CommandResult {
  void vscode.window.showErrorMessage(vscode.l10n.t('{0}: {1}', vscode.l10n.t('Simulate Deallocation'), problem));
  app.log(`Simulate Deallocation: ${problem}`);
  return { ok: false, error: 'InvalidInput', message: problem };
}
