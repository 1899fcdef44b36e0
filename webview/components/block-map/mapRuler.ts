// The address ruler beside the block map: the address where a row starts, every few rows (a power
// of two, so labels fall on round addresses), with a tick at the row's top. Painted on its own
// canvas with the map, from the same geometry and scroll position.
import type { HeapIndex } from '../../model/heapIndex';
import type { Geometry } from '../../model/mapGeometry';

export interface RulerRequest {
  readonly index: HeapIndex;
  readonly geometry: Geometry;
  /** Top of the viewport in content pixels (device pixels, as the map counts them). */
  readonly scroll: number;
  readonly dpr: number;
  /** Text and tick color, and the font (CSS `font` shorthand at CSS pixel size). */
  readonly color: string;
  readonly fontPx: number;
  readonly fontFamily: string;
}

/** Characters in the longest label (for sizing the ruler). */
export function rulerChars(index: HeapIndex): number {
  return index.address(Math.max(0, index.view.layout.size - index.minBlock)).length;
}

/** Rows between two labels: the fewest (a power of two) that leave room for a label's height. */
export function rowsPerLabel(g: Geometry, labelPx: number): number {
  let rows = 1;
  while (rows * g.cellH < labelPx && rows < g.rows) rows *= 2;
  return rows;
}

export interface RulerLabel {
  /** Top of the labelled row in the ruler's device pixels (negative: scrolled partly out). */
  readonly y: number;
  readonly address: string;
}

/** Paints the ruler; returns the labels drawn (for the tests and anyone asking what shows). */
export function paintRuler(canvas: HTMLCanvasElement, r: RulerRequest): RulerLabel[] {
  const labels: RulerLabel[] = [];
  const ctx = canvas.getContext('2d');
  if (!ctx) return labels;
  const { index, geometry: g, scroll, dpr } = r;
  ctx.clearRect(0, 0, canvas.width, canvas.height);
  if (index.count === 0 || index.totalLeaves === 0) return labels;
  const fontPx = r.fontPx * dpr;
  ctx.font = `${fontPx}px ${r.fontFamily}`;
  ctx.fillStyle = r.color;
  ctx.textBaseline = 'top';
  ctx.textAlign = 'right';
  const step = rowsPerLabel(g, fontPx * 1.6);
  const leavesPerRow = g.cols * g.leavesPerCell;
  const right = canvas.width - 6 * dpr; // clear of the tick
  for (let row = Math.floor(scroll / g.cellH / step) * step; row < g.rows; row += step) {
    const y = row * g.cellH - scroll;
    if (y >= canvas.height) break;
    const leaf = row * leavesPerRow;
    if (leaf >= index.totalLeaves) break;
    ctx.fillRect(canvas.width - 3 * dpr, y, 3 * dpr, dpr);
    // The first label stays readable when its row is half scrolled out.
    const address = index.address(leaf * index.minBlock);
    ctx.fillText(address, right, Math.max(0, y + dpr));
    labels.push({ y, address });
  }
  return labels;
}
