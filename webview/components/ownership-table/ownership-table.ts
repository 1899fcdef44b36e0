// Ownership: bytes and blocks per owner (in simulation the labels given to allocations, on a
// scanned device heap the owning roots, with the possible leaks apart at the bottom), and, while
// the map colors by owner, the color its blocks have there. A vscode-table, as VS Code's own
// tables look: an owner's first cell has a disclosure button (chevron, aria-expanded; Enter or
// Space, → and ←) that lists the owner's blocks as buttons inside that same cell, since a
// vscode-table has no row spanning the columns. ↑/↓ move between the owners' buttons.
import '@vscode-elements/elements/dist/vscode-icon/index.js';
import '@vscode-elements/elements/dist/vscode-table-body/index.js';
import '@vscode-elements/elements/dist/vscode-table-cell/index.js';
import '@vscode-elements/elements/dist/vscode-table-header-cell/index.js';
import '@vscode-elements/elements/dist/vscode-table-header/index.js';
import '@vscode-elements/elements/dist/vscode-table-row/index.js';
import '@vscode-elements/elements/dist/vscode-table/index.js';
import * as l10n from '@vscode/l10n';
import { LitElement, css, html, nothing, unsafeCSS } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { DeferredSection } from '../heap-columns/deferredSection';
import { keyed } from 'lit/directives/keyed.js';
import { repeat } from 'lit/directives/repeat.js';
import { formatBytes } from '../../../core/layout';
import { HeapIndex } from '../../model/heapIndex';
import { type OwnedBlock, type OwnerTotal, blocksOfOwner, ownerTotals } from '../../model/ownerTotals';
import { OwnerSlots, SLOT_OTHER } from '../../model/ownerSlots';
import { sharedStyles } from '../../styles/shared';
import { slotsFor } from '../../theme/blockColors';
import { ownerSwatchStyles, slotClass, writeOwnerColors } from '../../theme/ownerSwatches';
import { HUE_COUNT, MapPalette } from '../../theme/palette';

interface OwnerRow extends OwnerTotal {
  readonly label: string;
  /** Open state is kept by this (labels, not owner numbers: a new label shifts the numbers). */
  readonly key: string;
  /** The scan's unowned blocks: possible leaks, shown apart. */
  readonly leaks: boolean;
}

/** Blocks listed per open owner (the rest are counted): a large heap stays a few buttons. */
const MAX_LISTED = 64;
/** Owners shown before "show more" (a scan can name thousands of roots), and how many more each time. */
const OWNER_PAGE = 100;
const OWNER_MORE = 500;
/** Column widths: the owner's name and its blocks get the room, the numbers a share each. */
const LABEL_COLUMNS = ['35%', '17%', '18%', '17%', '13%'];
const SCANNED_COLUMNS = ['40%', '20%', '22%', '18%'];
const KEY_NO_OWNER = '\u0000none';

/**
 * @tag ownership-table
 * @fires block-select - detail `{ offset }` when a block is clicked.
 */
