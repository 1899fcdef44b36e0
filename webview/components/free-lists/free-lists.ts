// The free lists: one row per order with its count and bytes, then the chain in list order (head
// first) with each block's `next` word as it is in memory. Long lists show a page at a time. A
// vscode-tree (an order is a branch, its entries the leaves) gives VS Code's look, the arrow keys
// and the tree roles; an entry is selected with a click, Enter or Space.
import * as l10n from '@vscode/l10n';
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { DeferredSection } from '../heap-columns/deferredSection';
import { repeat } from 'lit/directives/repeat.js';
import { formatBytes } from '../../../core/layout';
import {
  CHANGE_KINDS,
  nextOf,
  NEXT_NULL,
  NEXT_RAW,
  NEXT_UNREADABLE,
  WireChangeKind,
  WireDiff,
  WireFreeList,
} from '../../../core/protocol/viewModel';
import type { HeapIndex } from '../../model/heapIndex';
import { changeKindName } from '../../l10n/words';
import { sharedStyles } from '../../styles/shared';
import { OpenWatch, focusInside, parkOnLeave, parkTabStop, selectedItems, showSelection } from '../tree/treeSync';

const PAGE = 32;

/**
 * @tag free-lists
 * @fires block-select - detail `{ offset }` when an entry is clicked.
 */
@customElement('free-lists')
export class FreeLists extends DeferredSection(LitElement) {
  static override styles = [
    sharedStyles,
    css`
      .head {
        display: inline-flex;
        gap: 8px;
        align-items: baseline;
        white-space: nowrap;
      }
      .head .name {
        min-width: 6em;
        font-weight: 600;
      }
      .arrow {
        color: var(--vscode-descriptionForeground, #9d9d9d);
        margin: 0 2px;
      }
      .broken {
        color: var(--vscode-errorForeground, #f48771);
      }
      vscode-tree-item.empty .name {
        color: var(--vscode-descriptionForeground, #9d9d9d);
      }
      .more {
        color: var(--vscode-textLink-foreground, #3794ff);
      }
    `,
  ];

  @property({ attribute: false }) index: HeapIndex | undefined;
  @property({ attribute: false }) selection: number | null = null;
  @property({ attribute: false }) diff: WireDiff | null = null;
  /** Entries shown per order (grows with "show more"). */
  @state() private shown = new Map<number, number>();
  /** Orders the user closed (every list with entries starts open, as its chain is the point). */
  @state() private closed = new Set<number>();
  /** After "show more": the order whose first newly shown entry takes the focus. */
  private focusAfterMore: { order: number; entry: number } | undefined;
  /** The tree opens and closes lists itself: its changes come back into `closed`. */
  private readonly openWatch = new OpenWatch(this, (item, open) => {
    if (!item.classList.contains('order')) return;
    const order = Number(item.dataset['order']);
    const entries = this.index?.view.freeLists.find(l => l.order === order)?.offsets.length ?? 0;
    // As rendered already (an emptied list loses its open state without the user closing it).
    if (open === (entries > 0 && !this.closed.has(order))) return;
    const next = new Set(this.closed);
    if (open) next.delete(order);
    else next.add(order);
    this.closed = next;
  });

  override render() {
    const index = this.index;
    if (!index) return html`<p class="muted">${l10n.t('No heap.')}</p>`;
    const changed = new Map<number, WireChangeKind>();
    const diff = this.diff;
    if (diff)
      for (let i = 0; i < diff.count; i++)
        changed.set(diff.offsets[i]! * 64 + diff.orders[i]!, CHANGE_KINDS[diff.kinds[i]!] ?? 'uncertain');
    const lists = [...index.view.freeLists].reverse();
    return html`<vscode-tree
      aria-label=${l10n.t('Free lists, largest order first')}
      expand-mode="singleClick"
      indent-guides="none"
      @vsc-tree-select=${this.onTreeSelect}
      @focusout=${parkOnLeave}
    >
      ${lists.map(list => this.renderList(list, changed))}
    </vscode-tree>`;
  }

