// Which heap source the panel shows, and what the host has to tell the user in it. The simulation
// is the default; a live debugging session (extension/live/) makes its own source active while it
// runs and hands back afterwards. The panel listens here; nothing reaches into the panel.
import type { WireNotice } from '../../core/protocol/viewModel';
import type { PanelSource } from './panelSource';
import { DisposableBase } from '../util/dispose';
import { Emitter } from '../util/emitter';

export class ShownSource extends DisposableBase {
  private readonly changed = this.register(new Emitter<PanelSource>());
  private readonly notices = this.register(new Emitter<WireNotice | null>());
  readonly onDidChangeActive = this.changed.event;
  /** A notice for the panel that did not come with a source's change (a command's error, another heap's news). */
  readonly onDidNotice = this.notices.event;

  constructor(private activeSource: PanelSource) {
    super();
  }

  get active(): PanelSource {
    return this.activeSource;
  }

  setActive(source: PanelSource): void {
    if (source === this.activeSource) return;
    this.activeSource = source;
    this.changed.fire(source);
  }

  /** Shows a notice in the panel until the next change. */
  notify(notice: WireNotice | null): void {
    this.notices.fire(notice);
  }
}
