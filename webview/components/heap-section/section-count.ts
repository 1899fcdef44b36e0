// A section's count badge. It follows host updates with the sections below the map (a
// DeferredSection): a count changing in the frame that shows the map would lay out and repaint
// the columns in that frame.
import '@vscode-elements/elements/dist/vscode-badge/index.js';
import { LitElement, html } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { DeferredSection } from '../heap-columns/deferredSection';

/** @tag section-count */
@customElement('section-count')
export class SectionCount extends DeferredSection(LitElement) {
  @property({ attribute: false }) count = 0;
  /** Shown in the error color (findings with errors). */
  @property({ attribute: false }) bad = false;

  /** In the panel's shadow root, styled with the panel (`vscode-badge.count`). */
  protected override createRenderRoot(): HTMLElement {
    return this;
  }

  override render() {
    return html`<vscode-badge variant="counter" class="count ${this.bad ? 'bad' : ''}">${this.count}</vscode-badge>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'section-count': SectionCount;
  }
}
