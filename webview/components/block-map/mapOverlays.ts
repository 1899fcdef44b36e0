// Outlines drawn over the block map: the change from the compared step, leak suspects that persist
// across stops, the blocks a notice is about, the selection with its buddy and ancestors, and the
// block under the pointer.
import type { WireDiff } from '../../../core/protocol/viewModel';
import type { HeapIndex } from '../../model/heapIndex';
import { Geometry, Rect, regionRect } from '../../model/mapGeometry';
import type { MapPalette } from '../../theme/palette';

export interface Region {
  readonly offset: number;
  readonly order: number;
}

/** Most change outlines drawn (a jump across many steps can change thousands of blocks). */
const MAX_OUTLINES = 4000;
/** A leak suspect is outlined once it has been one at this many stops in a row. */
export const PERSISTING_STOPS = 2;

export interface OverlayRequest {
  readonly index: HeapIndex;
  readonly geometry: Geometry;
  readonly palette: MapPalette;
  readonly scroll: number;
  readonly dpr: number;
  readonly height: number;
  readonly diff: WireDiff | null;
  readonly highlights: readonly Region[];
  readonly selection: number | null;
  readonly hoverLeaf: number;
}

export function paintOverlays(ctx: CanvasRenderingContext2D, o: OverlayRequest): void {
  const { index, geometry: g, palette, scroll, dpr, height } = o;
  const minBlock = index.minBlock;
  const outline = (region: Region, color: string, width: number, dash: number[] = []) => {
    const r: Rect = regionRect(g, region.offset / minBlock, 2 ** region.order);
    const y = r.y - scroll;
    if (y + r.h < 0 || y > height) return;
    ctx.strokeStyle = color;
    ctx.lineWidth = width * dpr;
    ctx.setLineDash(dash.map(d => d * dpr));
    const inset = (width * dpr) / 2;
    ctx.strokeRect(r.x + inset, y + inset, Math.max(1, r.w - 2 * inset), Math.max(1, r.h - 2 * inset));
  };
  const diff = o.diff;
  if (diff && diff.count > 0) {
    const colors = [palette.added, palette.removed, palette.split, palette.merged, palette.ancestor];
    // Splits and merges are the larger regions: draw them first so new/freed stay visible.
    const order = Array.from({ length: Math.min(diff.count, MAX_OUTLINES) }, (_, i) => i).sort((a, b) => diff.orders[b]! - diff.orders[a]!);
    for (const i of order) {
      const kind = diff.kinds[i]!;
      outline(
        { offset: diff.offsets[i]!, order: diff.orders[i]! },
        colors[kind] ?? palette.ancestor,
        2,
        kind === 2 || kind === 3 ? [4, 2] : kind === 4 ? [1, 2] : [],
      );
    }
  }
  // Leak suspects still unreached from an earlier stop (a scanned heap): the shape of a real leak.
  const ownership = index.view.ownership;
  if (ownership) {
    const { blocks } = index.view.allocations;
    let drawn = 0;
    for (let a = 0; a < ownership.leakStops.length && drawn < MAX_OUTLINES; a++) {
      if (ownership.leakStops[a]! < PERSISTING_STOPS) continue;
      const block = index.block(blocks[a]!);
      outline(block, palette.blocker, 2, [6, 3]);
      drawn++;
    }
  }
  for (const region of o.highlights.slice(0, MAX_OUTLINES)) outline(region, palette.blocker, 2, [2, 2]);
  if (o.selection !== null) {
    const i = index.blockAtOffset(o.selection);
    if (i >= 0) {
      const block = index.block(i);
      for (const ancestor of index.ancestorsOf(block.offset, block.order).slice(0, 3)) outline(ancestor, palette.ancestor, 1, [1, 2]);
      const buddy = index.buddyOf(block.offset, block.order);
      if (buddy) outline(buddy, palette.buddy, 2, [3, 2]);
      outline(block, palette.focus, 3);
    }
  }
  if (o.hoverLeaf >= 0) {
    const block = index.block(index.blockAtLeaf(o.hoverLeaf));
    outline(block, palette.highContrast ? palette.focus : palette.hover, 1);
  }
  ctx.setLineDash([]);
}
