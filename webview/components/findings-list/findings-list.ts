// Integrity findings from the decoder, errors first, each linked to the block it is about.
import * as l10n from '@vscode/l10n';
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { DeferredSection } from '../heap-columns/deferredSection';
import type { WireFinding } from '../../../core/protocol/viewModel';
import type { HeapIndex } from '../../model/heapIndex';
import { sharedStyles } from '../../styles/shared';

const MAX_SHOWN = 200;

/**
 * @tag findings-list
 * @fires block-select - detail `{ offset }` when a finding's block link is clicked.
 */
@customElement('findings-list')
export class FindingsList extends DeferredSection(LitElement) {
  static override styles = [
    sharedStyles,
    css`
      ul {
        list-style: none;
        margin: 0;
        padding: 0;
      }
      li {
        padding: 3px 0;
        border-bottom: 1px solid var(--vscode-widget-border, rgba(128, 128, 128, 0.25));
      }
      .kind {
        font-weight: 600;
        margin-right: 6px;
      }
      .ok {
        border-left: 3px solid var(--vscode-charts-green, #89d185);
        padding-left: 6px;
      }
    `,
  ];

  @property({ attribute: false }) findings: readonly WireFinding[] = [];
  @property({ attribute: false }) index: HeapIndex | undefined;

  override render() {
    if (this.findings.length === 0) return html`<p class="ok">✓ ${l10n.t('No integrity findings: every free list decodes cleanly.')}</p>`;
    const sorted = [...this.findings].sort((a, b) => (a.severity === b.severity ? 0 : a.severity === 'error' ? -1 : 1));
    return html`<ul aria-label=${l10n.t('Integrity findings')}>
      ${sorted.slice(0, MAX_SHOWN).map(
        f =>
          html`<li data-kind=${f.kind}>
            <span
              class=${f.severity === 'error' ? 'error-text' : 'warning-text'}
              aria-label=${f.severity === 'error' ? l10n.t('error') : l10n.t('warning')}
              >${f.severity === 'error' ? '⛔' : '⚠'}</span
            >
            <span class="kind">${f.kind}</span
            >${f.order !== undefined ? html`<span class="muted">${l10n.t('order {0}', f.order)} · </span>` : nothing}
            ${
              f.offset !== undefined && this.index
                ? html`<button
                    class="link mono"
                    aria-label=${l10n.t('select the block at {0}', f.address ?? this.index.address(f.offset))}
                    @click=${() => this.select(f.offset!)}
                  >
                    ${f.address ?? this.index.address(f.offset)}
                  </button>`
                : f.address
                  ? html`<span class="mono">${f.address}</span>`
                  : nothing
            }
            ${
              f.linkedOffset !== undefined && this.index
                ? html`<span class="muted">${l10n.t('in the next word of')}</span>
                    <button
                      class="link mono linked"
                      aria-label=${l10n.t('select the block whose next word holds it, {0}', this.index.address(f.linkedOffset))}
                      @click=${() => this.select(f.linkedOffset!)}
                    >
                      ${this.index.address(f.linkedOffset)}
                    </button>`
                : nothing
            }
            <div>${f.message}</div>
          </li>`,
      )}
      ${sorted.length > MAX_SHOWN ? html`<li class="muted">${l10n.t('… {0} more', sorted.length - MAX_SHOWN)}</li>` : nothing}
    </ul>`;
  }

  private select(offset: number): void {
    this.dispatchEvent(new CustomEvent('block-select', { detail: { offset }, bubbles: true, composed: true }));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'findings-list': FindingsList;
  }
}
