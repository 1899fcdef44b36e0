// The whole heap in a narrow strip, top to bottom: each slice in the map's color for it (by order
// or by owner: its dominant block color), shaded toward free by how much of it is free, with the
// block map's visible window outlined. Click or drag to pan the map there.
import * as l10n from '@vscode/l10n';
import { LitElement, css, html } from 'lit';
import { customElement, property, query } from 'lit/decorators.js';
import { WireBlockState } from '../../../core/protocol/viewModel';
import type { HeapIndex } from '../../model/heapIndex';
import type { BlockColors } from '../../theme/blockColors';
import { MapPalette, mix } from '../../theme/palette';
import { POW2 } from '../../../core/util/powersOfTwo';

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
  /** The block map's palette (read once per theme there, not on every pan here). */
  @property({ attribute: false }) palette: MapPalette | undefined;
  /** The block map's colors for allocated blocks (its coloring by order or by owner). */
  @property({ attribute: false }) colors: BlockColors | undefined;

  @query('canvas') private canvas!: HTMLCanvasElement;

  /** The heap's shading per pixel row, recomputed only when the heap or its colors change. */
  private shade: ImageData | undefined;
  /** The heap `shade` shows (a patch of it is shaded again only where it changed). */
  private shaded: HeapIndex | undefined;
  private dragging = false;

  override render() {
    return html`<canvas
      tabindex="0"
      role="slider"
      aria-label=${l10n.t('Heap overview: position of the block map')}
      aria-valuemin="0"
      aria-valuemax="100"
      aria-valuenow=${Math.round(this.viewStart * 100)}
      aria-valuetext=${l10n.t('showing {0}% to {1}% of the heap', Math.round(this.viewStart * 100), Math.round(this.viewEnd * 100))}
      @pointerdown=${this.onDown}
      @pointermove=${this.onMove}
      @pointerup=${this.onUp}
      @keydown=${this.onKey}
    ></canvas>`;
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
    const change = this.index?.change;
    if (
      changed.has('index') &&
      !changed.has('palette') &&
      !changed.has('colors') &&
      this.shade &&
      change &&
      change.previous === this.shaded
    ) {
      // A patched heap: shade again only the rows of the block the patch replaced.
      this.shadeRows(this.shade, change.leaf, change.leaf + change.leaves);
      this.shaded = this.index;
      this.paint();
      return;
    }
    if (changed.has('index') || changed.has('palette') || changed.has('colors')) {
      // The overview is not urgent: shade it after the map's first paint.
      this.shade = undefined;
      clearTimeout(this.shadeTimer);
      requestAnimationFrame(() => {
        this.shadeTimer = window.setTimeout(() => this.paint(), 0);
      });
      return;
    }
    this.paint();
  }

  private paint(): void {
    const canvas = this.canvas;
    const index = this.index;
    const palette = this.palette;
    const colors = this.colors;
    const { w, h } = this.size;
    if (!canvas || !index || !palette || !colors || w === 0) return;
    if (canvas.width !== w) canvas.width = w;
    if (canvas.height !== h) canvas.height = h;
    const ctx = canvas.getContext('2d');
    if (!ctx) return;
    if (!this.shade) {
      this.shade = ctx.createImageData(w, h);
      this.shadeRows(this.shade, 0, index.totalLeaves);
      this.shaded = index;
    }
    ctx.putImageData(this.shade, 0, 0);
    ctx.strokeStyle = palette.focus;
    ctx.lineWidth = 2;
    const y0 = this.viewStart * h;
    const y1 = Math.max(y0 + 3, this.viewEnd * h);
    ctx.strokeRect(1, y0 + 1, w - 2, y1 - y0 - 2);
  }

  /**
   * Shades the pixel rows holding leaves [fromLeaf, toLeaf): per row its allocated leaves and
   * dominant color (a weighted majority vote, as the map does for cells holding several blocks).
   */
  private shadeRows(image: ImageData, fromLeaf: number, toLeaf: number): void {
    const index = this.index!;
    const palette = this.palette!;
    const colors = this.colors!;
    const { width: w, height: h } = image;
    const perRow = index.totalLeaves / h;
    const rowFrom = Math.min(h - 1, Math.floor(fromLeaf / perRow));
    const rowTo = Math.min(h - 1, Math.floor((toLeaf - 1) / perRow));
    const rows = rowTo - rowFrom + 1;
    const used = new Float64Array(rows);
    const lead = new Uint32Array(rows);
    const weight = new Float64Array(rows);
    const vote = (row: number, leaves: number, color: number) => {
      used[row]! += leaves;
      if (lead[row] === color) weight[row]! += leaves;
      else if (weight[row]! >= leaves) weight[row]! -= leaves;
      else {
        lead[row] = color;
        weight[row] = leaves - weight[row]!;
      }
    };
    const codes = index.view.blocks.codes;
    const owners = index.view.blocks.owners;
    const table = colors.allocated;
    const firstLeaf = rowFrom * perRow;
    const endLeaf = (rowTo + 1) * perRow;
    // From the heap's start no leaf index is needed (the first shade of a new heap builds none).
    const first = firstLeaf <= 0 ? 0 : index.blockAtLeaf(Math.floor(firstLeaf));
    const starts = first === 0 && rows === h ? undefined : index.leafStart;
    for (let i = first, leaf = starts ? starts[first]! : 0; i < index.count && leaf < endLeaf; i++) {
      const code = codes[i]!;
      const size = POW2[code & 31]!;
      const from = leaf;
      const to = from + size;
      leaf = to;
      const state = code >> 5;
      if (state === WireBlockState.Free) continue;
      const color = state === WireBlockState.Unknown ? palette.unknown : table[colors.byOwner ? owners[i]! : code & 31]!;
      const rowA = Math.max(rowFrom, Math.min(h - 1, Math.floor(from / perRow)));
      const rowB = Math.min(rowTo, Math.floor((to - 1) / perRow));
      // Each row the block covers gets its share. Rows by index, not by stepping a leaf position:
      // (row + 1) * perRow / perRow can round just below row + 1 and end the walk early.
      for (let row = rowA; row <= rowB; row++) {
        const a = Math.max(from, row * perRow);
        const b = row === h - 1 ? to : Math.min(to, (row + 1) * perRow);
        if (b > a) vote(row - rowFrom, b - a, color);
      }
    }
    const pixels = new Uint32Array(image.data.buffer);
    for (let r = 0; r < rows; r++) {
      const y = rowFrom + r;
      pixels.fill(used[r]! > 0 ? mix(palette.free, lead[r]!, Math.min(1, used[r]! / perRow)) : palette.free, y * w, (y + 1) * w);
    }
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
    this.dispatchEvent(
      new CustomEvent('pan-to', { detail: { fraction: Math.max(0, Math.min(1, center)) }, bubbles: true, composed: true }),
    );
  };
}

declare global {
  interface HTMLElementTagNameMap {
    'heap-minimap': HeapMinimap;
  }
}
