// Statistics: free and used bytes, the largest free block, the largest allocation that would
// succeed now, fragmentation, per-order counts, and the chart over the history.
import '@vscode-elements/elements/dist/vscode-table-body/index.js';
import '@vscode-elements/elements/dist/vscode-table-cell/index.js';
import '@vscode-elements/elements/dist/vscode-table-header-cell/index.js';
import '@vscode-elements/elements/dist/vscode-table-header/index.js';
import '@vscode-elements/elements/dist/vscode-table-row/index.js';
import '@vscode-elements/elements/dist/vscode-table/index.js';
import * as l10n from '@vscode/l10n';
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { DeferredSection } from '../heap-columns/deferredSection';
import { formatBytes } from '../../../core/layout';
import type { WireSeries, WireStats } from '../../../core/protocol/viewModel';
import { sharedStyles } from '../../styles/shared';
import '../stats-chart/stats-chart';

/** @tag heap-stats */
@customElement('heap-stats')
export class HeapStatsElement extends DeferredSection(LitElement) {
  static override styles = [
    sharedStyles,
    css`
      dl.figures {
        display: grid;
        grid-template-columns: repeat(auto-fill, minmax(140px, 1fr));
        gap: 6px;
        margin: 0 0 8px;
      }
      dl.figures div {
        padding: 4px 6px;
        border: 1px solid var(--vscode-widget-border, rgba(128, 128, 128, 0.3));
      }
      dt {
        color: var(--vscode-descriptionForeground, #9d9d9d);
        font-size: 11px;
      }
      dd {
        margin: 0;
        font-size: 14px;
        font-variant-numeric: tabular-nums;
      }
      details {
        margin-top: 6px;
      }
      vscode-table.per-order .num {
        text-align: right;
        font-variant-numeric: tabular-nums;
      }
    `,
  ];

  @property({ attribute: false }) stats: WireStats | undefined;
  @property({ attribute: false }) series: WireSeries | undefined;
  @property({ type: Number }) current = 0;

  override render() {
    const s = this.stats;
    if (!s) return html`<p class="muted">${l10n.t('No heap.')}</p>`;
    const figure = (name: string, value: string, id: string) =>
      html`<div data-stat=${id}>
        <dt>${name}</dt>
        <dd>${value}</dd>
      </div>`;
    return html` <dl class="figures">
        ${figure(l10n.t('free'), `${formatBytes(s.freeBytes)} (${pct(s.freeBytes, s.heapSize)})`, 'free')}
        ${figure(l10n.t('used'), `${formatBytes(s.allocatedBytes)} (${pct(s.allocatedBytes, s.heapSize)})`, 'used')}
        ${figure(l10n.t('largest free block'), formatBytes(s.largestFreeBlock), 'largest-free')}
        ${figure(l10n.t('largest allocation that fits'), formatBytes(s.largestAllocatable), 'largest-allocatable')}
        ${figure(l10n.t('fragmentation'), `${(100 * s.fragmentation).toFixed(1)}%`, 'fragmentation')}
        ${s.unknownBytes > 0 ? figure(l10n.t('unknown'), formatBytes(s.unknownBytes), 'unknown') : nothing}
      </dl>
      <stats-chart .series=${this.series} .heapSize=${s.heapSize} .current=${this.current}></stats-chart>
      <details open>
        <summary>${l10n.t('Per order')}</summary>
        <vscode-table class="per-order" aria-label=${l10n.t('Blocks per order')} zebra bordered-columns>
          <!-- vscode-table puts its header cells straight into a rowgroup; a row is what ARIA (and axe) need. -->
          <vscode-table-header slot="header" role="row">
            <vscode-table-header-cell class="num">${l10n.t('order')}</vscode-table-header-cell>
            <vscode-table-header-cell class="num">${l10n.t('block')}</vscode-table-header-cell>
            <vscode-table-header-cell class="num">${l10n.t('free')}</vscode-table-header-cell>
            <vscode-table-header-cell class="num">${l10n.t('allocated')}</vscode-table-header-cell>
          </vscode-table-header>
          <vscode-table-body slot="body">
            ${[...s.perOrder].reverse().map(
              o =>
                html`<vscode-table-row data-order=${o.order}>
                  <vscode-table-cell class="num">${o.order}</vscode-table-cell>
                  <vscode-table-cell class="num">${formatBytes(o.blockSize)}</vscode-table-cell>
                  <vscode-table-cell class="num">${o.freeBlocks}</vscode-table-cell>
                  <vscode-table-cell class="num">${o.allocatedBlocks}</vscode-table-cell>
                </vscode-table-row>`,
            )}
          </vscode-table-body>
        </vscode-table>
      </details>`;
  }
}

function pct(part: number, whole: number): string {
  return whole > 0 ? `${((100 * part) / whole).toFixed(1)}%` : '0%';
}

declare global {
  interface HTMLElementTagNameMap {
    'heap-stats': HeapStatsElement;
  }
}
