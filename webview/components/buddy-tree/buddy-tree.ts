// Buddy pairs and the buddy tree: the selected block with its buddy and the blocks it was split
// from, and a collapsible tree of the splits from the whole heap down to the blocks in the table.
// Only expanded nodes are built, so a million-block heap costs what the user opens. The tree is
// vscode-tree: VS Code's look, its keyboard (arrows, Enter, Space) and the tree roles.
import * as l10n from '@vscode/l10n';
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { DeferredSection } from '../heap-columns/deferredSection';
import { formatBytes } from '../../../core/layout';
import { HeapIndex, STATE_NAMES } from '../../model/heapIndex';
import { requestText, stateName } from '../../l10n/words';
import { sharedStyles } from '../../styles/shared';
import { OpenWatch, focusInside, parkOnLeave, parkTabStop, selectedItems, showSelection } from '../tree/treeSync';

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
export class BuddyTreeElement extends DeferredSection(LitElement) {
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
      .row {
        display: inline-flex;
        gap: 6px;
        align-items: baseline;
        white-space: nowrap;
      }
      /* The selected block's buddy and the blocks it was split from, marked in the tree. */
      vscode-tree-item.buddy::part(wrapper) {
        outline: 1px dashed var(--vscode-charts-yellow, #cca700);
        outline-offset: -1px;
      }
      vscode-tree-item.ancestor > .row .addr {
        font-weight: 600;
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
  /** The tree opens and closes nodes itself: its changes come back into `expanded`. */
  private readonly openWatch = new OpenWatch(this, (item, open) => {
    const k = item.dataset['key'];
    if (!k || this.expanded.has(k) === open) return;
    const next = new Set(this.expanded);
    if (open) next.add(k);
    else next.delete(k);
    this.expanded = next;
  });

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
      <vscode-tree
        aria-label=${l10n.t('Buddy tree: how the heap is split')}
        expand-mode="singleClick"
        indent-guides="onHover"
        @vsc-tree-select=${this.onTreeSelect}
        @focusout=${parkOnLeave}
      >
        ${this.renderNode(index, { offset: 0, order: index.orders - 1, depth: 0 })}
      </vscode-tree>`;
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
        allocation >= 0 && index.view.ownership
          ? html`<dt>${l10n.t('referenced by')}</dt>
              <dd>
                ${
                  index.view.ownership.referrerTotal[allocation] === 1
                    ? l10n.t('1 word')
                    : l10n.t('{0} words', index.view.ownership.referrerTotal[allocation]!)
                }
              </dd>`
          : allocation >= 0
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
    // Only open nodes have their children built; a closed split node holds one hidden stand-in, so
    // the tree draws it as a branch (an arrow, aria-expanded) without building what is under it.
    const children = leaf
      ? nothing
      : open
        ? html`${this.renderNode(index, { offset: node.offset, order: node.order - 1, depth: node.depth + 1 })}${this.renderNode(index, {
            offset: node.offset + size / 2,
            order: node.order - 1,
            depth: node.depth + 1,
          })}`
        : html`<vscode-tree-item slot="children" class="unbuilt" aria-hidden="true"></vscode-tree-item>`;
    return html`<vscode-tree-item
      slot=${node.depth === 0 ? nothing : 'children'}
      data-key=${k}
      data-offset=${node.offset}
      data-order=${node.order}
      class="${isBuddy ? 'buddy' : ''} ${isAncestor ? 'ancestor' : ''}"
      ?open=${open}
      aria-label=${[
        index.address(node.offset),
        formatBytes(size),
        l10n.t('order {0}', node.order),
        ...(leaf ? [] : [l10n.t('split')]),
        ...(isSelected ? [l10n.t('selected')] : []),
        ...(isBuddy ? [l10n.t('buddy of the selected block')] : []),
      ].join(', ')}
    >
      <span class="row"
        ><span class="addr mono">${index.address(node.offset)}</span><span>${formatBytes(size)}</span
        ><span class="muted">o${node.order}</span>${summary}</span
      >
      ${children}
    </vscode-tree-item>`;
  }

  override updated(): void {
    this.showSelected();
  }

  /** The selected block's node is the tree's selected item. */
  private showSelected(): void {
    const root = this.renderRoot as ShadowRoot;
    const index = this.index;
    const i = index && this.selection !== null ? index.blockAtOffset(this.selection) : -1;
    const selectedKey = index && i >= 0 ? key(index.block(i).offset, index.block(i).order) : undefined;
    showSelection(root, item => item.dataset['key'] === selectedKey);
    if (!focusInside(root)) parkTabStop(root.querySelector('vscode-tree'));
  }

  /** A click, Enter or Space on a node: a block is selected; a split node only opens or closes (the tree did that). */
  private onTreeSelect = (event: Event) => {
    const item = selectedItems(event)[0];
    const index = this.index;
    if (item && index && item.dataset['key'] !== undefined) {
      const offset = Number(item.dataset['offset']);
      const order = Number(item.dataset['order']);
      if (index.isBlock(offset, order)) {
        this.select(offset);
        return;
      }
    }
    // Not a block: the selection stays on the selected block.
    this.showSelected();
  };

  private select(offset: number): void {
    this.dispatchEvent(new CustomEvent('block-select', { detail: { offset }, bubbles: true, composed: true }));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'buddy-tree': BuddyTreeElement;
  }
}
