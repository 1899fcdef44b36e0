// Which heap source the panel shows. The simulation is the default; a live debugging session
// (extension/live/) makes its own source active while it runs and hands back afterwards.
import type { HeapSource } from './heapSource';
import { Emitter } from '../util/emitter';

export class HeapSources {
  private readonly changed = new Emitter<HeapSource>();
  readonly onDidChangeActive = this.changed.event;

  constructor(private activeSource: HeapSource) {}

  get active(): HeapSource {
    return this.activeSource;
  }

  setActive(source: HeapSource): void {
    if (source === this.activeSource) return;
    this.activeSource = source;
    this.changed.fire(source);
  }

  dispose(): void {
    this.changed.dispose();
  }
}
