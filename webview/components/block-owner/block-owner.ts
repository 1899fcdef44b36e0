// Who owns the selected block of a scanned heap (device heaps, core dumps): the owning chain from
// a root (`app::CACHE.entries[3] → 0x20001400 (+0x10) → this block`), how sure its extent is, every
// word that refers to it (click a block referrer to select it), and whether it is a leak suspect.
// Above it, what the scan covered and what it cannot see.
import * as l10n from '@vscode/l10n';
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { DeferredSection } from '../heap-columns/deferredSection';
import { formatBytes } from '../../../core/layout';
import { CONFIDENCES, type WireOwnership } from '../../../core/protocol/viewModel';
import type { HeapIndex } from '../../model/heapIndex';
import { type ChainLink, type ReferrerRow, ownerChain, referrers } from '../../model/ownership';
import { sharedStyles } from '../../styles/shared';

const hexOf = (n: number) => '0x' + n.toString(16);

/**
 * @tag block-owner
 * @fires block-select - detail `{ offset }` when a block of the chain or a referrer is clicked.
 */
@customElement('block-owner')
export class BlockOwner extends DeferredSection(LitElement) {
  static override styles = [
    sharedStyles,
    css`
      :host {
        display: block;
      }
      .summary,
      .caveat {
        margin: 0 0 6px;
      }
      dl {
        display: grid;
        grid-template-columns: max-content 1fr;
        gap: 2px 10px;
        margin: 0 0 8px;
      }
      dt {
        color: var(--vscode-descriptionForeground, #9d9d9d);
      }
      dd {
        margin: 0;
        overflow-wrap: anywhere;
      }
      ul {
        margin: 0;
        padding-left: 1.2em;
      }
      .leak {
        color: var(--vscode-editorWarning-foreground, #cca700);
      }
    `,
  ];

  @property({ attribute: false }) index: HeapIndex | undefined;
  @property({ attribute: false }) selection: number | null = null;

  override render() {
    const ownership = this.index?.view.ownership;
    if (!this.index || !ownership) return nothing;
    return html`${this.summary(ownership)}${this.selected(this.index, ownership)}`;
  }

  private summary(o: WireOwnership) {
    const s = o.summary;
    return html`<p class="summary muted">
        ${l10n.t(
          'Scanned {0} roots ({1}) and {2} of allocated blocks: {3} references.',
          s.roots,
          formatBytes(s.rootBytes),
          formatBytes(s.spanBytes),
          s.references,
        )}
        ${s.leakCount > 0 ? html`<span class="leak">${l10n.t('{0} possible leaks ({1}).', s.leakCount, formatBytes(s.leakBytes))}</span>` : nothing}
        ${s.leakTrend ? html`<span class=${s.leaksGrowing ? 'leak' : ''}>${s.leakTrend}</span>` : nothing}
      </p>
      ${s.truncated ? html`<p class="caveat leak" role="status">${s.truncated}</p>` : nothing}
      ${
        s.notes.length > 0
          ? html`<ul class="muted">
              ${s.notes.map(n => html`<li>${n}</li>`)}
            </ul>`
          : nothing
      }
      ${s.leakCount > 0 ? html`<p class="caveat muted">${s.caveat}</p>` : nothing}`;
  }

  private selected(index: HeapIndex, o: WireOwnership) {
    const allocation = this.selection === null ? -1 : index.allocationAt(this.selection);
    if (allocation < 0) return html`<p class="muted">${l10n.t('Select an allocated block to see who owns it and what refers to it.')}</p>`;
    const chain = ownerChain(index, o, allocation);
    const refs = referrers(index, o, allocation);
    const total = o.referrerTotal[allocation]!;
    const leakStops = o.leakStops[allocation]!;
    return html`<dl aria-label=${l10n.t('Ownership of the selected block')}>
      <dt>${l10n.t('owner')}</dt>
      <dd>${chain.length > 0 ? this.chain(chain) : html`<span class="leak">${l10n.t('none the scan can see')}</span>`}</dd>
      <dt>${l10n.t('extent')}</dt>
      <dd>${confidenceText(o.confidence[allocation]!)} — ${reasonText(o.reason[allocation]!)}</dd>
      <dt>${l10n.t('referenced by')}</dt>
      <dd>
        ${
          refs.length === 0
            ? l10n.t('nothing the scan read')
            : html`<ul>
                ${refs.map(r => html`<li>${this.referrer(r)}</li>`)}
              </ul>`
        }
        ${total > refs.length ? html`<span class="muted">${l10n.t('and {0} more', total - refs.length)}</span>` : nothing}
      </dd>
      ${
        leakStops > 0
          ? html`<dt>${l10n.t('leak')}</dt>
              <dd class="leak">
                ${leakStops > 1 ? l10n.t('possible leak, unreached at the last {0} stops', leakStops) : l10n.t('possible leak: no root reaches it')}
              </dd>`
          : nothing
      }
    </dl>`;
  }

  private chain(chain: ChainLink[]) {
    return chain.map((link, i) => {
      const arrow = i > 0 ? ' → ' : '';
      if (link.kind === 'root') return html`<code>${link.path}</code>`;
      const last = i === chain.length - 1;
      const entered = link.enteredAt > 0 ? ` (${l10n.t('at +{0}', hexOf(link.enteredAt))})` : '';
      if (last) return html`${arrow}${l10n.t('this block')}${entered}`;
      return html`${arrow}<button class="link mono" @click=${() => this.select(link.offset)}>${this.index!.address(link.offset)}</button
        >${entered}${link.wordOffset !== undefined ? html` <span class="mono">+${hexOf(link.wordOffset)}</span>` : nothing}`;
    });
  }

  private referrer(r: ReferrerRow) {
    const into = r.interior > 0 ? html` <span class="muted">(${l10n.t('to +{0}', hexOf(r.interior))})</span>` : nothing;
    if (r.kind === 'root') return html`<code>${r.path}</code>${into}`;
    return html`<button
        class="link mono"
        aria-label=${l10n.t('select the block at {0}', this.index!.address(r.offset))}
        @click=${() => this.select(r.offset)}
      >
        ${this.index!.address(r.offset)}+${hexOf(r.wordOffset)}</button
      >${into}`;
  }

  private select(offset: number): void {
    this.dispatchEvent(new CustomEvent('block-select', { detail: { offset }, bubbles: true, composed: true }));
  }
}

function confidenceText(code: number): string {
  switch (CONFIDENCES[code]) {
    case 'exact':
      return l10n.t('exact');
    case 'likely':
      return l10n.t('likely');
    default:
      return l10n.t('span only');
  }
}

/** core/ownership's InferenceReason, in the user's words. */
function reasonText(reason: number): string {
  switch (reason) {
    case 0:
      return l10n.t('a minimum block between free blocks: exactly one allocation');
    case 1:
      return l10n.t('a whole allocated span with no pointer to a boundary inside it: it may hold several allocations');
    case 2:
      return l10n.t('the start of a span that pointers split: it ends where the next pointed-to block starts');
    case 3:
      return l10n.t('a pointer points at its start');
    default:
      return l10n.t('no pointer to its start: the tail of the allocation before it, or allocations nothing refers to');
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'block-owner': BlockOwner;
  }
}
