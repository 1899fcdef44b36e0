// Extension entry: builds the app (a simulated heap from the configured layout), registers the
// commands and the panel serializer, and opens the panel at startup when asked to.
import * as l10n from '@vscode/l10n';
import * as vscode from 'vscode';
import { registerCommands } from './commands/register';
import { activateCoreDumps } from './coreDump';
import { loadLayout } from './config/layoutConfig';
import { watchLayout } from './config/layoutWatcher';
import { DEFAULT_LAYOUT } from './config/layoutInput';
import { type AllocationFailureBreaks, type LiveDebugging, type LiveStatusBar, activateLive } from './live';
import { HeapDebugger } from './heapDebugger';
import { PANEL_VIEW_TYPE } from './panel/heapPanel';
import { panelSerializer } from './panel/panelSerializer';
import { type SnapshotEditorProvider, activateSnapshots } from './snapshots';

/** What activate() returns: the app, for other parts of the extension and for the host tests. */
export interface BuddyHeapApi {
  readonly app: HeapDebugger;
  /** Live debugging: the sessions' heap sources (extension/debug/). */
  readonly live: LiveDebugging;
  /** The live status bar item: what it shows (text, tooltip, visible), for the host tests. */
  readonly liveStatusBar: Pick<LiveStatusBar, 'shown'>;
  /** Break on Allocation Failure: its breakpoints and the last failure stop it explained. */
  readonly allocationFailures: AllocationFailureBreaks;
  /** What VS Code calls to restore the panel after a restart (registered below). */
  readonly serializer: vscode.WebviewPanelSerializer;
  /** The `*.buddyheap` custom editor: the open snapshot editors, for the host tests. */
  readonly snapshots: SnapshotEditorProvider;
}

export async function activate(context: vscode.ExtensionContext): Promise<BuddyHeapApi> {
  // Modules that must not import vscode (extension/dap/, the live logic unit-tested in plain Node)
  // translate through @vscode/l10n: it answers from the same bundle vscode.l10n.t reads (none in English).
  if (vscode.l10n.bundle) l10n.config({ contents: vscode.l10n.bundle });
  const output = vscode.window.createOutputChannel('Buddy Heap', { log: true });
  const loaded = await loadLayout();
  if (!loaded.result.ok) {
    void vscode.window.showWarningMessage(
      vscode.l10n.t('Buddy Heap: the layout from {0} is not used. {1} Using the default layout.', loaded.origin, loaded.result.message),
    );
  }
  const app = new HeapDebugger(context.extensionUri, output, loaded.result.ok ? loaded.result.layout : DEFAULT_LAYOUT);
  app.log(`simulated heap layout from ${loaded.result.ok ? loaded.origin : 'default'}`);
  context.subscriptions.push(output, app, ...registerCommands(app), ...watchLayout(app));
  const { live, statusBar: liveStatusBar, allocationFailures, disposables: liveDisposables } = activateLive(app);
  context.subscriptions.push(...liveDisposables);
  const { editors: snapshots, disposables: snapshotDisposables } = activateSnapshots(app);
  context.subscriptions.push(...snapshotDisposables, ...activateCoreDumps(app));
  const serializer = panelSerializer(app);
  context.subscriptions.push(vscode.window.registerWebviewPanelSerializer(PANEL_VIEW_TYPE, serializer));
  if (vscode.workspace.getConfiguration('buddyHeap').get<boolean>('openPanelOnStartup', false)) app.showPanel();
  return { app, live, liveStatusBar, allocationFailures, serializer, snapshots };
}

export function deactivate(): void {
  // Everything is in context.subscriptions.
}
