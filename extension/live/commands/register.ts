// The live-debugging commands, bound to the app and the live sessions. Ids match package.json.
import * as vscode from 'vscode';
import type { CommandResult } from '../../commands/args';
import { registerCommandTable } from '../../commands/registerTable';
import type { HeapDebugger } from '../../heapDebugger';
import type { LiveDebugging } from '../liveDebugging';
import { SHOW_LIVE_COMMAND } from '../liveStatusBar';
import { attachToSession } from './attach';
import { pickSource, stringArg } from './liveArgs';
import { liveResult } from './liveResult';
import { refreshLive } from './refresh';
import { showInPanel } from './showInPanel';
import { simulateOnLive } from './simulateOnLive';

type Handler = (app: HeapDebugger, live: LiveDebugging, args?: unknown) => CommandResult | Promise<CommandResult>;

export const LIVE_COMMANDS: Readonly<Record<string, Handler>> = {
  'buddyHeap.live.attach': attachToSession,
  'buddyHeap.live.refresh': refreshLive,
  'buddyHeap.live.showInPanel': showInPanel,
  'buddyHeap.live.simulateAllocation': simulateOnLive,
  [SHOW_LIVE_COMMAND]: async (app, live, args) => {
    const source = await pickSource(live, stringArg(args, 'heap'));
    if (!source) {
      app.showPanel();
      return { ok: false, error: 'NoLiveHeap', message: vscode.l10n.t('No live heap is attached.') };
    }
    live.show(source);
    return liveResult(source);
  },
};

export function registerLiveCommands(app: HeapDebugger, live: LiveDebugging): vscode.Disposable[] {
  const bound = Object.fromEntries(
    Object.entries(LIVE_COMMANDS).map(([id, handler]) => [id, (args?: unknown) => handler(app, live, args)]),
  );
  return registerCommandTable(bound, app.log);
}