@customElement('ownership-table')
export class OwnershipTable extends DeferredSection(LitElement) {
  static override styles = [
    sharedStyles,
    ownerSwatchStyles,
    css`
      :host {
        display: block;
      }
      /* The widths vscode-table gives the first row, on every row: rows come and go (and reorder). */
      ${widthRules('labels', LABEL_COLUMNS)}
      ${widthRules('scanned', SCANNED_COLUMNS)}
      vscode-table-cell.num,
      vscode-table-header-cell.num {
        text-align: right;
        padding-right: 8px;
        font-variant-numeric: tabular-nums;
      }
      /* An open owner: the numbers stay on the owner's line, its blocks wrap below its name. */
      vscode-table-row.open vscode-table-cell {
        vertical-align: top;
        line-height: 24px;
      }
      vscode-table-row.open vscode-table-cell.name {
        white-space: normal;
      }
      vscode-table-row.leaks vscode-table-cell {
        border-top: 1px solid var(--vscode-editorGroup-border, rgba(128, 128, 128, 0.35));
      }
      button.toggle {
        display: flex;
        align-items: center;
        gap: 4px;
        width: 100%;
        min-height: 24px;
        padding: 0 2px 0 0;
        border: none;
        background: none;
        color: inherit;
        text-align: left;
        white-space: nowrap;
        overflow: hidden;
      }
      button.toggle:hover {
        background: none;
      }
      button.toggle .label {
        overflow: hidden;
        text-overflow: ellipsis;
      }
      button.more {
        min-height: 24px;
      }
      /* Inside a cell that clips: the focus ring goes inside the control. */
      button.toggle:focus-visible,
      button.more:focus-visible {
        outline-offset: -1px;
      }
      vscode-icon {
        flex: none;
      }
      vscode-icon.warning {
        --vscode-icon-foreground: var(--vscode-editorWarning-foreground, #cca700);
        color: var(--vscode-editorWarning-foreground, #cca700);
      }
      .swatch {
        flex: none;
      }
      .blocks {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: 3px;
        padding: 0 2px 4px 20px;
        line-height: normal;
      }
      /* Addresses in the editor's font; 24px tall: the smallest target WCAG 2.2 (2.5.8) allows for buttons this close together. */
      .blocks .chip {
        margin: 0;
        min-height: 24px;
        font-family: var(--vscode-editor-font-family, ui-monospace, monospace);
        font-size: var(--vscode-editor-font-size, 12px);
      }
    `,
  ];

  @property({ attribute: false }) index: HeapIndex | undefined;
  @property({ attribute: false }) selection: number | null = null;
  /** The map's owner color slots and palette, for swatches that match the painted colors. */
  @property({ attribute: false }) owners: OwnerSlots | undefined;
  @property({ attribute: false }) palette: MapPalette | undefined;
  /** Show each owner's color (when the map colors by owner; by order they would match nothing). */
  @property({ attribute: false }) swatches = false;
  @state() private open = new Set<string>();
  @state() private shownOwners = OWNER_PAGE;

  private rowsFor: HeapIndex | undefined;
  private rows: { owners: OwnerRow[]; leaks: OwnerRow | undefined } = { owners: [], leaks: undefined };
  /** The listed blocks of each opened owner, for the heap they were found in. */
  private listed = new Map<number, OwnedBlock[]>();
  private focusAfterMore: number | undefined;

  override render() {
    const index = this.index;
    if (!index) return html`<p class="muted">${l10n.t('No heap.')}</p>`;
    if (index.view.allocations.count === 0) {
      return html`<p class="muted">
        ${
          index.view.ownerLabels.length === 0 && index.view.stats.allocatedBytes > 0
            ? l10n.t(
                "No owner information for this heap: owners come from labels given to simulated allocations, and on a device from the ownership scan, which needs the program's debug info (buddyHeap.live.ownership).",
              )
            : l10n.t('Nothing is allocated.')
        }
      </p>`;
    }
    const { owners, leaks } = this.ownerRows(index);
    // A scanned heap's owners are roots, and its allocations' requested sizes are not known.
    const scanned = index.view.ownership !== undefined;
    const shown = owners.slice(0, this.shownOwners);
    const columns = scanned ? SCANNED_COLUMNS.length : LABEL_COLUMNS.length;
    // Keyed by the columns: a vscode-table sizes its columns once, from the cells it first holds.
    return keyed(
      scanned,
      html`<vscode-table
        class=${scanned ? 'scanned' : 'labels'}
        aria-label=${l10n.t('Allocated bytes per owner')}
        zebra
        bordered-columns
        .columns=${scanned ? SCANNED_COLUMNS : LABEL_COLUMNS}
        @keydown=${this.onKeydown}
      >
        <!-- vscode-table puts its header cells straight into a rowgroup; a row is what ARIA (and axe) need. -->
        <vscode-table-header slot="header" role="row">
          ${header('name', scanned ? l10n.t('owner (root)') : l10n.t('owner'))} ${header('num', l10n.t('allocations'))}
          ${header('num', l10n.t('block bytes'))} ${scanned ? nothing : header('num', l10n.t('requested'))}
          ${header('num', l10n.t('share'))}
        </vscode-table-header>
        <vscode-table-body slot="body">
          ${repeat(
            shown,
            row => row.key,
            row => this.renderRow(index, row, scanned),
          )}
          ${owners.length > shown.length ? this.renderMore(owners.length - shown.length, columns) : nothing}
          ${leaks ? this.renderRow(index, leaks, scanned) : nothing}
        </vscode-table-body>
      </vscode-table>`,
    );
  }

