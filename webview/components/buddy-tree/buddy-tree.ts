// Buddy pairs and the buddy tree: the selected block with its buddy and the blocks it was split
// from, and a collapsible tree of the splits from the whole heap down to the blocks in the table.
// Only expanded nodes are built, so a million-block heap costs what the user opens.
import * as l10n from '@vscode/l10n';
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { formatBytes } from '../../../core/layout';
import { HeapIndex, STATE_NAMES } from '../../model/heapIndex';
import { requestText, stateName } from '../../l10n/words';
import { sharedStyles } from '../../styles/shared';

interface Node {
  readonly offset: number;
  readonly order: number;
  readonly depth: number;
}

const key = (offset: number, order: number) => `${order}:${offset}`;

/**
 * @tag buddy-tree
 * @fires block-select - detail `{ offset }` when a node or the buddy is chosen.
 */
@customElement('buddy-tree')
export class BuddyTreeElement extends LitElement {
  static override styles = [
    sharedStyles,
    css`
      .pair {
        display: grid;
        grid-template-columns: auto 1fr;
        gap: 2px 10px;
        margin-bottom: 8px;
      }
      .pair dt {
        color: var(--vscode-descriptionForeground, #9d9d9d);
      }
      .pair dd {
        margin: 0;
      }
      ul[role='tree'],
      ul[role='group'] {
        list-style: none;
        margin: 0;
        padding: 0;
      }
      li[role='treeitem'] > .row {
        display: flex;
        gap: 6px;
        align-items: baseline;
        padding: 1px 4px;
        cursor: pointer;
        white-space: nowrap;
      }
      li[role='treeitem'] > .row:hover {
        background: var(--vscode-list-hoverBackground, rgba(90, 93, 94, 0.31));
      }
      li[role='treeitem'][aria-selected='true'] > .row {
        background: var(--vscode-list-activeSelectionBackground, #04395e);
        color: var(--vscode-list-activeSelectionForeground, #ffffff);
      }
      li[role='treeitem'].buddy > .row {
        outline: 1px dashed var(--vscode-charts-yellow, #cca700);
      }
      li[role='treeitem'].ancestor > .row .addr {
        font-weight: 600;
      }
      li[role='treeitem']:focus-visible {
        outline: none;
      }
      li[role='treeitem']:focus-visible > .row {
        outline: 1px solid var(--vscode-focusBorder, #007fd4);
      }
      .twisty {
        width: 1em;
        display: inline-block;
        text-align: center;
        color: var(--vscode-descriptionForeground, #9d9d9d);
      }
      .indent-0 {
        padding-left: 0;
      }
      .indent-1 {
        padding-left: 12px;
      }
      .indent-2 {
        padding-left: 24px;
      }
      .indent-3 {
        padding-left: 36px;
      }
      .indent-4 {
        padding-left: 48px;
      }
      .indent-5 {
        padding-left: 60px;
      }
      .indent-6 {
        padding-left: 72px;
      }
      .indent-7 {
        padding-left: 84px;
      }
      .indent-8 {
        padding-left: 96px;
      }
      .indent-9 {
        padding-left: 108px;
      }
      .indent-deep {
        padding-left: 120px;
      }
      /* The state's color is a mark beside the word (chart colors are too light for text). */
      .free,
      .allocated {
        border-left: 3px solid;
        padding-left: 3px;
      }
      .free {
        border-left-color: var(--vscode-charts-green, #89d185);
      }
      .allocated {
        border-left-color: var(--vscode-charts-blue, #3794ff);
      }
    `,
  ];

  @property({ attribute: false }) index: HeapIndex | undefined;
  @property({ attribute: false }) selection: number | null = null;

  @state() private expanded = new Set<string>();
  @state() private focusKey = '';

  override willUpdate(changed: Map<string, unknown>): void {
    const index = this.index;
    if (!index) return;
    if (
      changed.has('index') &&
      (changed.get('index') as HeapIndex | undefined)?.view.layout !== index.view.layout &&
      this.expanded.size === 0
    ) {
      this.expanded = new Set([key(0, index.orders - 1)]);
    }
    // Open the path to the selected block so the tree shows where it sits.
    if ((changed.has('selection') || changed.has('index')) && this.selection !== null) {
      const i = index.blockAtOffset(this.selection);
      if (i >= 0) {
        const block = index.block(i);
        const next = new Set(this.expanded);
        for (const a of index.ancestorsOf(block.offset, block.order)) next.add(key(a.offset, a.order));
        this.expanded = next;
        this.focusKey = key(block.offset, block.order);
      }
    }
  }

