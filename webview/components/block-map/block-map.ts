// The block map: every block of the heap at its address, on a canvas painted pixel by pixel, so a
// million minimum blocks repaint in milliseconds. Zoom (buttons, +/-, Ctrl+wheel), pan (wheel,
// drag, PageUp/PageDown, the minimap), hover tooltip, click to select, arrow keys to walk blocks.
import '@vscode-elements/elements/dist/vscode-option/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import '@vscode-elements/elements/dist/vscode-toolbar-button/index.js';
import * as l10n from '@vscode/l10n';
import { LitElement, html, nothing } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import { formatBytes } from '../../../core/layout';
import { PARENT_NONE, type WireDiff, type WireOwnership } from '../../../core/protocol/viewModel';
import { HeapIndex } from '../../model/heapIndex';
import { Geometry, MAX_ZOOM, fitZoom, geometry, leafAt, minZoom, regionRect } from '../../model/mapGeometry';
import { OwnerSlots, SLOT_NONE, SLOT_OTHER } from '../../model/ownerSlots';
import { BlockColors, ColorBy, blockColors, slotsFor } from '../../theme/blockColors';
import { ownerSwatchStyles, slotClass, writeOwnerColors } from '../../theme/ownerSwatches';
import { MapPalette, readPalette, toCss } from '../../theme/palette';
import { watchTheme } from '../../theme/themeWatch';
import { requestText, stateName } from '../../l10n/words';
import { sharedStyles } from '../../styles/shared';
import { blockMapStyles } from './block-map.styles';
import { PERSISTING_STOPS, Region, paintOverlays } from './mapOverlays';
import { MapPainter } from './mapPainter';
import { RulerLabel, paintRuler, rulerChars } from './mapRuler';
import '../heap-minimap/heap-minimap';
import { timingMark } from '../../util/timingMark';

export type { ColorBy };

export interface PaintStats {
  /** Milliseconds the last paint took. */
  readonly lastPaintMs: number;
  readonly paints: number;
  /** performance.now() when the last paint ended. */
  readonly paintedAt: number;
}

/**
 * @tag block-map
 * @fires block-select - detail `{ offset: number | null }` when the user selects a block.
 * @fires viewport-change - detail `{ zoom, scrollFraction }` after zooming or panning.
 * @fires palette-change - detail `{ palette }` when the colors were read from the theme.
 */
@customElement('block-map')
export class BlockMap extends LitElement {
  static override styles = [sharedStyles, ownerSwatchStyles, blockMapStyles];

  @property({ attribute: false }) index: HeapIndex | undefined;
  @property({ attribute: false }) selection: number | null = null;
  @property({ attribute: false }) diff: WireDiff | null = null;
  /** Blocks a notice is about (e.g. allocations standing in the way). */
  @property({ attribute: false }) highlights: readonly Region[] = [];
  @property() colorBy: ColorBy = 'order';
  /** Owner color slots for this view (kept per label across views by the app). */
  @property({ attribute: false }) owners: OwnerSlots | undefined;
  /** Zoom and scroll to restore (from the webview's saved state). */
  @property({ attribute: false }) initialView: { zoom?: number; scrollFraction?: number } = {};

  @state() private hoverLeaf = -1;
  @state() private announcement = '';
  @state() private viewportFraction: [number, number] = [0, 1];

  @query('canvas.map') private canvas!: HTMLCanvasElement;
  @query('canvas.ruler') private ruler!: HTMLCanvasElement;
  @query('.viewport') private viewport!: HTMLElement;
  @query('.tooltip') private tooltip!: HTMLElement;

  paintStats: PaintStats = { lastPaintMs: 0, paints: 0, paintedAt: 0 };
  /** The address ruler's labels as last painted. */
  rulerLabels: readonly RulerLabel[] = [];

  private zoom: number | undefined;
  private scrollPx = 0;
  private widthPx = 0;
  private heightPx = 0;
  private dpr = 1;
  @state() private palette: MapPalette | undefined;
  private readonly painter = new MapPainter();
  private frame = 0;
  private resizeObserver: ResizeObserver | undefined;
  private unwatchTheme: (() => void) | undefined;
  private drag: { y: number; scroll: number; moved: boolean } | undefined;
  private layoutKey = '';