  override willUpdate(changed: Map<string, unknown>): void {
    if (changed.has('index')) this.listed.clear();
  }

  override updated(changed: Map<string, unknown>): void {
    if (changed.has('palette') && this.palette) writeOwnerColors(this, this.palette);
    if (this.focusAfterMore !== undefined) {
      // The first owner "show more" brought in takes the focus (the button it replaced is gone),
      // once its row and cell have rendered their slots: until then the button cannot take it.
      const button = this.toggles()[this.focusAfterMore];
      this.focusAfterMore = undefined;
      const parts = [button?.closest('vscode-table-row'), button?.closest('vscode-table-cell')];
      void Promise.all(parts.map(p => (p as Partial<LitElement> | null | undefined)?.updateComplete)).then(() => button?.focus());
    }
  }

  private renderRow(index: HeapIndex, row: OwnerRow, scanned: boolean) {
    const open = this.open.has(row.key);
    const share = index.view.layout.size > 0 ? ((100 * row.blockBytes) / index.view.layout.size).toFixed(1) : '0';
    const blocksId = `blocks-${row.owner}`;
    return html`<vscode-table-row class="owner ${open ? 'open' : ''} ${row.leaks ? 'leaks' : ''}" data-owner=${row.label}>
      <vscode-table-cell class="name">
        <button
          class="toggle"
          aria-expanded=${open ? 'true' : 'false'}
          aria-controls=${open ? blocksId : nothing}
          title=${row.label}
          @click=${() => this.toggle(row.key)}
        >
          <vscode-icon name=${open ? 'chevron-down' : 'chevron-right'}></vscode-icon
          >${this.swatches ? this.swatch(index, row.owner) : nothing}${row.leaks ? html`<vscode-icon class="warning" name="warning"></vscode-icon>` : nothing}<span
            class="label"
            >${row.label}</span
          >
        </button>
        ${open ? this.renderBlocks(index, row, blocksId) : nothing}
      </vscode-table-cell>
      <vscode-table-cell class="num">${row.count}</vscode-table-cell>
      <vscode-table-cell class="num">${formatBytes(row.blockBytes)}</vscode-table-cell>
      ${scanned ? nothing : html`<vscode-table-cell class="num">${formatBytes(row.requestedBytes)}</vscode-table-cell>`}
      <vscode-table-cell class="num">${share}%</vscode-table-cell>
    </vscode-table-row>`;
  }

  private renderBlocks(index: HeapIndex, row: OwnerRow, id: string) {
    const blocks = this.blocksOf(index, row.owner);
    return html`<div class="blocks" id=${id} role="group" aria-label=${l10n.t('blocks of {0}', row.label)}>
      ${blocks.map(
        b =>
          html`<button
            class="chip mono"
            data-offset=${b.offset}
            title=${formatBytes(b.size)}
            aria-current=${this.selection === b.offset ? 'true' : 'false'}
            @click=${() => this.select(b.offset)}
          >
            ${index.address(b.offset)}
          </button>`,
      )}${row.count > blocks.length ? html`<span class="muted">${l10n.t('and {0} more', row.count - blocks.length)}</span>` : nothing}
    </div>`;
  }

  private renderMore(hidden: number, columns: number) {
    return html`<vscode-table-row class="more">
      <vscode-table-cell class="name">
        <button class="link more" @click=${this.showMore}>
          ${l10n.t('show {0} more of {1} owners', Math.min(hidden, OWNER_MORE), hidden)}
        </button>
      </vscode-table-cell>
      ${Array.from({ length: columns - 1 }, () => html`<vscode-table-cell></vscode-table-cell>`)}
    </vscode-table-row>`;
  }

