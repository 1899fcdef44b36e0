// The block map's pixels: blocks to cell colors to an ImageData, and, when only the scroll
// position changed, a shift of the pixels already drawn plus the rows the pan uncovered. Kept
// apart from the element so the hot loops stay small and monomorphic.
import { WireBlockState } from '../../../core/protocol/viewModel';
import { POW2 } from '../../../core/util/powersOfTwo';
import type { HeapIndex } from '../../model/heapIndex';
import { type Geometry, regionRect } from '../../model/mapGeometry';
import type { BlockColors } from '../../theme/blockColors';
import { MapPalette, Rgba, mix } from '../../theme/palette';

export type { ColorBy } from '../../theme/blockColors';

export interface PaintRequest {
  readonly index: HeapIndex;
  readonly geometry: Geometry;
  readonly palette: MapPalette;
  /** Allocated blocks' colors for the chosen coloring (by order or by owner). */
  readonly colors: BlockColors;
  /** Top of the viewport in content pixels. */
  readonly scroll: number;
  readonly width: number;
  readonly height: number;
}

export class MapPainter {
  private image: ImageData | undefined;
  private pixels: Uint32Array | undefined;
  private width = 0;
  private cells:
    | {
        color: Uint32Array;
        edge: Uint8Array;
        down: Uint8Array;
        used: Float32Array;
        partial: Uint8Array;
        lead: Uint32Array;
        weight: Float32Array;
      }
    | undefined;
  private ramps: Ramps | undefined;
  private baseKey = '';
  private baseScroll = 0;
  private baseIndex: HeapIndex | undefined;
  private basePalette: MapPalette | undefined;
  private baseColors: BlockColors | undefined;
  private baseGeneration = 0;

  /**
   * Makes the pixel buffer and the per-cell buffers for a canvas of this size (and touches their
   * memory), so a first paint that comes later (the map measures itself while the panel waits for
   * a heap) neither allocates megabytes nor replaces buffers its warmed code was made for.
   */
  prepare(ctx: CanvasRenderingContext2D, W: number, H: number): void {
    if (this.image && this.image.width === W && this.image.height === H) return;
    this.image = ctx.createImageData(W, H);
    this.pixels = new Uint32Array(this.image.data.buffer);
    this.pixels.fill(0);
    // The most cells a view of this canvas shows: one-pixel cells in power-of-two columns, one
    // more row than fits (a partly scrolled row at each edge).
    const cells = this.cellBuffers((H + 1) * 2 ** Math.floor(Math.log2(Math.max(1, W))));
    for (const buffer of Object.values(cells)) buffer.fill(0);
  }

  /** Draws the blocks (no overlays) and puts them on the canvas. */
  paint(ctx: CanvasRenderingContext2D, request: PaintRequest): void {
    const { index, geometry: g, palette, colors, scroll, width: W, height: H } = request;
    this.prepare(ctx, W, H);
    this.width = W;
    // A patched heap, nothing else changed: redraw only the cell rows of the block the patch replaced.
    const change = index.change;
    if (change && change.previous === this.baseIndex && scroll === this.baseScroll && this.sameBase(g, palette, colors, W, H)) {
      this.baseIndex = index;
      const r = regionRect(g, change.leaf, change.leaves);
      const y0 = Math.max(0, r.y - scroll);
      const y1 = Math.min(H, r.y + r.h - scroll);
      if (y0 < y1) this.renderRows(index, g, palette, colors, scroll, y0, y1);
      ctx.putImageData(this.image!, 0, 0);
      return;
    }
    // Panning with nothing else changed: shift the pixels already drawn and draw only the rows the
    // pan uncovered (a frame then costs the uncovered strip, not the whole view).
    const key = this.baseKeyOf(index, g, palette, colors, W, H);
    const dy = scroll - this.baseScroll;
    if (key === this.baseKey && Math.abs(dy) < H / 2) {
      if (dy > 0) {
        this.pixels!.copyWithin(0, dy * W, H * W);
        this.renderRows(index, g, palette, colors, scroll, H - dy, H);
      } else if (dy < 0) {
        this.pixels!.copyWithin(-dy * W, 0, (H + dy) * W);
        this.renderRows(index, g, palette, colors, scroll, 0, -dy);
      }
    } else {
      this.renderRows(index, g, palette, colors, scroll, 0, H);
    }
    this.baseKey = key;
    this.baseScroll = scroll;
    ctx.putImageData(this.image!, 0, 0);
  }

