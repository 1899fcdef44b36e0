// The whole heap in a narrow strip, top to bottom, shaded by how much of each slice is allocated,
// with the block map's visible window outlined. Click or drag to pan the map there.
import { LitElement, css, html } from 'lit';
import { customElement, property, query } from 'lit/decorators.js';
import { WireBlockState } from '../../../core/protocol/viewModel';
import type { HeapIndex } from '../../model/heapIndex';
import { MapPalette, mix } from '../../theme/palette';
import { POW2 } from '../../model/heapIndex';

/**
 * @tag heap-minimap
 * @fires pan-to - detail `{ fraction }`: the heap position (0..1) to center the map on.
 */
@customElement('heap-minimap')
export class HeapMinimap extends LitElement {
  static override styles = css`
    :host {
      display: block;
      position: relative;
      height: 100%;
    }
    /* Absolutely placed: the canvas's pixel size must never feed back into its layout size. */
    canvas {
      position: absolute;
      inset: 0;
      box-sizing: border-box;
      width: 100%;
      height: 100%;
      border: 1px solid var(--vscode-widget-border, var(--vscode-panel-border, rgba(128, 128, 128, 0.35)));
      cursor: pointer;
    }
    canvas:focus-visible {
      outline: 2px solid var(--vscode-focusBorder, #007fd4);
    }
  `;

  @property({ attribute: false }) index: HeapIndex | undefined;
  @property({ attribute: false }) viewStart = 0;
  @property({ attribute: false }) viewEnd = 1;
  @property() colorBy = 'order';
  /** The block map's palette (read once per theme there, not on every pan here). */
  @property({ attribute: false }) palette: MapPalette | undefined;

  @query('canvas') private canvas!: HTMLCanvasElement;

  /** The heap's shading per pixel row, recomputed only when the heap changes. */
  private shade: ImageData | undefined;
  private shadeFor: HeapIndex | undefined;
  private dragging = false;

  override render() {
    return html`<canvas tabindex="0" role="slider" aria-label="Heap overview: position of the block map"
      aria-valuemin="0" aria-valuemax="100" aria-valuenow=${Math.round(this.viewStart * 100)}
      aria-valuetext=${`showing ${Math.round(this.viewStart * 100)}% to ${Math.round(this.viewEnd * 100)}% of the heap`}
      @pointerdown=${this.onDown} @pointermove=${this.onMove} @pointerup=${this.onUp} @keydown=${this.onKey}></canvas>`;
  }

  private size = { w: 0, h: 0 };
  private resizeObserver: ResizeObserver | undefined;
  private shadeTimer = 0;

  override firstUpdated(): void {
    this.resizeObserver = new ResizeObserver(entries => {
      const box = entries[0]?.contentRect;
      if (!box) return;
      this.size = { w: Math.max(1, Math.floor(box.width)), h: Math.max(1, Math.floor(box.height)) };
      this.shade = undefined;
      this.paint();
    });
    this.resizeObserver.observe(this.canvas);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.resizeObserver?.disconnect();
    clearTimeout(this.shadeTimer);
  }

  override updated(changed: Map<string, unknown>): void {
    if (changed.has('index') || changed.has('palette')) {
      // The overview is not urgent: shade it after the map's first paint.
      this.shade = undefined;
      clearTimeout(this.shadeTimer);
      requestAnimationFrame(() => { this.shadeTimer = window.setTimeout(() => this.paint(), 0); });
      return;
    }
    this.paint();
  }

  private paint(): void {
    const canvas = this.canvas;
    const index = this.index;
    const palette = this.palette;
    const { w, h } = this.size;
    if (!canvas || !index || !palette || w === 0) return;
    if (canvas.width !== w) canvas.width = w;
    if (canvas.height !== h) canvas.height = h;
    const ctx = canvas.getContext('2d');
    if (!ctx) return;
    if (this.shadeFor !== index || !this.shade) {
      // One pass over the blocks: allocated leaves per pixel row.
      const used = new Float64Array(h);
      const perRow = index.totalLeaves / h;
      const codes = index.view.blocks.codes;
      const starts = index.leafStart;
      for (let i = 0; i < index.count; i++) {
        const code = codes[i]!;
        if (code >> 5 === WireBlockState.Free) continue;
        let from = starts[i]!;
        const to = from + POW2[code & 31]!;
        const rowA = Math.min(h - 1, Math.floor(from / perRow));
        if (rowA === Math.min(h - 1, Math.floor((to - 1) / perRow))) {
          used[rowA]! += to - from;
          continue;
        }
        while (from < to) {
          const row = Math.min(h - 1, Math.floor(from / perRow));
          const rowEnd = row === h - 1 ? to : Math.min(to, (row + 1) * perRow);
          used[row]! += rowEnd - from;
          from = rowEnd > from ? rowEnd : to; // never stall on a rounding edge
        }
      }
      const image = ctx.createImageData(w, h);
      const pixels = new Uint32Array(image.data.buffer);
      for (let y = 0; y < h; y++) pixels.fill(mix(palette.free, palette.hues[0]!, Math.min(1, used[y]! / perRow)), y * w, (y + 1) * w);
      this.shade = image;
      this.shadeFor = index;
    }
    ctx.putImageData(this.shade, 0, 0);
    ctx.strokeStyle = palette.focus;
    ctx.lineWidth = 2;
    const y0 = this.viewStart * h;
    const y1 = Math.max(y0 + 3, this.viewEnd * h);
    ctx.strokeRect(1, y0 + 1, w - 2, y1 - y0 - 2);
  }

  private panTo(event: PointerEvent): void {
    const rect = this.canvas.getBoundingClientRect();
    const fraction = Math.max(0, Math.min(1, (event.clientY - rect.top) / rect.height));
    this.dispatchEvent(new CustomEvent('pan-to', { detail: { fraction }, bubbles: true, composed: true }));
  }

  private onDown = (event: PointerEvent) => {
    this.dragging = true;
    this.canvas.setPointerCapture?.(event.pointerId);
    this.panTo(event);
  };

  private onMove = (event: PointerEvent) => {
    if (this.dragging) this.panTo(event);
  };

  private onUp = () => {
    this.dragging = false;
  };

  private onKey = (event: KeyboardEvent) => {
    const step = event.key === 'ArrowDown' ? 0.05 : event.key === 'ArrowUp' ? -0.05 : 0;
    if (!step) return;
    event.preventDefault();
    const center = (this.viewStart + this.viewEnd) / 2 + step;
    this.dispatchEvent(new CustomEvent('pan-to', { detail: { fraction: Math.max(0, Math.min(1, center)) }, bubbles: true, composed: true }));
  };
}

declare global {
  interface HTMLElementTagNameMap {
    'heap-minimap': HeapMinimap;
  }
}