  override connectedCallback(): void {
    super.connectedCallback();
    // A new theme: re-read the colors and repaint (the minimap follows the new palette).
    this.unwatchTheme = watchTheme(() => {
      this.palette = undefined;
      this.schedulePaint();
    });
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.resizeObserver?.disconnect();
    this.unwatchTheme?.();
    cancelAnimationFrame(this.frame);
  }

  override firstUpdated(): void {
    this.resizeObserver = new ResizeObserver(() => this.measure());
    this.resizeObserver.observe(this.viewport);
    // updated() paints the first heap right after this.
    this.measure(false);
  }

  override updated(changed: Map<string, unknown>): void {
    if (changed.has('index') && this.index) {
      const key = `${this.index.view.layout.size}/${this.index.view.layout.minBlockSize}`;
      if (key !== this.layoutKey) {
        // A different heap shape: fit it (or restore the saved view the first time).
        const first = this.layoutKey === '';
        this.layoutKey = key;
        // The ruler's width follows the address length (CSSOM: allowed under the CSP); the
        // resize it causes re-measures the map.
        this.style.setProperty('--ruler-chars', String(rulerChars(this.index)));
        this.zoom = first && this.initialView.zoom !== undefined ? this.clampZoom(this.initialView.zoom) : undefined;
        this.scrollPx = 0;
        if (first && this.initialView.scrollFraction !== undefined) this.pendingScrollFraction = this.initialView.scrollFraction;
      }
    }
    if (changed.has('selection') && this.selection !== null && changed.get('selection') !== undefined) this.revealOffset(this.selection);
    if (changed.has('index')) {
      // A new heap paints now, not a frame later: it is what the user is waiting for.
      cancelAnimationFrame(this.frame);
      this.frame = 0;
      this.paint();
    } else if (
      changed.has('selection') ||
      changed.has('diff') ||
      changed.has('colorBy') ||
      changed.has('owners') ||
      changed.has('highlights') ||
      changed.has('hoverLeaf')
    ) {
      this.schedulePaint();
    }
  }

  private pendingScrollFraction: number | undefined;
  //#region public view control

  zoomIn(): void {
    this.setZoom((this.currentGeometry()?.zoom ?? 0) + 1);
  }

  zoomOut(): void {
    this.setZoom((this.currentGeometry()?.zoom ?? 0) - 1);
  }

  zoomToFit(): void {
    this.zoom = undefined;
    this.scrollPx = 0;
    this.viewChanged();
  }

  /** Scrolls so that this fraction of the heap is at the top of the view (the minimap's pan). */
  panToFraction(fraction: number): void {
    const g = this.currentGeometry();
    if (!g) return;
    this.scrollPx = this.clampScroll(fraction * g.contentPx - this.heightPx / 2, g);
    this.viewChanged();
  }

  /** Scrolls the block at this offset into view. */
  revealOffset(offset: number): void {
    const g = this.currentGeometry();
    const index = this.index;
    if (!g || !index) return;
    const rect = regionRect(g, Math.floor(offset / index.minBlock), 1);
    if (rect.y < this.scrollPx || rect.y + rect.h > this.scrollPx + this.heightPx) {
      this.scrollPx = this.clampScroll(rect.y - this.heightPx / 3, g);
      this.viewChanged();
    }
  }

  /**
   * Where the block at this offset is drawn, in page (client) CSS pixels, or undefined when it is
   * scrolled out of view. For tooltips of other views and for tests that point at blocks.
   */
  rectOf(offset: number): { x: number; y: number; w: number; h: number } | undefined {
    const g = this.currentGeometry();
    const index = this.index;
    if (!g || !index || !this.canvas) return undefined;
    const i = index.blockAtOffset(offset);
    if (i < 0) return undefined;
    const block = index.block(i);
    const r = regionRect(g, block.offset / index.minBlock, 2 ** block.order);
    const y = r.y - this.scrollPx;
    if (y + r.h <= 0 || y >= this.heightPx) return undefined;
    const canvasRect = this.canvas.getBoundingClientRect();
    return { x: canvasRect.left + r.x / this.dpr, y: canvasRect.top + y / this.dpr, w: r.w / this.dpr, h: r.h / this.dpr };
  }