  /** Draws the viewport's pixel rows [yFrom, yTo) into the pixel buffer (no overlays). */
  private renderRows(
    index: HeapIndex,
    g: Geometry,
    palette: MapPalette,
    colors: BlockColors,
    scroll: number,
    yFrom: number,
    yTo: number,
  ): void {
    const pixels = this.pixels!;
    const W = this.width;
    pixels.fill(palette.background, yFrom * W, yTo * W);
    const firstRow = Math.floor((scroll + yFrom) / g.cellH);
    const lastRow = Math.min(g.rows, Math.ceil((scroll + yTo) / g.cellH));
    const lpc = g.leavesPerCell;
    const firstCell = firstRow * g.cols;
    const endCell = Math.min(g.totalCells, lastRow * g.cols);
    const visible = Math.max(0, endCell - firstCell);
    const cells = this.cellBuffers(visible);
    const { color: cellColor, edge, down, used, partial, lead, weight } = cells;
    cellColor.fill(palette.background, 0, visible);
    edge.fill(0, 0, visible);
    down.fill(0, 0, visible);
    const leafFrom = firstCell * lpc;
    const leafTo = Math.min(index.totalLeaves, endCell * lpc);
    const codes = index.view.blocks.codes;
    const owners = index.view.blocks.owners;
    const table = colors.allocated;
    const byOwner = colors.byOwner;
    if (lpc > 1) {
      used.fill(0, 0, visible);
      partial.fill(0, 0, visible);
      weight.fill(0, 0, visible);
    }
    // Pass 1: one color per visible cell (blocks of a cell or more), or, where several blocks
    // share a cell (zoomed out), its allocated leaves and their dominant color.
    // Blocks are walked in order with a running leaf count; from the heap's start that needs no
    // index lookup at all (the first paint of a new heap comes before its leaf index is built).
    const first = leafFrom === 0 ? 0 : index.blockAtLeaf(leafFrom);
    cellsFromBlocks(
      codes,
      owners,
      index.count,
      first,
      first === 0 ? 0 : index.leafStart[first]!,
      leafTo,
      lpc,
      firstCell,
      endCell,
      g.cols,
      table,
      byOwner ? 1 : 0,
      palette.free,
      palette.unknown,
      cellColor,
      edge,
      down,
      used,
      partial,
      lead,
      weight,
    );
    if (lpc > 1) {
      if (this.ramps?.palette !== palette) this.ramps = new Ramps(palette);
      shadePartialCells(partial, lead, used, cellColor, visible, lpc, this.ramps);
    }
    // Pass 2: cells to pixels, one pixel line per cell row, copied down the row's height. A 1-pixel
    // gap (the separator: the background, or the theme's contrast border in high contrast) ends
    // each block on the right and below; a block that goes on in the next row has no gap below,
    // so a block of several rows reads as one shape, not as a stack of bars.
    const gapX = g.cellPx >= 4 ? 1 : 0;
    const gapY = g.cellH >= 4 ? 1 : 0;
    const separator = palette.contrastBorder ?? palette.background;
    const lineWidth = Math.min(W, g.cols * g.cellPx);
    for (let row = firstRow; row < lastRow; row++) {
      const y0 = row * g.cellH - scroll;
      const rowCell = (row - firstRow) * g.cols;
      const rowCells = Math.min(g.cols, visible - rowCell);
      const yStart = Math.max(yFrom, y0);
      const yEnd = Math.min(yTo, y0 + g.cellH - gapY);
      if (yStart < yEnd) {
        const lineAt = yStart * W;
        this.drawLine(lineAt, rowCell, rowCells, g, gapX, separator, false);
        for (let y = yStart + 1; y < yEnd; y++) pixels.copyWithin(y * W, lineAt, lineAt + lineWidth);
      }
      const gapLine = y0 + g.cellH - 1;
      if (gapY && gapLine >= yFrom && gapLine < yTo) this.drawLine(gapLine * W, rowCell, rowCells, g, gapX, separator, true);
    }
  }