  private renderList(list: WireFreeList, changed: Map<number, WireChangeKind>) {
    const index = this.index!;
    const n = list.offsets.length;
    const limit = this.shown.get(list.order) ?? PAGE;
    // Keyed by offset: a block pushed at the head (or unlinked) moves one row, not every row's text.
    const entries = repeat(
      Array.from({ length: Math.min(n, limit) }, (_, i) => i),
      i => list.offsets[i]!,
      i => {
        const offset = list.offsets[i]!;
        const kind = changed.get(offset * 64 + list.order);
        const next = this.nextText(list, i);
        return html`<vscode-tree-item
          slot="children"
          class="entry"
          data-offset=${offset}
          aria-label=${[
            l10n.t('free block {0}, next {1}', index.address(offset), next),
            ...(kind ? [changeKindName(kind)] : []),
            ...(this.selection === offset ? [l10n.t('selected')] : []),
          ].join(', ')}
          ><span class="chip mono ${kind ? `changed-${kind}` : ''}" data-offset=${offset} title=${l10n.t('next word: {0}', next)}
            >${index.address(offset)}</span
          ><span class="arrow">→ ${next}</span></vscode-tree-item
        >`;
      },
    );
    const label = l10n.t('order {0}', list.order);
    const head = l10n.t('head {0}', list.head === '0x0' ? 'null' : list.head);
    return html`<vscode-tree-item
      class="order ${n === 0 ? 'empty' : ''}"
      data-order=${list.order}
      ?open=${n > 0 && !this.closed.has(list.order)}
      aria-label=${[
        label,
        l10n.t('{0} blocks', formatBytes(list.blockSize)),
        l10n.t('{0} free', n),
        formatBytes(n * list.blockSize),
        head,
        ...(list.broken ? [l10n.t('list broken: see findings')] : []),
      ].join(', ')}
    >
      <span class="head">
        <span class="name">${label}</span>
        <span class="muted">${l10n.t('{0} blocks', formatBytes(list.blockSize))}</span>
        <span class="count">${l10n.t('{0} free', n)}</span>
        <span class="muted">${formatBytes(n * list.blockSize)}</span>
        <span class="muted mono" title=${l10n.t("the struct's free_lists[{0}]", list.order)}>${head}</span>
        ${list.broken ? html`<span class="broken">${l10n.t('list broken: see findings')}</span>` : nothing}
      </span>
      ${entries}
      ${
        n > limit
          ? html`<vscode-tree-item slot="children" class="more" data-more=${list.order}
              >${l10n.t('show {0} more of {1}', Math.min(n - limit, 256), n - limit)}</vscode-tree-item
            >`
          : nothing
      }
    </vscode-tree-item>`;
  }

  override updated(): void {
    this.showSelected();
    const after = this.focusAfterMore;
    if (after) {
      this.focusAfterMore = undefined;
      const entry = this.renderRoot.querySelectorAll<HTMLElement & { active: boolean }>(
        `vscode-tree-item.order[data-order="${after.order}"] > vscode-tree-item.entry`,
      )[after.entry];
      if (entry) {
        entry.active = true;
        entry.focus();
      }
    }
  }

  /** The selected block's entries are the tree's selected items. */
  private showSelected(): void {
    const root = this.renderRoot as ShadowRoot;
    const selection = this.selection;
    showSelection(root, item => selection !== null && item.classList.contains('entry') && Number(item.dataset['offset']) === selection);
    if (!focusInside(root)) parkTabStop(root.querySelector('vscode-tree'));
  }

  /** An entry chosen (click, Enter, Space) selects its block; "show more" shows the next page. */
  private onTreeSelect = (event: Event) => {
    const item = selectedItems(event)[0];
    if (item?.classList.contains('entry')) {
      this.select(Number(item.dataset['offset']));
      return;
    }
    if (item?.classList.contains('more')) {
      const order = Number(item.dataset['more']);
      const limit = this.shown.get(order) ?? PAGE;
      this.focusAfterMore = { order, entry: limit };
      this.more(order, limit);
    }
    // An order row only opens or closes (the tree did that): the selection stays on the selected block.
    this.showSelected();
  };

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
