// Which heap source the panel shows. The simulation is the default; a live debugging session
// (extension/live/) makes its own source active while it runs and hands back afterwards.
import type { PanelSource } from './panelSource';
import { Emitter } from '../util/emitter';

export class ShownSource {
  private readonly changed = new Emitter<PanelSource>();
  readonly onDidChangeActive = this.changed.event;

  constructor(private activeSource: PanelSource) {}

  get active(): PanelSource {
    return this.activeSource;
  }

  setActive(source: PanelSource): void {
    if (source === this.activeSource) return;
    this.activeSource = source;
    this.changed.fire(source);
  }

  dispose(): void {
    this.changed.dispose();
  }
}