  override render() {
    const index = this.index;
    if (!index || index.count === 0)
      return html`<p class="muted">
        ${index ? l10n.t('No heap: the heap could not be decoded (see the findings).') : l10n.t('No heap.')}
      </p>`;
    return html`${this.renderPair(index)}
      <ul role="tree" aria-label=${l10n.t('Buddy tree: how the heap is split')} @keydown=${this.onKey}>
        ${this.renderNode(index, { offset: 0, order: index.orders - 1, depth: 0 })}
      </ul>`;
  }

  private renderPair(index: HeapIndex) {
    if (this.selection === null || index.blockAtOffset(this.selection) < 0) {
      return html`<p class="muted">
        ${l10n.t('Select a block on the map, in a free list or in this tree to see its buddy and the blocks it was split from.')}
      </p>`;
    }
    const block = index.block(index.blockAtOffset(this.selection));
    const owner = index.ownerLabel(block.owner);
    const buddy = index.buddyOf(block.offset, block.order);
    const ancestors = index.ancestorsOf(block.offset, block.order);
    let buddyState = '';
    if (buddy) {
      if (index.isBlock(buddy.offset, buddy.order)) buddyState = stateName(index.state(index.blockAtOffset(buddy.offset)));
      else {
        const free = index.freeLeavesIn(buddy.offset / index.minBlock, buddy.offset / index.minBlock + 2 ** buddy.order);
        buddyState = l10n.t('split ({0}% free)', Math.round((100 * free) / 2 ** buddy.order));
      }
    }
    const allocation = index.allocationAt(block.offset);
    const buddyIsFree = !!buddy && index.isBlock(buddy.offset, buddy.order) && index.state(index.blockAtOffset(buddy.offset)) === 0;
    return html`<dl class="pair" aria-label=${l10n.t('Selected block and its buddy')}>
      <dt>${l10n.t('selected')}</dt>
      <dd>
        <span class="mono">${index.address(block.offset)}</span> · ${formatBytes(block.size)} · ${l10n.t('order {0}', block.order)} ·
        <span class=${STATE_NAMES[block.state]}>${stateName(block.state)}</span>${owner ? html` · ${owner}` : nothing}
      </dd>
      ${
        allocation >= 0
          ? html`<dt>${l10n.t('request')}</dt>
              <dd>${requestText(index, allocation)}</dd>`
          : nothing
      }
      <dt>${l10n.t('buddy')}</dt>
      <dd class="buddy-info">
        ${
          buddy
            ? html`<button class="link mono" @click=${() => this.select(buddy.offset)}>${index.address(buddy.offset)}</button> ·
                ${buddyState}${buddyIsFree && block.state === 0 ? html` <span class="warning-text">${l10n.t('(both free: should have merged)')}</span>` : nothing}`
            : l10n.t('none: the top-order block is the whole heap')
        }
      </dd>
      <dt>${l10n.t('split from')}</dt>
      <dd>
        ${ancestors.length === 0 ? l10n.t('nothing (the whole heap)') : ancestors.slice(0, 4).map(a => html`<span class="chip mono" title=${l10n.t('order {0}, {1}', a.order, formatBytes(index.minBlock * 2 ** a.order))}>${index.address(a.offset)}/${a.order}</span> `)}${ancestors.length > 4 ? html` <span class="muted">${l10n.t('… {0} more up to the whole heap', ancestors.length - 4)}</span>` : nothing}
      </dd>
    </dl>`;
  }