  /**
   * One pixel line of a cell row: each cell's color, then the separator where a block ends on
   * the right. On a row's gap line (`below`), only cells whose block goes on in the next row.
   */
  private drawLine(lineAt: number, rowCell: number, rowCells: number, g: Geometry, gapX: number, separator: number, below: boolean): void {
    const pixels = this.pixels!;
    const { color, edge, down } = this.cells!;
    const W = this.width;
    if (g.cellPx === 1) {
      for (let c = 0; c < rowCells; c++) pixels[lineAt + c] = below && !down[rowCell + c] ? separator : color[rowCell + c]!;
      return;
    }
    const lastCol = g.cols - 1;
    for (let c = 0; c < rowCells; c++) {
      const x0 = c * g.cellPx;
      if (x0 >= W) break;
      const cell = rowCell + c;
      const x2 = Math.min(W, x0 + g.cellPx);
      if (below && !down[cell]) {
        pixels.fill(separator, lineAt + x0, lineAt + x2);
        continue;
      }
      // The last column always ends a block's row: a block of several rows keeps a straight right side.
      const x1 = Math.min(x2, x0 + g.cellPx - (edge[cell] || c === lastCol ? gapX : 0));
      pixels.fill(color[cell]!, lineAt + x0, lineAt + x1);
      if (x1 < x2) pixels.fill(separator, lineAt + x1, lineAt + x2);
    }
  }

  /** The pixels drawn are of this geometry, palette and coloring (whatever heap they show). */
  private sameBase(g: Geometry, palette: MapPalette, colors: BlockColors, w: number, h: number): boolean {
    return (
      palette === this.basePalette &&
      colors === this.baseColors &&
      this.baseKey === `${this.baseGeneration}/${g.zoom}/${g.cols}/${g.cellH}/${w}x${h}`
    );
  }

  /** What the drawn pixels depend on besides the scroll position. */
  private baseKeyOf(index: HeapIndex, g: Geometry, palette: MapPalette, colors: BlockColors, w: number, h: number): string {
    if (index !== this.baseIndex || palette !== this.basePalette || colors !== this.baseColors) {
      this.baseIndex = index;
      this.basePalette = palette;
      this.baseColors = colors;
      this.baseGeneration++;
    }
    return `${this.baseGeneration}/${g.zoom}/${g.cols}/${g.cellH}/${w}x${h}`;
  }

  /** Per-cell scratch buffers, reused across paints (a pan must not allocate megabytes). */
  private cellBuffers(n: number) {
    if (!this.cells || this.cells.color.length < n) {
      this.cells = {
        color: new Uint32Array(n),
        edge: new Uint8Array(n),
        down: new Uint8Array(n),
        used: new Float32Array(n),
        partial: new Uint8Array(n),
        lead: new Uint32Array(n),
        weight: new Float32Array(n),
      };
    }
    return this.cells;
  }
}

/**
 * 65 shades from the free color to each block color, for cells that hold several blocks, made on
 * first use for a palette. One object per palette, not a closure per paint: the shading loop's
 * optimized code is made for the call it sees, and a new closure at every paint would undo it.
 */
class Ramps {
  private readonly byColor = new Map<Rgba, Uint32Array>();

  constructor(readonly palette: MapPalette) {}

  of(color: Rgba): Uint32Array {
    let ramp = this.byColor.get(color);
    if (!ramp) this.byColor.set(color, (ramp = Uint32Array.from({ length: 65 }, (_, i) => mix(this.palette.free, color, i / 64))));
    return ramp;
  }
}

/**
 * Pass 1 of a paint: walks blocks [first, count) from leaf `firstLeaf` until `leafTo`, giving each
 * visible cell a color, or, for cells several blocks share, their allocated leaves and dominant
 * color. Only typed arrays and numbers come in, no objects: the loop (a million blocks for a
 * large heap) then keeps the optimized code the panel's warm-up produced, with no shape to check.
 */
