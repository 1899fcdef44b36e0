// Where blocks go on the map. The heap is a strip of minimum blocks ("leaves") wrapped into rows of
// cells. Zoom level z ≥ 0 makes each cell 2^z pixels on a side holding one leaf; z < 0 packs 2^-z
// leaves into one pixel. The number of columns is a power of two, so every buddy block is either
// a run inside one row or a rectangle of whole rows: outlines stay simple rectangles.

export const MAX_ZOOM = 5;

export interface Geometry {
  readonly zoom: number;
  /** Cell width in device pixels. */
  readonly cellPx: number;
  /** Cell height: the width, stretched (up to 4×) when the whole heap fits with room to spare. */
  readonly cellH: number;
  /** Leaves per cell (1 when zoomed in). */
  readonly leavesPerCell: number;
  readonly cols: number;
  readonly rows: number;
  readonly totalCells: number;
  /** Height of the whole map in device pixels. */
  readonly contentPx: number;
}

export function minZoom(totalLeaves: number): number {
  return -Math.ceil(Math.log2(Math.max(1, totalLeaves)));
}

export function geometry(totalLeaves: number, zoom: number, widthPx: number, dpr = 1, heightPx = 0): Geometry {
  const baseCell = 2 ** Math.max(0, zoom) * dpr;
  const leavesPerCell = 2 ** Math.max(0, -zoom);
  const totalCells = Math.max(1, Math.ceil(totalLeaves / leavesPerCell));
  const fit = Math.max(1, Math.floor(widthPx / baseCell));
  const cols = Math.min(2 ** Math.floor(Math.log2(fit)), 2 ** Math.ceil(Math.log2(totalCells)));
  // Power-of-two columns leave up to half the width unused: widen the cells (less than 2x) to fill it.
  const cellPx = Math.max(baseCell, Math.min(2 * baseCell - 1, Math.floor(widthPx / cols)));
  const rows = Math.ceil(totalCells / cols);
  const cellH = rows * cellPx < heightPx ? Math.min(4 * cellPx, Math.max(cellPx, Math.floor(heightPx / rows))) : cellPx;
  return { zoom, cellPx, cellH, leavesPerCell, cols, rows, totalCells, contentPx: rows * cellH };
}

/** The largest zoom at which the whole heap fits the height (at most 16-pixel cells). */
export function fitZoom(totalLeaves: number, widthPx: number, heightPx: number, dpr = 1): number {
  for (let z = 4; z > minZoom(totalLeaves); z--) {
    if (geometry(totalLeaves, z, widthPx, dpr).contentPx <= heightPx) return z;
  }
  return minZoom(totalLeaves);
}

export interface Rect {
  readonly x: number;
  readonly y: number;
  readonly w: number;
  readonly h: number;
}

/** The rectangle (content coordinates, before scrolling) covering leaves [leaf, leaf + leaves). */
export function regionRect(g: Geometry, leaf: number, leaves: number): Rect {
  const first = Math.floor(leaf / g.leavesPerCell);
  const end = Math.max(first + 1, Math.ceil((leaf + leaves) / g.leavesPerCell));
  const row = Math.floor(first / g.cols);
  if (end - first <= g.cols && Math.floor((end - 1) / g.cols) === row) {
    return { x: (first % g.cols) * g.cellPx, y: row * g.cellH, w: (end - first) * g.cellPx, h: g.cellH };
  }
  const lastRow = Math.floor((end - 1) / g.cols);
  return { x: 0, y: row * g.cellH, w: g.cols * g.cellPx, h: (lastRow - row + 1) * g.cellH };
}

/** The leaf under a point (content coordinates), or -1 off the map. */
export function leafAt(g: Geometry, x: number, y: number, totalLeaves: number): number {
  if (x < 0 || y < 0) return -1;
  const col = Math.floor(x / g.cellPx);
  const row = Math.floor(y / g.cellH);
  if (col >= g.cols) return -1;
  const leaf = (row * g.cols + col) * g.leavesPerCell;
  return leaf < totalLeaves ? leaf : -1;
}