  private swatch(index: HeapIndex, owner: number) {
    const owners = slotsFor(index.view.ownerLabels, this.owners);
    const slot = owners.slotOf[owner]!;
    // Said plainly: past the distinct colors, owners are not told apart on the map.
    const title =
      slot === SLOT_OTHER
        ? owners.others === 1
          ? l10n.t('"other" on the map: 1 owner has the color for owners past the {0} distinct ones', HUE_COUNT)
          : l10n.t('"other" on the map: {0} owners share the color for owners past the {1} distinct ones', owners.others, HUE_COUNT)
        : l10n.t('its color on the map');
    return html`<span class="swatch ${slotClass(slot)}" aria-hidden="true" title=${title}></span>`;
  }

  /** An owner's first blocks, found when its row is opened (not for every owner up front). */
  private blocksOf(index: HeapIndex, owner: number): OwnedBlock[] {
    let blocks = this.listed.get(owner);
    if (!blocks) this.listed.set(owner, (blocks = blocksOfOwner(index, owner, MAX_LISTED)));
    return blocks;
  }

  private ownerRows(index: HeapIndex) {
    if (this.rowsFor === index) return this.rows;
    const scanned = index.view.ownership !== undefined;
    const rows = ownerTotals(index)
      .map((total): OwnerRow => ({
        ...total,
        label: index.ownerLabel(total.owner) ?? (scanned ? l10n.t('(no owner the scan can see: possible leaks)') : l10n.t('(no owner)')),
        key: total.owner === 0 ? KEY_NO_OWNER : index.ownerLabel(total.owner)!,
        leaks: scanned && total.owner === 0,
      }))
      .sort((a, b) => b.blockBytes - a.blockBytes || a.label.localeCompare(b.label));
    this.rows = { owners: rows.filter(r => !r.leaks), leaks: rows.find(r => r.leaks) };
    this.rowsFor = index;
    return this.rows;
  }

  private toggles(): HTMLButtonElement[] {
    return [...this.renderRoot.querySelectorAll<HTMLButtonElement>('button.toggle')];
  }

  /** On an owner's button: → opens it, ← closes it, ↑/↓ go to the owner above or below. */
  private onKeydown = (event: KeyboardEvent) => {
    const button = event.composedPath()[0];
    if (!(button instanceof HTMLButtonElement) || !button.classList.contains('toggle')) return;
    const open = button.getAttribute('aria-expanded') === 'true';
    const toggles = this.toggles();
    const at = toggles.indexOf(button);
    let handled = true;
    if (event.key === 'ArrowRight' && !open) button.click();
    else if (event.key === 'ArrowLeft' && open) button.click();
    else if (event.key === 'ArrowDown' && at + 1 < toggles.length) toggles[at + 1]!.focus();
    else if (event.key === 'ArrowUp' && at > 0) toggles[at - 1]!.focus();
    else handled = false;
    if (handled) event.preventDefault();
  };

  private toggle(key: string): void {
    const next = new Set(this.open);
    if (!next.delete(key)) next.add(key);
    this.open = next;
  }

  private showMore = () => {
    this.focusAfterMore = this.shownOwners;
    this.shownOwners += OWNER_MORE;
  };

  private select(offset: number): void {
    this.dispatchEvent(new CustomEvent('block-select', { detail: { offset }, bubbles: true, composed: true }));
  }
}

/** A column header; its title says it in full when the column is too narrow for it. */
function header(kind: 'name' | 'num', text: string) {
  return html`<vscode-table-header-cell class=${kind} title=${text}>${text}</vscode-table-header-cell>`;
}

/** `vscode-table.<kind> vscode-table-cell:nth-child(i)` gets the i-th width. */
function widthRules(kind: string, widths: readonly string[]) {
  return unsafeCSS(widths.map((w, i) => `vscode-table.${kind} vscode-table-cell:nth-child(${i + 1}) { width: ${w}; }`).join('\n'));
}

declare global {
  interface HTMLElementTagNameMap {
    'ownership-table': OwnershipTable;
  }
}