  /** The zoom level and the scroll position (device pixels), for tests and the bench. */
  get viewState(): { zoom: number | undefined; scrollPx: number; contentPx: number } {
    return { zoom: this.zoom, scrollPx: this.scrollPx, contentPx: this.currentGeometry()?.contentPx ?? 0 };
  }

  /** Scrolls by device pixels (the bench's panning). */
  panBy(px: number): void {
    const g = this.currentGeometry();
    if (!g) return;
    this.scrollPx = this.clampScroll(this.scrollPx + px, g);
    this.viewChanged();
  }

  //#endregion

  override render() {
    const index = this.index;
    const hover = index && this.hoverLeaf >= 0 ? index.block(index.blockAtLeaf(this.hoverLeaf)) : undefined;
    return html`
      <div class="bar">
        <span aria-hidden="true">${l10n.t('Color by')}</span>
        <vscode-single-select
          label=${l10n.t('Color blocks by')}
          .value=${this.colorBy}
          @change=${(e: Event) => this.setColorBy((e.target as HTMLInputElement).value as ColorBy)}
        >
          <vscode-option value="order" ?selected=${this.colorBy === 'order'}>${l10n.t('order')}</vscode-option>
          <vscode-option value="owner" ?selected=${this.colorBy === 'owner'}>${l10n.t('owner')}</vscode-option>
        </vscode-single-select>
        <div class="zoom" role="toolbar" aria-label=${l10n.t('Zoom')}>
          <vscode-toolbar-button
            icon="zoom-in"
            label=${l10n.t('Zoom in')}
            title=${l10n.t('Zoom in (+)')}
            @click=${() => this.zoomIn()}
          ></vscode-toolbar-button>
          <vscode-toolbar-button
            icon="zoom-out"
            label=${l10n.t('Zoom out')}
            title=${l10n.t('Zoom out (-)')}
            @click=${() => this.zoomOut()}
          ></vscode-toolbar-button>
          <vscode-toolbar-button
            icon="screen-normal"
            label=${l10n.t('Zoom to fit')}
            title=${l10n.t('Fit the heap (0)')}
            @click=${() => this.zoomToFit()}
          ></vscode-toolbar-button>
        </div>
        <span class="spacer"></span>
        <span class="legend" aria-hidden="true">
          <span><span class="swatch free"></span> ${l10n.t('free')}</span>
          ${this.colorBy === 'owner' && index ? this.ownerLegend(index) : html`<span><span class="swatch hue0"></span><span class="swatch hue1"></span><span class="swatch hue2"></span> ${l10n.t('allocated')}</span>`}
          <span><span class="swatch sel"></span> ${l10n.t('selected')}</span>
          <span><span class="swatch buddy"></span> ${l10n.t('buddy')}</span>
          <span><span class="swatch new"></span> ${l10n.t('new')}</span>
          <span><span class="swatch freed"></span> ${l10n.t('freed')}</span>
          <span><span class="swatch split"></span> ${l10n.t('split')}</span>
          <span><span class="swatch merged"></span> ${l10n.t('merged')}</span>
          ${
            index?.view.ownership && index.view.ownership.leakStops.some(n => n >= PERSISTING_STOPS)
              ? html`<span><span class="swatch leak"></span> ${l10n.t('leak suspect at several stops')}</span>`
              : nothing
          }
        </span>
      </div>
      <div class="frame">
        <canvas class="ruler" aria-hidden="true"></canvas>
        <div
          class="viewport"
          @pointerdown=${this.onPointerDown}
          @pointermove=${this.onPointerMove}
          @pointerup=${this.onPointerUp}
          @pointerleave=${this.onPointerLeave}
          @wheel=${this.onWheel}
        >
          <canvas
            class="map"
            tabindex="0"
            role="application"
            aria-roledescription=${l10n.t('heap block map')}
            aria-label=${this.summary()}
            aria-describedby="map-keys"
            @keydown=${this.onKeyDown}
          ></canvas>
          <div class="tooltip" role="tooltip" ?hidden=${!hover}>${hover ? this.tooltipContent(hover) : nothing}</div>
        </div>
        <heap-minimap
          .index=${this.index}
          .palette=${this.palette}
          .colors=${this.blockColors()}
          .viewStart=${this.viewportFraction[0]}
          .viewEnd=${this.viewportFraction[1]}
          @pan-to=${(e: CustomEvent<{ fraction: number }>) => this.panToFraction(e.detail.fraction)}
        ></heap-minimap>
      </div>
      <p id="map-keys" class="visually-hidden">
        ${l10n.t(
          'Arrow keys move between blocks, Home and End go to the first and last block, B jumps to the buddy, P to the parent block, plus and minus zoom, Page Up and Page Down scroll, Escape clears the selection.',
        )}
      </p>
      <div class="visually-hidden" aria-live="polite">${this.announcement}</div>
    `;
  }