function cellsFromBlocks(
  codes: Uint8Array,
  owners: Uint16Array,
  count: number,
  first: number,
  firstLeaf: number,
  leafTo: number,
  lpc: number,
  firstCell: number,
  endCell: number,
  cols: number,
  table: Uint32Array,
  byOwner: number,
  free: number,
  unknown: number,
  cellColor: Uint32Array,
  edge: Uint8Array,
  down: Uint8Array,
  used: Float32Array,
  partial: Uint8Array,
  lead: Uint32Array,
  weight: Float32Array,
): void {
  let leaves = 0;
  // The cell that blocks smaller than a cell are being summed into, and its sums so far: kept in
  // locals and stored once per cell rather than read and written once per block (a zoomed-out
  // million-block heap has several blocks per cell). Math.fround keeps each sum as the Float32
  // column would have held it, so the stored cells are the same bit for bit.
  let open = false;
  let cell = 0;
  let cellEnd = 0;
  let usedLeaves = 0;
  let leadColor = 0;
  let leadWeight = 0;
  let voted = false;
  for (let i = first, leaf = firstLeaf; i < count; i++, leaf += leaves) {
    if (leaf >= leafTo) break;
    const code = codes[i]!;
    const order = code & 31;
    const state = code >> 5;
    leaves = POW2[order]!;
    if (leaves < lpc) {
      if (!open || leaf >= cellEnd) {
        if (open) closeCell(cell, usedLeaves, voted, leadColor, leadWeight, used, partial, lead, weight);
        open = true;
        cell = Math.floor(leaf / lpc) - firstCell;
        cellEnd = (cell + firstCell + 1) * lpc;
        usedLeaves = 0;
        leadWeight = 0;
        voted = false;
      }
      if (state !== WireBlockState.Free) {
        usedLeaves = Math.fround(usedLeaves + leaves);
        const c = state === WireBlockState.Unknown ? unknown : table[byOwner ? owners[i]! : order]!;
        // Weighted majority vote (Boyer-Moore): one pass, no per-color counts per cell.
        if (voted && leadColor === c) leadWeight = Math.fround(leadWeight + leaves);
        else if (leadWeight >= leaves) leadWeight = Math.fround(leadWeight - leaves);
        else {
          leadColor = c;
          leadWeight = Math.fround(leaves - leadWeight);
        }
        voted = true;
      }
      continue;
    }
    if (open) {
      closeCell(cell, usedLeaves, voted, leadColor, leadWeight, used, partial, lead, weight);
      open = false;
    }
    const color = state === WireBlockState.Free ? free : state === WireBlockState.Unknown ? unknown : table[byOwner ? owners[i]! : order]!;
    const endLeaf = leaf + leaves;
    const a = Math.max(leaf / lpc, firstCell) - firstCell;
    const b = Math.min(endLeaf / lpc, endCell) - firstCell;
    cellColor.fill(color, a, b);
    if (endLeaf / lpc <= endCell) edge[b - 1] = 1;
    // Cells whose block goes on in the row below (blocks of more than a row span whole rows).
    const downTo = Math.min(endLeaf / lpc - cols, endCell) - firstCell;
    if (downTo > a) down.fill(1, a, downTo);
  }
  if (open) closeCell(cell, usedLeaves, voted, leadColor, leadWeight, used, partial, lead, weight);
}

/** Stores a shared cell's sums (its lead color only if an allocated block voted: else it keeps none). */
function closeCell(
  cell: number,
  usedLeaves: number,
  voted: boolean,
  leadColor: number,
  leadWeight: number,
  used: Float32Array,
  partial: Uint8Array,
  lead: Uint32Array,
  weight: Float32Array,
): void {
  partial[cell] = 1;
  used[cell] = usedLeaves;
  weight[cell] = leadWeight;
  if (voted) lead[cell] = leadColor;
}

/**
 * A cell several blocks share gets its dominant color's shade for how much of it is allocated.
 * Neighbouring cells nearly always share a dominant color: its ramp is looked up once per run.
 */
function shadePartialCells(
  partial: Uint8Array,
  lead: Uint32Array,
  used: Float32Array,
  cellColor: Uint32Array,
  visible: number,
  lpc: number,
  ramps: Ramps,
): void {
  let rampColor = -1;
  let ramp: Uint32Array | undefined;
  for (let c = 0; c < visible; c++) {
    if (!partial[c]) continue;
    if (lead[c] !== rampColor || !ramp) ramp = ramps.of((rampColor = lead[c]!));
    cellColor[c] = ramp[Math.round((used[c]! / lpc) * 64)]!;
  }
}
