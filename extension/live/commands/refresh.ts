// Refresh: read the live heap again now (the target must be stopped; while it runs the panel
// keeps the last snapshot and says so).
import * as l10n from '@vscode/l10n';
import type { CommandResult } from '../../commands/args';
import type { HeapDebugger } from '../../heapDebugger';
import { type LiveDebugging, selectedFrameId } from '../liveDebugging';
import { pickSource, stringArg } from './liveArgs';
import { liveResult } from './liveResult';

export async function refreshLive(app: HeapDebugger, live: LiveDebugging, args?: unknown): Promise<CommandResult> {
  const source = await pickSource(live, stringArg(args, 'heap'));
  if (!source) {
    app.notify({
      level: 'warning',
      title: l10n.t('Refresh'),
      message: l10n.t('No live heap is attached: run "Buddy Heap: Attach to Debug Session" first.'),
      blocks: [],
    });
    return { ok: false, error: 'NoLiveHeap' };
  }
  const session = live.session(source.sessionId);
  await source.refresh(session ? selectedFrameId(session) : undefined);
  await source.idle();
  return liveResult(source);
}