  //#region painting

  /** Allocated blocks' colors for the current coloring (the same object while nothing changes). */
  private blockColors(): BlockColors | undefined {
    const index = this.index;
    if (!index || !this.palette) return undefined;
    return blockColors(this.palette, this.colorBy, slotsFor(index.view.ownerLabels, this.owners));
  }

  private schedulePaint(): void {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.paint();
    });
  }

  /** Paints now (tests and the bench call this to time a paint without waiting for a frame). */
  paint(): void {
    const started = performance.now();
    const index = this.index;
    const canvas = this.canvas;
    if (!canvas || !index || this.widthPx === 0 || this.heightPx === 0) return;
    const ctx = canvas.getContext('2d');
    if (!ctx) return;
    const palette = this.themePalette();
    const colors = this.blockColors()!;
    if (index.count === 0) {
      // A refused snapshot: nothing to draw; the findings say why.
      ctx.clearRect(0, 0, this.widthPx, this.heightPx);
      this.ruler.getContext('2d')?.clearRect(0, 0, this.ruler.width, this.ruler.height);
      this.rulerLabels = [];
      return;
    }
    const g = this.currentGeometry()!;
    if (this.pendingScrollFraction !== undefined) {
      this.scrollPx = this.clampScroll(this.pendingScrollFraction * g.contentPx, g);
      this.pendingScrollFraction = undefined;
    }
    this.scrollPx = this.clampScroll(this.scrollPx, g);
    this.rulerLabels = this.draw(ctx, index, g, palette, colors, Math.round(this.scrollPx));
    const ended = performance.now();
    timingMark('painted');
    this.paintStats = { lastPaintMs: ended - started, paints: this.paintStats.paints + 1, paintedAt: ended };
    this.dispatchEvent(new CustomEvent('map-painted', { detail: this.paintStats, bubbles: true, composed: true }));
  }

  /** The blocks, the overlays and the ruler of one view of a heap; returns the ruler's labels. */
  private draw(ctx: CanvasRenderingContext2D, index: HeapIndex, g: Geometry, palette: MapPalette, colors: BlockColors, scroll: number) {
    this.painter.paint(ctx, { index, geometry: g, palette, colors, scroll, width: this.widthPx, height: this.heightPx });
    paintOverlays(ctx, {
      index,
      geometry: g,
      palette,
      scroll,
      dpr: this.dpr,
      height: this.heightPx,
      diff: this.diff,
      highlights: this.highlights,
      selection: this.selection,
      hoverLeaf: this.hoverLeaf,
    });
    return paintRuler(this.ruler, {
      index,
      geometry: g,
      scroll,
      dpr: this.dpr,
      color: palette.ruler,
      fontPx: 11,
      fontFamily: palette.rulerFont,
    });
  }

  /** The theme's map colors, read on first use after each theme change. */
  private themePalette(): MapPalette {
    if (!this.palette) {
      this.palette = readPalette(this);
      // The legend shows the colors actually painted (CSSOM: allowed under the CSP).
      this.style.setProperty('--map-free-painted', toCss(this.palette.free));
      writeOwnerColors(this, this.palette);
      this.dispatchEvent(new CustomEvent('palette-change', { detail: { palette: this.palette }, bubbles: true, composed: true }));
    }
    return this.palette;
  }

  /**
   * Before the first heap: draws a throwaway heap (the panel's warm-up) with this map's own
   * painter, canvas, ruler and colors, still hidden, at a zoom level, fitted to the height or not.
   * The first real paint then runs code optimized on objects of the very shapes it gets (another
   * painter's would differ, and V8 would throw that code away), into buffers and a canvas backing
   * store that already exist, with the theme's colors already read. False once a heap is shown.
   */
  warmUpPaint(index: HeapIndex, colorBy: ColorBy, zoom: number, fitHeight: boolean): boolean {
    if (this.index || !this.canvas || this.widthPx === 0 || this.heightPx === 0) return false;
    const ctx = this.canvas.getContext('2d');
    if (!ctx) return false;
    const palette = this.themePalette();
    const colors = blockColors(palette, colorBy, slotsFor(index.view.ownerLabels, undefined));
    const g = geometry(index.totalLeaves, zoom, this.widthPx, this.dpr, fitHeight ? this.heightPx : 0);
    this.draw(ctx, index, g, palette, colors, 0);
    return true;
  }

  //#endregion

  //#region geometry and viewport

  /** Sizes the canvas to the viewport (an unchanged size keeps its pixels: nothing to repaint). */
  private measure(repaint = true): void {
    // The canvas's own box (the viewport's inside): the viewport's rect includes its border, and
    // a canvas 2 px larger than its box is drawn squeezed, off the positions rectOf reports.
    const rect = this.canvas.getBoundingClientRect();
    this.dpr = Math.max(1, Math.round(window.devicePixelRatio || 1));
    this.widthPx = Math.floor(rect.width) * this.dpr;
    this.heightPx = Math.floor(rect.height) * this.dpr;
    const resized = this.canvas.width !== this.widthPx || this.canvas.height !== this.heightPx;
    if (this.canvas.width !== this.widthPx) this.canvas.width = this.widthPx;
    if (this.canvas.height !== this.heightPx) this.canvas.height = this.heightPx;
    // Before the first heap (the map is built while the panel waits for it): its pixel buffer.
    const ctx = this.index || this.widthPx === 0 || this.heightPx === 0 ? null : this.canvas.getContext('2d');
    if (ctx) this.painter.prepare(ctx, this.widthPx, this.heightPx);
    const ruler = this.ruler.getBoundingClientRect();
    const rulerWidth = Math.floor(ruler.width) * this.dpr;
    if (this.ruler.width !== rulerWidth || this.ruler.height !== this.heightPx) {
      this.ruler.width = rulerWidth;
      this.ruler.height = this.heightPx;
      if (!resized && repaint) this.paint();
    }
    if (resized && repaint) {
      // Resizing cleared the canvas. ResizeObserver runs after this frame's animation callbacks,
      // so a scheduled paint would land a frame later: this frame (and anyone reading pixels
      // before the next one) would see an empty map. Paint now instead.
      cancelAnimationFrame(this.frame);
      this.frame = 0;
      this.paint();
    }
    this.updateViewportFraction();
  }

  private currentGeometry(): Geometry | undefined {
    const index = this.index;
    if (!index || this.widthPx === 0) return undefined;
    this.zoom ??= fitZoom(index.totalLeaves, this.widthPx, this.heightPx, this.dpr);
    return geometry(index.totalLeaves, this.zoom, this.widthPx, this.dpr, this.heightPx);
  }

  private clampZoom(z: number): number {
    return Math.max(minZoom(this.index?.totalLeaves ?? 1), Math.min(MAX_ZOOM, Math.round(z)));
  }

  private clampScroll(px: number, g: Geometry): number {
    return Math.max(0, Math.min(px, g.contentPx - this.heightPx));
  }

  /** Zooms keeping the leaf under the anchor (or the view's center) in place. */
  private setZoom(z: number, anchorY = this.heightPx / 2, anchorX = this.widthPx / 2): void {
    const before = this.currentGeometry();
    const index = this.index;
    if (!before || !index) return;
    const leaf = Math.max(
      0,
      leafAt(before, Math.min(anchorX, before.cols * before.cellPx - 1), this.scrollPx + anchorY, index.totalLeaves),
    );
    this.zoom = this.clampZoom(z);
    const after = this.currentGeometry()!;
    const rect = regionRect(after, leaf, 1);
    this.scrollPx = this.clampScroll(rect.y - anchorY, after);
    this.viewChanged();
  }

  private viewChanged(): void {
    this.schedulePaint();
    this.updateViewportFraction();
    const g = this.currentGeometry();
    this.dispatchEvent(
      new CustomEvent('viewport-change', {
        detail: { zoom: g?.zoom, scrollFraction: g && g.contentPx > 0 ? this.scrollPx / g.contentPx : 0 },
        bubbles: true,
        composed: true,
      }),
    );
  }

  private updateViewportFraction(): void {
    const g = this.currentGeometry();
    if (!g) return;
    const start = g.contentPx > 0 ? this.scrollPx / g.contentPx : 0;
    const end = g.contentPx > 0 ? Math.min(1, (this.scrollPx + this.heightPx) / g.contentPx) : 1;
    if (start !== this.viewportFraction[0] || end !== this.viewportFraction[1]) this.viewportFraction = [start, end];
  }

  private pointToLeaf(event: MouseEvent): number {
    const g = this.currentGeometry();
    const index = this.index;
    if (!g || !index) return -1;
    const rect = this.canvas.getBoundingClientRect();
    const x = (event.clientX - rect.left) * this.dpr;
    const y = (event.clientY - rect.top) * this.dpr + this.scrollPx;
    return leafAt(g, x, y, index.totalLeaves);
  }

  //#endregion

  //#region input

  private onPointerDown = (event: PointerEvent) => {
    if (event.button !== 0) return;
    this.drag = { y: event.clientY, scroll: this.scrollPx, moved: false };
    this.viewport.setPointerCapture?.(event.pointerId);
  };

  private onPointerMove = (event: PointerEvent) => {
    if (this.drag) {
      const dy = (event.clientY - this.drag.y) * this.dpr;
      if (Math.abs(dy) > 3) this.drag.moved = true;
      if (this.drag.moved) {
        const g = this.currentGeometry();
        if (g) this.scrollPx = this.clampScroll(this.drag.scroll - dy, g);
        this.viewChanged();
        return;
      }
    }
    const leaf = this.pointToLeaf(event);
    if (leaf !== this.hoverLeaf) this.hoverLeaf = leaf;
    this.placeTooltip(event);
  };

  private onPointerUp = (event: PointerEvent) => {
    const drag = this.drag;
    this.drag = undefined;
    if (drag?.moved) return;
    const leaf = this.pointToLeaf(event);
    const index = this.index;
    if (!index) return;
    this.canvas.focus({ preventScroll: true });
    this.selectBlock(leaf < 0 ? null : index.block(index.blockAtLeaf(leaf)).offset);
  };

  private onPointerLeave = () => {
    this.hoverLeaf = -1;
  };

  private onWheel = (event: WheelEvent) => {
    event.preventDefault();
    if (event.ctrlKey || event.metaKey) {
      const rect = this.canvas.getBoundingClientRect();
      this.setZoom(
        (this.currentGeometry()?.zoom ?? 0) + (event.deltaY < 0 ? 1 : -1),
        (event.clientY - rect.top) * this.dpr,
        (event.clientX - rect.left) * this.dpr,
      );
      return;
    }
    const g = this.currentGeometry();
    if (!g) return;
    const lines = event.deltaMode === 1 ? event.deltaY * 16 : event.deltaMode === 2 ? event.deltaY * this.heightPx : event.deltaY;
    this.scrollPx = this.clampScroll(this.scrollPx + lines * this.dpr, g);
    this.viewChanged();
  };

  private onKeyDown = (event: KeyboardEvent) => {
    const index = this.index;
    const g = this.currentGeometry();
    if (!index || !g || index.count === 0) return;
    const current = this.selection !== null ? index.blockAtOffset(this.selection) : -1;
    const at = current >= 0 ? index.block(current) : undefined;
    let target: number | null | undefined;
    switch (event.key) {
      case 'ArrowRight':
        target = index.block(Math.min(index.count - 1, current + 1)).offset;
        break;
      case 'ArrowLeft':
        target = index.block(Math.max(0, current - 1)).offset;
        break;
      case 'ArrowDown':
      case 'ArrowUp': {
        const rowLeaves = g.cols * g.leavesPerCell;
        const leaf = at ? at.offset / index.minBlock : 0;
        const next =
          event.key === 'ArrowDown'
            ? Math.min(index.totalLeaves - 1, leaf + (at ? Math.max(rowLeaves, 2 ** at.order) : 0))
            : Math.max(0, leaf - rowLeaves);
        target = index.block(index.blockAtLeaf(next)).offset;
        break;
      }
      case 'Home':
        target = 0;
        break;
      case 'End':
        target = index.block(index.count - 1).offset;
        break;
      case 'b':
      case 'B': {
        const buddy = at && index.buddyOf(at.offset, at.order);
        if (buddy) target = buddy.offset;
        break;
      }
      case 'p':
      case 'P': {
        const parent = at && index.ancestorsOf(at.offset, at.order)[0];
        if (parent) target = parent.offset;
        break;
      }
      case 'Escape':
        target = null;
        break;
      case '+':
      case '=':
        this.zoomIn();
        break;
      case '-':
      case '_':
        this.zoomOut();
        break;
      case '0':
        this.zoomToFit();
        break;
      case 'PageDown':
        this.scrollPx = this.clampScroll(this.scrollPx + this.heightPx * 0.9, g);
        this.viewChanged();
        break;
      case 'PageUp':
        this.scrollPx = this.clampScroll(this.scrollPx - this.heightPx * 0.9, g);
        this.viewChanged();
        break;
      default:
        return;
    }
    event.preventDefault();
    if (target !== undefined) this.selectBlock(target);
  };

  private selectBlock(offset: number | null): void {
    const index = this.index;
    if (index && offset !== null) {
      const block = index.block(index.blockAtOffset(offset));
      offset = block.offset;
      this.announcement = l10n.t('Selected {0}', this.describe(block.index));
    } else {
      this.announcement = l10n.t('Selection cleared');
    }
    this.dispatchEvent(new CustomEvent('block-select', { detail: { offset }, bubbles: true, composed: true }));
  }

  private setColorBy(value: ColorBy): void {
    this.colorBy = value;
    this.dispatchEvent(new CustomEvent('color-by-change', { detail: { colorBy: value }, bubbles: true, composed: true }));
  }

  //#endregion

  //#region words

  /** The owner → color mapping; owners past the distinct colors are said to share one. */
  private ownerLegend(index: HeapIndex) {
    const owners = slotsFor(index.view.ownerLabels, this.owners);
    const distinct = owners.labels.map((label, i) => ({ label, slot: owners.slotOf[i + 1]! })).filter(o => o.slot >= 0);
    return html`<span class="owners">
      ${distinct.map(o => html`<span class="owner" data-owner=${o.label}><span class="swatch ${slotClass(o.slot)}"></span> ${o.label}</span>`)}
      ${owners.others > 0 ? html`<span class="owner other" title=${l10n.t('more owners than distinct colors: these share one')}><span class="swatch ${slotClass(SLOT_OTHER)}"></span> ${owners.others === 1 ? l10n.t('1 other owner') : l10n.t('{0} other owners', owners.others)}</span>` : nothing}
      <span class="owner none"><span class="swatch ${slotClass(SLOT_NONE)}"></span> ${l10n.t('no owner')}</span>
    </span>`;
  }

  /** One line about a block, for the live region and tests. */
  describe(i: number): string {
    const index = this.index!;
    const block = index.block(i);
    const owner = index.ownerLabel(block.owner);
    const where = l10n.t(
      '{0} block at {1}, {2}, order {3}',
      stateName(block.state),
      index.address(block.offset),
      formatBytes(block.size),
      block.order,
    );
    return owner ? l10n.t('{0}, owner {1}', where, owner) : where;
  }

  private summary(): string {
    const index = this.index;
    if (!index) return l10n.t('Heap block map (no heap yet)');
    const map = l10n.t(
      'Heap block map: {0} blocks over {1} at {2}',
      index.count,
      formatBytes(index.view.layout.size),
      index.view.layout.base,
    );
    return this.selection !== null && index.blockAtOffset(this.selection) >= 0
      ? l10n.t('{0}; selected: {1}', map, this.describe(index.blockAtOffset(this.selection)))
      : map;
  }

  private tooltipContent(block: ReturnType<HeapIndex['block']>) {
    const index = this.index!;
    const owner = index.ownerLabel(block.owner);
    const allocation = index.allocationAt(block.offset);
    const scanned = index.view.ownership;
    const buddy = index.buddyOf(block.offset, block.order);
    let buddyText = l10n.t('none (the whole heap)');
    if (buddy) {
      const b = index.block(index.blockAtOffset(buddy.offset));
      buddyText =
        b.offset === buddy.offset && b.order === buddy.order
          ? `${index.address(buddy.offset)} (${stateName(b.state)})`
          : `${index.address(buddy.offset)} (${l10n.t('split')})`;
    }
    return html`<dl>
      <dt>${l10n.t('address')}</dt>
      <dd class="mono">${index.address(block.offset)}</dd>
      <dt>${l10n.t('size')}</dt>
      <dd>${l10n.t('{0} (order {1})', formatBytes(block.size), block.order)}</dd>
      <dt>${l10n.t('state')}</dt>
      <dd>${stateName(block.state)}</dd>
      ${
        scanned && allocation >= 0
          ? this.scannedOwnerRows(scanned, allocation)
          : html`${
              owner
                ? html`<dt>${l10n.t('owner')}</dt>
                    <dd>${owner}</dd>`
                : nothing
            }${
              allocation >= 0
                ? html`<dt>${l10n.t('request')}</dt>
                    <dd>${requestText(index, allocation)}</dd>`
                : nothing
            }`
      }
      <dt>${l10n.t('buddy')}</dt>
      <dd class="mono">${buddyText}</dd>
    </dl>`;
  }

  /** A scanned heap's block: the root word that owns it (or that nothing does) and how many words refer to it. */
  private scannedOwnerRows(ownership: WireOwnership, allocation: number) {
    const owned = ownership.parent[allocation] !== PARENT_NONE;
    const leak = ownership.leakStops[allocation]! > 0;
    return html`<dt>${l10n.t('owner')}</dt>
      <dd class=${owned ? 'mono' : ''}>
        ${owned ? ownership.paths[ownership.rootPath[allocation]!] : leak ? l10n.t('none: possible leak') : l10n.t('none the scan can see')}
      </dd>
      <dt>${l10n.t('referenced by')}</dt>
      <dd>${ownership.referrerTotal[allocation] === 1 ? l10n.t('1 word') : l10n.t('{0} words', ownership.referrerTotal[allocation]!)}</dd>`;
  }

  private placeTooltip(event: MouseEvent): void {
    const tip = this.tooltip;
    if (!tip) return;
    const rect = this.viewport.getBoundingClientRect();
    const x = event.clientX - rect.left + 14;
    const y = event.clientY - rect.top + 14;
    // CSSOM writes are allowed under the CSP (inline style attributes are not).
    tip.style.setProperty('left', `${Math.min(x, rect.width - 220)}px`);
    tip.style.setProperty('top', `${Math.min(y, rect.height - 120)}px`);
  }

  //#endregion
}

declare global {
  interface HTMLElementTagNameMap {
    'block-map': BlockMap;
  }
}
