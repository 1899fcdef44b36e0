// Simulate Allocation on Live Heap: "would alloc(size, align) succeed on the device now, and which
// block would it get?" The model runs on a copy of the latest snapshot; the target is not touched.
// The answer goes to a notification and the panel (the block is selected).
import * as l10n from '@vscode/l10n';
import { hex } from '../../../core/layout';
import { parseNumber } from '../../../core/numbers';
import { CANCELLED, type CommandResult, argObject, textArg } from '../../commands/args';
import { askNumber } from '../../commands/prompts';
import { numberInputProblem } from '../../config/layoutInput';
import type { HeapDebugger } from '../../heapDebugger';
import type { LiveDebugging } from '../liveDebugging';
import { simulateOnSource } from '../liveSimulation';
import { pickSource, stringArg } from './liveArgs';

const title = () => l10n.t('Simulate Allocation on Live Heap');

export async function simulateOnLive(app: HeapDebugger, live: LiveDebugging, args?: unknown): Promise<CommandResult> {
  const source = await pickSource(live, stringArg(args, 'heap'));
  if (!source) {
    app.notify({
      level: 'warning',
      title: title(),
      message: l10n.t('No live heap is attached: run "Buddy Heap: Attach to Debug Session" first.'),
      blocks: [],
    });
    return { ok: false, error: 'NoLiveHeap' };
  }
  const given = argObject(args);
  let sizeText = given ? textArg(given.size) : undefined;
  let alignText = given ? (textArg(given.align) ?? '8') : undefined;
  if (!given) {
    sizeText = await askNumber({
      title: l10n.t('{0} ({1}/{2})', title(), 1, 2),
      prompt: l10n.t('Size in bytes (64, 0x40 or 1k)'),
      field: l10n.t('size'),
    });
    if (sizeText === undefined) return CANCELLED;
    alignText = await askNumber({
      title: l10n.t('{0} ({1}/{2})', title(), 2, 2),
      prompt: l10n.t('Alignment in bytes (a power of two)'),
      field: l10n.t('alignment'),
      value: '8',
    });
    if (alignText === undefined) return CANCELLED;
  }
  const problem =
    (sizeText === undefined ? l10n.t('a size is required') : numberInputProblem(sizeText, l10n.t('size'))) ??
    numberInputProblem(alignText ?? '', l10n.t('alignment'));
  if (problem) {
    app.notify({ level: 'error', title: title(), message: problem, blocks: [] }, false);
    return { ok: false, error: 'InvalidInput', message: problem };
  }
  const result = simulateOnSource(source, parseNumber(sizeText!)!, parseNumber(alignText!)!);
  app.log(`${source.heapName}: ${result.notice.message}`);
  if (live.activeSource() !== source || !app.panel) live.show(source);
  app.notify(result.notice);
  if (result.ok) {
    app.panel?.controller.select(result.offset);
    return {
      ok: true,
      succeeds: true,
      address: hex(result.address),
      offset: result.offset,
      order: result.order,
      splitFrom: result.splitFrom,
      message: result.notice.message,
    };
  }
  // An allocation that would fail is still an answer; a snapshot that cannot be simulated is not.
  const answered = !['NoSnapshot', 'NotDecodable', 'CorruptHeap', 'Unreadable', 'NoImage', 'ModelRefused'].includes(result.error);
  return answered
    ? { ok: true, succeeds: false, error: result.error, message: result.notice.message }
    : { ok: false, error: result.error, message: result.notice.message };
}
