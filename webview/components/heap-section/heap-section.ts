// A collapsible section of the panel: vscode-elements' collapsible (VS Code's look, the title,
// a badge slot), plus what a keyboard and a screen reader need from a disclosure and the
// component leaves out: the header is a button that says whether it is expanded, and Space
// toggles it as well as Enter.
import { VscodeCollapsible } from '@vscode-elements/elements/dist/vscode-collapsible/index.js';
import { customElement } from 'lit/decorators.js';

/**
 * @tag heap-section
 * @fires vsc-collapsible-toggle - detail `{ open }` when the user opens or closes it.
 */
@customElement('heap-section')
export class HeapSection extends VscodeCollapsible {
  override connectedCallback(): void {
    super.connectedCallback();
    this.renderRoot.addEventListener('keydown', this.onKeyDown as EventListener);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.renderRoot.removeEventListener('keydown', this.onKeyDown as EventListener);
  }

  protected override updated(changed: Map<PropertyKey, unknown>): void {
    super.updated(changed);
    const header = this.renderRoot.querySelector('.collapsible-header');
    header?.setAttribute('role', 'button');
    header?.setAttribute('aria-expanded', String(this.open));
  }

  private onKeyDown = (event: KeyboardEvent) => {
    if (event.key !== ' ' || !(event.target as Element).classList?.contains('collapsible-header')) return;
    event.preventDefault(); // no page scroll
    this.open = !this.open;
    this.dispatchEvent(new CustomEvent('vsc-collapsible-toggle', { detail: { open: this.open } }));
  };
}

declare global {
  interface HTMLElementTagNameMap {
    'heap-section': HeapSection;
  }
}
