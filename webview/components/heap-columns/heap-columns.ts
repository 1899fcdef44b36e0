// The sections below the map, in two columns whose divider can be dragged: buddy pair and tree,
// free lists and ownership on one side, statistics, history and findings on the other.
//
// They follow a host update one frame after the map (each is a DeferredSection). The map shows an
// operation in the frame the update arrives in; the sections render after that frame, once, with
// the latest state, however many updates came meanwhile. So an operation's feedback costs the
// map's share of a frame, and a burst of operations costs the sections once per frame, not once
// per operation.
import '@vscode-elements/elements/dist/vscode-split-layout/index.js';
import * as l10n from '@vscode/l10n';
import { LitElement, html } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { WireDiff, WireHistory } from '../../../core/protocol/viewModel';
import type { HeapIndex } from '../../model/heapIndex';
import type { OwnerSlots } from '../../model/ownerSlots';
import type { MapPalette } from '../../theme/palette';
import type { ColorBy } from '../block-map/block-map';
import { sectionTemplate } from '../heap-section/sectionTemplate';
import '../block-owner/block-owner';
import '../buddy-tree/buddy-tree';
import '../findings-list/findings-list';
import '../free-lists/free-lists';
import '../heap-stats/heap-stats';
import '../history-log/history-log';
import '../ownership-table/ownership-table';

const SECTION_TAGS = 'buddy-tree, free-lists, block-owner, ownership-table, heap-stats, history-log, findings-list, section-count';

/**
 * @tag heap-columns
 * @fires section-toggle - detail `{ id, open }` when the user opens or closes a section.
 */
@customElement('heap-columns')
export class HeapColumns extends LitElement {
  @property({ attribute: false }) index: HeapIndex | undefined;
  @property({ attribute: false }) history: WireHistory | undefined;
  @property({ attribute: false }) diff: WireDiff | null = null;
  @property({ attribute: false }) selection: number | null = null;
  @property({ attribute: false }) owners: OwnerSlots | undefined;
  @property({ attribute: false }) palette: MapPalette | undefined;
  @property({ attribute: false }) colorBy: ColorBy = 'order';
  @property({ attribute: false }) closed: ReadonlySet<string> = new Set();
  /** Resolves after the frame that shows the map's part of a host update: the sections render after it. */
  renderAfter: Promise<void> | undefined;

  /** In the panel's own shadow root: its styles lay the columns out, as they did in the panel. */
  protected override createRenderRoot(): HTMLElement {
    return this;
  }

  /** Includes the sections' deferred renders: heap-app reports `rendered` only after they drew. */
  protected override async getUpdateComplete(): Promise<boolean> {
    const done = await super.getUpdateComplete();
    const sections = [...this.querySelectorAll<LitElement>(SECTION_TAGS)].map(section => section.updateComplete);
    return (await Promise.all(sections)).every(Boolean) && done;
  }

  override render() {
    const index = this.index;
    if (!index) return html``;
    const view = index.view;
    const errors = view.findings.filter(f => f.severity === 'error').length;
    const section = (id: string, title: string, body: unknown, count?: number, bad = false) =>
      sectionTemplate({
        id,
        title,
        body,
        open: !this.closed.has(id),
        count,
        bad,
        renderAfter: this.renderAfter,
        onToggle: open => this.toggle(id, open),
      });
    return html`<vscode-split-layout class="columns" split="vertical" initial-handle-position="50%" min-start="240px" min-end="240px">
      <div slot="start" class="column">
        ${section('pairs', l10n.t('Buddy pair and tree'), html`<buddy-tree .renderAfter=${this.renderAfter} .index=${index} .selection=${this.selection}></buddy-tree>`)}
        ${section(
          'free',
          l10n.t('Free lists'),
          html`<free-lists .renderAfter=${this.renderAfter} .index=${index} .selection=${this.selection} .diff=${this.diff}></free-lists>`,
          view.freeLists.reduce((n, l) => n + l.offsets.length, 0),
        )}
        ${section(
          'owners',
          l10n.t('Ownership'),
          html`<block-owner .renderAfter=${this.renderAfter} .index=${index} .selection=${this.selection}></block-owner
            ><ownership-table
              .renderAfter=${this.renderAfter}
              .index=${index}
              .selection=${this.selection}
              .owners=${this.owners}
              .palette=${this.palette}
              .swatches=${this.colorBy === 'owner'}
            ></ownership-table>`,
          view.ownerLabels.length,
        )}
      </div>
      <div slot="end" class="column">
        ${section(
          'stats',
          l10n.t('Statistics'),
          html`<heap-stats
            .renderAfter=${this.renderAfter}
            .stats=${view.stats}
            .series=${this.history?.series}
            .current=${this.history?.current ?? 0}
          ></heap-stats>`,
        )}
        ${section(
          'history',
          l10n.t('History'),
          html`<history-log .renderAfter=${this.renderAfter} .history=${this.history} .diff=${this.diff}></history-log>`,
          this.history ? this.history.total - 1 : undefined,
        )}
        ${section(
          'findings',
          l10n.t('Integrity findings'),
          html`<findings-list .renderAfter=${this.renderAfter} .findings=${view.findings} .index=${index}></findings-list>`,
          view.findings.length,
          errors > 0,
        )}
      </div>
    </vscode-split-layout>`;
  }

  private toggle(id: string, open: boolean): void {
    this.dispatchEvent(new CustomEvent('section-toggle', { detail: { id, open }, bubbles: true, composed: true }));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'heap-columns': HeapColumns;
  }
}
