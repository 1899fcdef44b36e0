// Keeping a lit component's state and the vscode-tree it renders in step. vscode-tree opens,
// closes and selects items itself (arrows, Enter, clicks) by setting their properties, with no
// event for opening; the component renders from its own state. These helpers carry the tree's
// changes back into that state and put the component's selection back on the items.
import '@vscode-elements/elements/dist/vscode-tree/index.js';
import '@vscode-elements/elements/dist/vscode-tree-item/index.js';
import type { VscodeTreeItem } from '@vscode-elements/elements/dist/vscode-tree-item/vscode-tree-item.js';
import type { ReactiveController, ReactiveElement } from 'lit';

export type TreeItem = VscodeTreeItem;

/**
 * Calls `changed(item, open)` whenever the tree opens or closes an item under `root` (the item
 * reflects `open` to its attribute). Returns the observer, to disconnect with the component.
 */
export function watchOpen(root: ShadowRoot | HTMLElement, changed: (item: TreeItem, open: boolean) => void): MutationObserver {
  const observer = new MutationObserver(records => {
    for (const record of records) {
      const item = record.target as TreeItem;
      if (item.localName === 'vscode-tree-item') changed(item, item.hasAttribute('open'));
    }
  });
  observer.observe(root, { subtree: true, attributes: true, attributeFilter: ['open'] });
  return observer;
}

/**
 * watchOpen for the life of a component: watching from its first render (its tree exists then)
 * while it is connected, and again when it is put back into the page.
 */
export class OpenWatch implements ReactiveController {
  private observer: MutationObserver | undefined;

  constructor(
    private readonly host: ReactiveElement,
    private readonly changed: (item: TreeItem, open: boolean) => void,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    if (this.host.hasUpdated) this.watch();
  }

  hostUpdated(): void {
    this.watch();
  }

  hostDisconnected(): void {
    this.observer?.disconnect();
    this.observer = undefined;
  }

  private watch(): void {
    this.observer ??= watchOpen(this.host.renderRoot as ShadowRoot, this.changed);
  }
}

/** Marks exactly the items `isSelected` picks as selected. */
export function showSelection(root: ShadowRoot, isSelected: (item: TreeItem) => boolean): void {
  for (const item of root.querySelectorAll<TreeItem>('vscode-tree-item')) {
    const selected = isSelected(item);
    if (item.selected !== selected) item.selected = selected;
  }
}

/**
 * Makes a top-level item the tree's Tab stop (its active item). Every other item has tabindex -1,
 * and the browser's Tab skips whatever is slotted into a host with a negative tabindex: an active
 * item nested in closed-to-Tab parents would leave the tree out of the Tab order. So while focus
 * is elsewhere, the stop is the top-level row that holds the active item (else the first row);
 * the arrow keys go on from there.
 */
export function parkTabStop(tree: Element | null | undefined): void {
  if (!tree) return;
  const active = tree.querySelector<TreeItem>('vscode-tree-item[tabindex="0"]');
  let top: Element | null = active;
  while (top?.parentElement?.localName === 'vscode-tree-item') top = top.parentElement;
  const stop = (top ?? tree.querySelector(':scope > vscode-tree-item')) as TreeItem | null;
  if (stop && stop !== active) stop.active = true;
}

/** A focusout listener for a vscode-tree: focus leaving the tree parks its Tab stop. */
export function parkOnLeave(event: FocusEvent): void {
  const tree = event.currentTarget as Element;
  const to = event.relatedTarget as Node | null;
  if (!to || !tree.contains(to)) parkTabStop(tree);
}

/** The items a `vsc-tree-select` event names (its detail is the array of selected items). */
export function selectedItems(event: Event): TreeItem[] {
  const detail = (event as CustomEvent<unknown>).detail;
  if (Array.isArray(detail)) return detail as TreeItem[];
  const items = (detail as { selectedItems?: unknown } | null)?.selectedItems;
  return Array.isArray(items) ? (items as TreeItem[]) : [];
}

/** Whether focus is on an item of this component's trees. */
export function focusInside(root: ShadowRoot): boolean {
  return root.activeElement?.localName === 'vscode-tree-item';
}