  private renderNode(index: HeapIndex, node: Node): unknown {
    const k = key(node.offset, node.order);
    const leaf = index.isBlock(node.offset, node.order);
    const open = !leaf && this.expanded.has(k);
    const size = index.minBlock * 2 ** node.order;
    const selectedBlock =
      this.selection !== null && index.blockAtOffset(this.selection) >= 0 ? index.block(index.blockAtOffset(this.selection)) : undefined;
    const isSelected = !!selectedBlock && selectedBlock.offset === node.offset && selectedBlock.order === node.order;
    const buddy = selectedBlock && index.buddyOf(selectedBlock.offset, selectedBlock.order);
    const isBuddy = !!buddy && buddy.offset === node.offset && buddy.order === node.order;
    const isAncestor =
      !!selectedBlock &&
      node.order > selectedBlock.order &&
      selectedBlock.offset >= node.offset &&
      selectedBlock.offset < node.offset + size;
    let summary;
    if (leaf) {
      const block = index.block(index.blockAtOffset(node.offset));
      const owner = index.ownerLabel(block.owner);
      summary = html`<span class=${STATE_NAMES[block.state]}>${stateName(block.state)}</span
        >${owner ? html` <span class="muted">${owner}</span>` : nothing}`;
    } else {
      const free = index.freeLeavesIn(node.offset / index.minBlock, node.offset / index.minBlock + 2 ** node.order);
      summary = html`<span class="muted">${l10n.t('split · {0}% free', Math.round((100 * free) / 2 ** node.order))}</span>`;
    }
    const indent = node.depth <= 9 ? `indent-${node.depth}` : 'indent-deep';
    return html`<li
      role="treeitem"
      data-key=${k}
      data-offset=${node.offset}
      data-order=${node.order}
      class="${isBuddy ? 'buddy' : ''} ${isAncestor ? 'ancestor' : ''}"
      aria-level=${node.depth + 1}
      aria-selected=${isSelected ? 'true' : 'false'}
      aria-expanded=${leaf ? nothing : open ? 'true' : 'false'}
      aria-label=${[
        index.address(node.offset),
        formatBytes(size),
        l10n.t('order {0}', node.order),
        ...(leaf ? [] : [l10n.t('split')]),
        ...(isBuddy ? [l10n.t('buddy of the selected block')] : []),
      ].join(', ')}
      tabindex=${this.focusKey === k || (this.focusKey === '' && node.depth === 0) ? '0' : '-1'}
      @click=${(e: Event) => {
        e.stopPropagation();
        this.activate(node, leaf);
      }}
    >
      <div class="row ${indent}">
        <span class="twisty" aria-hidden="true">${leaf ? '' : open ? '▾' : '▸'}</span>
        <span class="addr mono">${index.address(node.offset)}</span><span>${formatBytes(size)}</span
        ><span class="muted">o${node.order}</span>${summary}
      </div>
      ${
        open
          ? html`<ul role="group">
              ${this.renderNode(index, { offset: node.offset, order: node.order - 1, depth: node.depth + 1 })}
              ${this.renderNode(index, { offset: node.offset + size / 2, order: node.order - 1, depth: node.depth + 1 })}
            </ul>`
          : nothing
      }
    </li>`;
  }

  private activate(node: Node, leaf: boolean): void {
    this.focusKey = key(node.offset, node.order);
    if (leaf) this.select(node.offset);
    else this.toggle(node);
  }

  private toggle(node: Node, open?: boolean): void {
    const k = key(node.offset, node.order);
    const next = new Set(this.expanded);
    if (open ?? !next.has(k)) next.add(k);
    else next.delete(k);
    this.expanded = next;
  }

  private select(offset: number): void {
    this.dispatchEvent(new CustomEvent('block-select', { detail: { offset }, bubbles: true, composed: true }));
  }

  /** Tree keys (WAI-ARIA tree pattern): arrows move, Right/Left open/close, Enter selects. */
  private onKey = (event: KeyboardEvent) => {
    const items = [...this.renderRoot.querySelectorAll<HTMLElement>('li[role="treeitem"]')];
    // Nothing focused yet: the root (the one item with tabindex 0).
    const current = Math.max(
      0,
      items.findIndex(item => item.dataset['key'] === this.focusKey),
    );
    const item = items[current];
    if (!item) return;
    const node: Node = { offset: Number(item.dataset['offset']), order: Number(item.dataset['order']), depth: 0 };
    const expandable = item.hasAttribute('aria-expanded');
    const open = item.getAttribute('aria-expanded') === 'true';
    let target: HTMLElement | undefined;
    switch (event.key) {
      case 'ArrowDown':
        target = items[Math.min(items.length - 1, current + 1)];
        break;
      case 'ArrowUp':
        target = items[Math.max(0, current - 1)];
        break;
      case 'ArrowRight':
        if (expandable && !open) this.toggle(node, true);
        else target = items[current + 1];
        break;
      case 'ArrowLeft':
        if (expandable && open) this.toggle(node, false);
        else target = item.parentElement?.closest<HTMLElement>('li[role="treeitem"]') ?? undefined;
        break;
      case 'Enter':
      case ' ':
        this.activate(node, !expandable);
        break;
      default:
        return;
    }
    event.preventDefault();
    if (target) {
      this.focusKey = target.dataset['key'] ?? '';
      void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>(`li[data-key="${this.focusKey}"]`)?.focus());
    }
  };
}

declare global {
  interface HTMLElementTagNameMap {
    'buddy-tree': BuddyTreeElement;
  }
}
