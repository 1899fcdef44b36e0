// The extension's state in one place: the simulated heap, which source the panel shows,
// the panel itself and the log. Commands and the serializer act through it.
import * as vscode from 'vscode';
import type { HeapLayout } from '../core/layout';
import type { WireNotice } from '../core/protocol/viewModel';
import { DEFAULT_LAYOUT } from './config/layoutInput';
import { HeapPanel } from './panel/heapPanel';
import { ShownSource } from './panel/shownSource';
import { SimulatedHeap } from './simulation/simulatedHeap';
import { DisposableBase } from './util/dispose';

export class HeapDebugger extends DisposableBase {
  readonly sources: ShownSource;
  private simulated: SimulatedHeap;
  private heapPanel: HeapPanel | undefined;

  constructor(
    readonly extensionUri: vscode.Uri,
    readonly output: vscode.LogOutputChannel,
    layout: HeapLayout = DEFAULT_LAYOUT,
  ) {
    super();
    this.simulated = createSession(layout);
    this.sources = this.register(new ShownSource(this.simulated));
  }

  get simulation(): SimulatedHeap {
    return this.simulated;
  }

  get panel(): HeapPanel | undefined {
    return this.heapPanel;
  }

  log = (message: string): void => {
    this.output.info(message);
  };

  /** Opens the panel (or brings it forward). */
  showPanel(): HeapPanel {
    if (this.heapPanel) {
      this.heapPanel.reveal();
      return this.heapPanel;
    }
    return this.adopt(HeapPanel.create(this.extensionUri, this.sources, this.log));
  }

  /** Takes over a panel VS Code restored after a restart (the serializer's call). */
  revivePanel(panel: vscode.WebviewPanel): HeapPanel {
    this.heapPanel?.dispose();
    return this.adopt(new HeapPanel(panel, this.extensionUri, this.sources, this.log));
  }

  /** Makes the simulation the shown source (simulation commands call this before acting). */
  useSimulation(): SimulatedHeap {
    this.sources.setActive(this.simulated);
    return this.simulated;
  }

  /** A new simulated heap with this layout, replacing the old one. */
  replaceSimulation(layout: HeapLayout): SimulatedHeap {
    const old = this.simulated;
    this.simulated = createSession(layout);
    this.sources.setActive(this.simulated);
    old.dispose();
    return this.simulated;
  }

  /**
   * Tells the user as a notification, and in the panel unless the source already put it there
   * (a failed simulated operation does).
   */
  notify(notice: WireNotice, inPanel = true): void {
    if (inPanel) this.sources.notify(notice);
    const text = vscode.l10n.t('{0}: {1}', notice.title, notice.message);
    this.log(text);
    if (notice.level === 'error') void vscode.window.showErrorMessage(text);
    else if (notice.level === 'warning') void vscode.window.showWarningMessage(text);
    else void vscode.window.showInformationMessage(text);
  }

  override dispose(): void {
    this.heapPanel?.dispose();
    this.simulated.dispose();
    super.dispose();
  }

  private adopt(panel: HeapPanel): HeapPanel {
    this.heapPanel = panel;
    panel.onDidDispose(() => {
      if (this.heapPanel === panel) this.heapPanel = undefined;
    });
    return panel;
  }
}

function createSession(layout: HeapLayout): SimulatedHeap {
  const created = SimulatedHeap.create(layout);
  if (!created.ok) throw new Error(`invalid layout reached the simulation: ${created.error}`);
  return created.simulated;
}
