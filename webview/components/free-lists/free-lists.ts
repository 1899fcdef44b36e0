// The free lists: one row per order with its count and bytes, then the chain in list order (head
// first) with each block's `next` word as it is in memory. Long lists show a page at a time.
import * as l10n from '@vscode/l10n';
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { formatBytes } from '../../../core/layout';
import { CHANGE_KINDS, nextOf, NEXT_NULL, NEXT_RAW, NEXT_UNREADABLE, WireDiff, WireFreeList } from '../../../core/protocol/viewModel';
import type { HeapIndex } from '../../model/heapIndex';
import { sharedStyles } from '../../styles/shared';

const PAGE = 32;

/**
 * @tag free-lists
 * @fires block-select - detail `{ offset }` when an entry is clicked.
 */
@customElement('free-lists')
export class FreeLists extends LitElement {
  static override styles = [
    sharedStyles,
    css`
      ol.orders {
        list-style: none;
        margin: 0;
        padding: 0;
      }
      li.order {
        padding: 3px 0;
        border-bottom: 1px solid var(--vscode-widget-border, rgba(128, 128, 128, 0.25));
      }
      .head {
        display: flex;
        gap: 8px;
        align-items: baseline;
      }
      .head .name {
        min-width: 7em;
        font-weight: 600;
      }
      .chain {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        margin: 2px 0 0 1em;
      }
      .arrow {
        color: var(--vscode-descriptionForeground, #9d9d9d);
        margin: 0 2px;
      }
      .broken {
        color: var(--vscode-errorForeground, #f48771);
      }
      .empty .name {
        color: var(--vscode-descriptionForeground, #9d9d9d);
      }
    `,
  ];

  @property({ attribute: false }) index: HeapIndex | undefined;
  @property({ attribute: false }) selection: number | null = null;
  @property({ attribute: false }) diff: WireDiff | null = null;
  /** Entries shown per order (grows with "show more"). */
  @state() private shown = new Map<number, number>();

  override render() {
    const index = this.index;
    if (!index) return html`<p class="muted">${l10n.t('No heap.')}</p>`;
    const changed = new Map<number, string>();
    const diff = this.diff;
    if (diff)
      for (let i = 0; i < diff.count; i++)
        changed.set(diff.offsets[i]! * 64 + diff.orders[i]!, CHANGE_KINDS[diff.kinds[i]!] ?? 'uncertain');
    const lists = [...index.view.freeLists].reverse();
    return html`<ol class="orders" aria-label=${l10n.t('Free lists, largest order first')}>
      ${lists.map(list => this.renderList(list, changed))}
    </ol>`;
  }

  private renderList(list: WireFreeList, changed: Map<number, string>) {
    const index = this.index!;
    const n = list.offsets.length;
    const limit = this.shown.get(list.order) ?? PAGE;
    const entries = [];
    for (let i = 0; i < Math.min(n, limit); i++) {
      const offset = list.offsets[i]!;
      const kind = changed.get(offset * 64 + list.order);
      const selected = this.selection === offset;
      entries.push(
        html`<button
            class="chip mono ${kind ? `changed-${kind}` : ''}"
            aria-current=${selected ? 'true' : 'false'}
            data-offset=${offset}
            title=${l10n.t('next word: {0}', this.nextText(list, i))}
            aria-label=${l10n.t('free block {0}, next {1}', index.address(offset), this.nextText(list, i))}
            @click=${() => this.select(offset)}
          >
            ${index.address(offset)}</button
          ><span class="arrow" aria-hidden="true">→ ${this.nextText(list, i)}</span>`,
      );
    }
    const label = l10n.t('order {0}', list.order);
    return html`<li class="order ${n === 0 ? 'empty' : ''}" data-order=${list.order}>
      <div class="head">
        <span class="name">${label}</span>
        <span class="muted">${l10n.t('{0} blocks', formatBytes(list.blockSize))}</span>
        <span class="count">${l10n.t('{0} free', n)}</span>
        <span class="muted">${formatBytes(n * list.blockSize)}</span>
        <span class="muted mono" title=${l10n.t("the struct's free_lists[{0}]", list.order)}
          >${l10n.t('head {0}', list.head === '0x0' ? 'null' : list.head)}</span
        >
        ${list.broken ? html`<span class="broken">${l10n.t('list broken: see findings')}</span>` : nothing}
      </div>
      ${
        n > 0
          ? html`<div class="chain" role="group" aria-label=${l10n.t('{0} chain, head first', label)}>
              ${entries}
              ${n > limit ? html`<button class="link" @click=${() => this.more(list.order, limit)}>${l10n.t('show {0} more of {1}', Math.min(n - limit, 256), n - limit)}</button>` : nothing}
            </div>`
          : nothing
      }
    </li>`;
  }

  private nextText(list: WireFreeList, i: number): string {
    const next = nextOf(list, i);
    if (next === NEXT_NULL) return 'null';
    if (next === NEXT_UNREADABLE) return list.order === this.index!.orders - 1 ? l10n.t('(not read: top order)') : l10n.t('(unreadable)');
    if (next === NEXT_RAW) return list.lastRaw ?? '?';
    return this.index!.address(next);
  }

  private more(order: number, limit: number): void {
    this.shown = new Map(this.shown).set(order, limit + 256);
  }

  private select(offset: number): void {
    this.dispatchEvent(new CustomEvent('block-select', { detail: { offset }, bubbles: true, composed: true }));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'free-lists': FreeLists;
  }
}
