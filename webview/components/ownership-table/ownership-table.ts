// Ownership: bytes and blocks per owner label (in simulation, the labels given to allocations),
// each owner expandable to its blocks, and, while the map colors by owner, the color its blocks
// have there. A live heap without owner information says so.
import * as l10n from '@vscode/l10n';
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { formatBytes } from '../../../core/layout';
import { POW2 } from '../../../core/util/powersOfTwo';
import { HeapIndex } from '../../model/heapIndex';
import { OwnerSlots, SLOT_OTHER } from '../../model/ownerSlots';
import { sharedStyles } from '../../styles/shared';
import { slotsFor } from '../../theme/blockColors';
import { ownerSwatchStyles, slotClass, writeOwnerColors } from '../../theme/ownerSwatches';
import { HUE_COUNT, MapPalette } from '../../theme/palette';

interface OwnerRow {
  readonly label: string;
  readonly owner: number;
  readonly count: number;
  readonly blockBytes: number;
  readonly requestedBytes: number;
}

const MAX_LISTED = 64;

/**
 * @tag ownership-table
 * @fires block-select - detail `{ offset }` when a block is clicked.
 */
@customElement('ownership-table')
export class OwnershipTable extends LitElement {
  static override styles = [
    sharedStyles,
    ownerSwatchStyles,
    css`
      .blocks td {
        padding-left: 2em;
      }
      button.toggle {
        background: none;
        border: none;
        padding: 0;
        min-height: 24px;
        color: inherit;
      }
      .swatch {
        margin-right: 4px;
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
  @state() private open = new Set<number>();

  private rowsFor: HeapIndex | undefined;
  private rows: OwnerRow[] = [];

  override render() {
    const index = this.index;
    if (!index) return html`<p class="muted">${l10n.t('No heap.')}</p>`;
    const allocations = index.view.allocations;
    if (allocations.count === 0) {
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
    const rows = this.ownerRows(index);
    // A scanned heap's owners are roots, and its allocations' requested sizes are not known.
    const scanned = index.view.ownership !== undefined;
    return html`<table aria-label=${l10n.t('Allocated bytes per owner')}>
      <thead>
        <tr>
          <th>${scanned ? l10n.t('owner (root)') : l10n.t('owner')}</th>
          <th class="num">${l10n.t('allocations')}</th>
          <th class="num">${l10n.t('block bytes')}</th>
          ${scanned ? nothing : html`<th class="num">${l10n.t('requested')}</th>`}
          <th class="num">${l10n.t('share')}</th>
        </tr>
      </thead>
      <tbody>
        ${rows.map(row => this.renderRow(index, row))}
      </tbody>
    </table>`;
  }

  override updated(changed: Map<string, unknown>): void {
    if (changed.has('palette') && this.palette) writeOwnerColors(this, this.palette);
  }

  private renderRow(index: HeapIndex, row: OwnerRow) {
    const open = this.open.has(row.owner);
    const share = index.view.layout.size > 0 ? ((100 * row.blockBytes) / index.view.layout.size).toFixed(1) : '0';
    return html`<tr class="owner" data-owner=${row.label}>
        <td>
          ${this.swatches ? this.swatch(index, row.owner) : nothing}<button
            class="toggle"
            aria-expanded=${open ? 'true' : 'false'}
            aria-label=${l10n.t('{0}: show its blocks', row.label)}
            @click=${() => this.toggle(row.owner)}
          >
            ${open ? '▾' : '▸'} ${row.label}
          </button>
        </td>
        <td class="num">${row.count}</td>
        <td class="num">${formatBytes(row.blockBytes)}</td>
        ${index.view.ownership ? nothing : html`<td class="num">${formatBytes(row.requestedBytes)}</td>`}
        <td class="num">${share}%</td>
      </tr>
      ${
        open
          ? html`<tr class="blocks">
              <td colspan=${index.view.ownership ? 4 : 5}>
                ${this.offsetsOf(index, row.owner).map(offset => html`<button class="chip mono" aria-current=${this.selection === offset ? 'true' : 'false'} @click=${() => this.select(offset)}>${index.address(offset)}</button>`)}${row.count > MAX_LISTED ? html`<span class="muted"> ${l10n.t('and {0} more', row.count - MAX_LISTED)}</span>` : nothing}
              </td>
            </tr>`
          : nothing
      }`;
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

  /** The first blocks of one owner, found when the row is opened (not for every owner up front). */
  private offsetsOf(index: HeapIndex, owner: number): number[] {
    const { count, blocks } = index.view.allocations;
    const owners = index.view.blocks.owners;
    const out: number[] = [];
    for (let i = 0; i < count && out.length < MAX_LISTED; i++)
      if (owners[blocks[i]!] === owner) out.push(index.leafStart[blocks[i]!]! * index.minBlock);
    return out;
  }

  private ownerRows(index: HeapIndex): OwnerRow[] {
    if (this.rowsFor === index) return this.rows;
    const { count, blocks, sizes } = index.view.allocations;
    const owners = index.view.blocks.owners;
    const codes = index.view.blocks.codes;
    // Columnar totals indexed by owner (0 = no owner): no object per allocation.
    const n = index.view.ownerLabels.length + 1;
    const counts = new Float64Array(n);
    const blockBytes = new Float64Array(n);
    const requested = new Float64Array(n);
    for (let i = 0; i < count; i++) {
      const block = blocks[i]!;
      const owner = owners[block]!;
      counts[owner]!++;
      blockBytes[owner]! += index.minBlock * POW2[codes[block]! & 31]!;
      requested[owner]! += sizes[i]!;
    }
    this.rows = Array.from({ length: n }, (_, owner) => owner)
      .filter(owner => counts[owner]! > 0)
      .map(owner => ({
        owner,
        label:
          index.ownerLabel(owner) ?? (index.view.ownership ? l10n.t('(no owner the scan can see: possible leaks)') : l10n.t('(no owner)')),
        count: counts[owner]!,
        blockBytes: blockBytes[owner]!,
        requestedBytes: requested[owner]!,
      }))
      .sort((a, b) => b.blockBytes - a.blockBytes || a.label.localeCompare(b.label));
    this.rowsFor = index;
    return this.rows;
  }

  private toggle(owner: number): void {
    const next = new Set(this.open);
    if (!next.delete(owner)) next.add(owner);
    this.open = next;
  }

  private select(offset: number): void {
    this.dispatchEvent(new CustomEvent('block-select', { detail: { offset }, bubbles: true, composed: true }));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'ownership-table': OwnershipTable;
  }
}
