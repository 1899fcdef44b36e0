// Statistics: free and used bytes, the largest free block, the largest allocation that would
// succeed now, fragmentation, per-order counts, and the chart over the history.
import * as l10n from '@vscode/l10n';
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { formatBytes } from '../../../core/layout';
import type { WireSeries, WireStats } from '../../../core/protocol/viewModel';
import { sharedStyles } from '../../styles/shared';
import '../stats-chart/stats-chart';

/** @tag heap-stats */
@customElement('heap-stats')
export class HeapStatsElement extends LitElement {
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
        <table aria-label=${l10n.t('Blocks per order')}>
          <thead>
            <tr>
              <th class="num">${l10n.t('order')}</th>
              <th class="num">${l10n.t('block')}</th>
              <th class="num">${l10n.t('free')}</th>
              <th class="num">${l10n.t('allocated')}</th>
            </tr>
          </thead>
          <tbody>
            ${[...s.perOrder].reverse().map(
              o =>
                html`<tr data-order=${o.order}>
                  <td class="num">${o.order}</td>
                  <td class="num">${formatBytes(o.blockSize)}</td>
                  <td class="num">${o.freeBlocks}</td>
                  <td class="num">${o.allocatedBlocks}</td>
                </tr>`,
            )}
          </tbody>
        </table>
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
