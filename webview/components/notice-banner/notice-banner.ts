// A message about the last operation (why an allocation failed, with the blocks in the way),
// announced to screen readers, dismissible.
import '@vscode-elements/elements/dist/vscode-toolbar-button/index.js';
import * as l10n from '@vscode/l10n';
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { WireNotice } from '../../../core/protocol/viewModel';
import type { HeapIndex } from '../../model/heapIndex';
import { sharedStyles } from '../../styles/shared';

/**
 * @tag notice-banner
 * @fires block-select - detail `{ offset }`.
 * @fires dismiss-notice
 */
@customElement('notice-banner')
export class NoticeBanner extends LitElement {
  static override styles = [
    sharedStyles,
    css`
      .banner {
        display: flex;
        gap: 8px;
        align-items: flex-start;
        padding: 6px 8px;
        margin: 6px 0;
        border: 1px solid var(--vscode-inputValidation-errorBorder, #be1100);
        background: var(--vscode-inputValidation-errorBackground, #5a1d1d);
      }
      .banner.warning {
        border-color: var(--vscode-inputValidation-warningBorder, #b89500);
        background: var(--vscode-inputValidation-warningBackground, #352a05);
      }
      .banner.info {
        border-color: var(--vscode-inputValidation-infoBorder, #007acc);
        background: var(--vscode-inputValidation-infoBackground, #063b49);
      }
      .body {
        flex: 1;
      }
      .title {
        font-weight: 600;
      }
    `,
  ];

  @property({ attribute: false }) notice: WireNotice | null = null;
  @property({ attribute: false }) index: HeapIndex | undefined;

  override render() {
    const n = this.notice;
    if (!n) return nothing;
    return html`<div class="banner ${n.level}" role=${n.level === 'error' ? 'alert' : 'status'}>
      <div class="body">
        <div class="title">${n.title}</div>
        <div class="message">${n.message}</div>
        ${n.blocks.length && this.index ? html`<div>${n.blocks.map(b => html`<button class="chip mono" @click=${() => this.select(b.offset)}>${this.index!.address(b.offset)}</button>`)}</div>` : nothing}
      </div>
      <vscode-toolbar-button
        icon="close"
        label=${l10n.t('Dismiss')}
        title=${l10n.t('Dismiss')}
        @click=${() => this.dispatchEvent(new CustomEvent('dismiss-notice', { bubbles: true, composed: true }))}
      ></vscode-toolbar-button>
    </div>`;
  }

  private select(offset: number): void {
    this.dispatchEvent(new CustomEvent('block-select', { detail: { offset }, bubbles: true, composed: true }));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'notice-banner': NoticeBanner;
  }
}
