// The free lists: one row per order with its count and bytes, then the chain in list order (head
// first) with each block's `next` word as it is in memory. Long lists show a page at a time.
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
    if (!index) return html`<p class="muted">No heap.</p>`;
    const changed = new Map<number, string>();
    const diff = this.diff;
    if (diff)
      for (let i = 0; i < diff.count; i++)
        changed.set(diff.offsets[i]! * 64 + diff.orders[i]!, CHANGE_KINDS[diff.kinds[i]!] ?? 'uncertain');
    const lists = [...index.view.freeLists].reverse();
    return html`<ol class="orders" aria-label="Free lists, largest order first">
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
            title=${`next word: ${this.nextText(list, i)}`}
            aria-label=${`free block ${index.address(offset)}, next ${this.nextText(list, i)}`}
            @click=${() => this.select(offset)}
          >
            ${index.address(offset)}</button
          ><span class="arrow" aria-hidden="true">→ ${this.nextText(list, i)}</span>`,
      );
    }
    const label = `order ${list.order}`;
    return html`<li class="order ${n === 0 ? 'empty' : ''}" data-order=${list.order}>
      <div class="head">
        <span class="name">${label}</span>
        <span class="muted">${formatBytes(list.blockSize)} blocks</span>
        <span class="count">${n} free</span>
        <span class="muted">${formatBytes(n * list.blockSize)}</span>
        <span class="muted mono" title="the struct's free_lists[${list.order}]">head ${list.head === '0x0' ? 'null' : list.head}</span>
        ${list.broken ? html`<span class="broken">list broken: see findings</span>` : nothing}
      </div>
      ${
        n > 0
          ? html`<div class="chain" role="group" aria-label=${`${label} chain, head first`}>
              ${entries}
              ${n > limit ? html`<button class="link" @click=${() => this.more(list.order, limit)}>show ${Math.min(n - limit, 256)} more of ${n - limit}</button>` : nothing}
            </div>`
          : nothing
      }
    </li>`;
  }

  private nextText(list: WireFreeList, i: number): string {
    const next = nextOf(list, i);
    if (next === NEXT_NULL) return 'null';
    if (next === NEXT_UNREADABLE) return list.order === this.index!.orders - 1 ? '(not read: top order)' : '(unreadable)';
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
