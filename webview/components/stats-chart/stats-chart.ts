// A small chart of the statistics over the operation history: free bytes, the largest free block
// and fragmentation, with the shown step marked. Click a point to step there.
import * as l10n from '@vscode/l10n';
import { LitElement, css, html, svg } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { WireSeries } from '../../../core/protocol/viewModel';

const W = 320;
const H = 90;
/** Most points drawn; longer histories are sampled (max per bucket keeps peaks visible). */
const MAX_POINTS = 400;

/**
 * @tag stats-chart
 * @fires step-to - detail `{ step }` when the chart is clicked.
 */
@customElement('stats-chart')
export class StatsChart extends LitElement {
  static override styles = css`
    :host {
      display: block;
    }
    svg {
      width: 100%;
      height: 90px;
      display: block;
      cursor: pointer;
    }
    .axis {
      stroke: var(--vscode-widget-border, rgba(128, 128, 128, 0.4));
      stroke-width: 1;
    }
    .free {
      stroke: var(--vscode-charts-green, #89d185);
      fill: none;
      stroke-width: 1.5;
    }
    .largest {
      stroke: var(--vscode-charts-blue, #3794ff);
      fill: none;
      stroke-width: 1.5;
    }
    .frag {
      stroke: var(--vscode-charts-red, #f14c4c);
      fill: none;
      stroke-width: 1;
      stroke-dasharray: 3 2;
    }
    .cursor {
      stroke: var(--vscode-focusBorder, #007fd4);
      stroke-width: 1.5;
    }
    .legend {
      display: flex;
      gap: 10px;
      font-size: 11px;
      color: var(--vscode-descriptionForeground, #9d9d9d);
    }
    /* Each key is a short stroke in its line's color and style, then the words in the text color. */
    .key::before {
      content: '';
      display: inline-block;
      width: 14px;
      margin-right: 4px;
      vertical-align: middle;
      border-top: 2px solid;
    }
    .key-free::before {
      border-top-color: var(--vscode-charts-green, #89d185);
    }
    .key-largest::before {
      border-top-color: var(--vscode-charts-blue, #3794ff);
    }
    .key-frag::before {
      border-top: 2px dashed var(--vscode-charts-red, #f14c4c);
    }
  `;

  @property({ attribute: false }) series: WireSeries | undefined;
  @property({ type: Number }) heapSize = 1;
  @property({ type: Number }) current = 0;

  override render() {
    const s = this.series;
    if (!s || s.freeBytes.length === 0) return html``;
    const n = s.freeBytes.length;
    const x = (step: number) => (n <= 1 ? 0 : (step / (n - 1)) * W);
    const yBytes = (v: number) => H - 2 - (v / (this.heapSize || 1)) * (H - 4);
    const yFrac = (v: number) => H - 2 - v * (H - 4);
    const line = (values: Float64Array, y: (v: number) => number) => {
      const stride = Math.max(1, Math.ceil(n / MAX_POINTS));
      const points: string[] = [];
      for (let i = 0; i < n; i += stride) points.push(`${x(i).toFixed(1)},${y(values[i]!).toFixed(1)}`);
      points.push(`${x(n - 1).toFixed(1)},${y(values[n - 1]!).toFixed(1)}`);
      return points.join(' ');
    };
    const last = n - 1;
    return html` <svg
        viewBox="0 0 ${W} ${H}"
        preserveAspectRatio="none"
        role="img"
        aria-label=${l10n.t(
          'Statistics over {0} steps; at step {1}: {2} bytes free, largest free block {3} bytes, fragmentation {4}%',
          n,
          this.current,
          Math.round(s.freeBytes[this.current] ?? 0),
          Math.round(s.largestFree[this.current] ?? 0),
          Math.round(100 * (s.fragmentation[this.current] ?? 0)),
        )}
        @click=${(e: MouseEvent) => this.onClick(e, n)}
      >
        ${svg`<line class="axis" x1="0" y1="${H - 1}" x2="${W}" y2="${H - 1}"></line>
        <polyline class="free" points="${line(s.freeBytes, yBytes)}"></polyline>
        <polyline class="largest" points="${line(s.largestFree, yBytes)}"></polyline>
        <polyline class="frag" points="${line(s.fragmentation, yFrac)}"></polyline>
        <line class="cursor" x1="${x(Math.min(this.current, last))}" y1="0" x2="${x(Math.min(this.current, last))}" y2="${H}"></line>`}
      </svg>
      <div class="legend" aria-hidden="true">
        <span class="key key-free">${l10n.t('free bytes')}</span><span class="key key-largest">${l10n.t('largest free block')}</span
        ><span class="key key-frag">${l10n.t('fragmentation')}</span>
      </div>`;
  }

  private onClick(event: MouseEvent, n: number): void {
    const rect = (event.currentTarget as SVGElement).getBoundingClientRect();
    const step = Math.round(((event.clientX - rect.left) / rect.width) * (n - 1));
    this.dispatchEvent(new CustomEvent('step-to', { detail: { step: Math.max(0, Math.min(n - 1, step)) }, bubbles: true, composed: true }));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'stats-chart': StatsChart;
  }
}
