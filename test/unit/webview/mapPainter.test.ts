// The block map's painter, zoomed out (several blocks per cell), on random buddy heaps: every
// cell's pixel is the shade a plain per-cell reading of the blocks gives (its allocated share of
// leaves, toward the color that wins a weighted majority vote of its allocated blocks in address
// order), and a full repaint, a scrolled one and one panned into place all agree.
import * as assert from 'node:assert/strict';
import { zeroStats } from '../../../core/decoder/emptyHeapView';
import { HeapViewModel, WireBlockState, blockCode } from '../../../core/protocol/viewModel';
import { MapPainter } from '../../../webview/components/block-map/mapPainter';
import { HeapIndex } from '../../../webview/model/heapIndex';
import { geometry } from '../../../webview/model/mapGeometry';
import { blockColors, slotsFor } from '../../../webview/theme/blockColors';
import { MapPalette, mix, pack } from '../../../webview/theme/palette';

const PALETTE: MapPalette = {
  background: pack(30, 30, 30),
  free: pack(60, 60, 60),
  unknown: pack(120, 120, 120),
  noOwner: pack(90, 90, 90),
  otherOwners: pack(170, 170, 170),
  hues: [pack(200, 40, 40), pack(40, 200, 40), pack(40, 40, 200), pack(200, 200, 40), pack(40, 200, 200), pack(200, 40, 200)],
  focus: '#007fd4',
  buddy: '#cca700',
  ancestor: '#888888',
  added: '#89d185',
  removed: '#f14c4c',
  split: '#3794ff',
  merged: '#b180d7',
  blocker: '#f14c4c',
  border: 'transparent',
  contrastBorder: undefined,
  hover: '#cccccc',
  highContrast: false,
  ruler: '#858585',
  rulerFont: 'monospace',
};

/** A small deterministic generator (mulberry32). */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A random buddy tiling of 2^leavesLog2 leaves: blocks of every size, free, allocated (with or without an owner) or unknown. */
function randomView(leavesLog2: number, seed: number): HeapViewModel {
  const next = random(seed);
  const codes: number[] = [];
  const owners: number[] = [];
  const tile = (order: number): void => {
    if (order > 0 && next() < (order > 4 ? 0.95 : 0.6)) {
      tile(order - 1);
      tile(order - 1);
      return;
    }
    const r = next();
    const state = r < 0.4 ? WireBlockState.Free : r < 0.92 ? WireBlockState.Allocated : WireBlockState.Unknown;
    codes.push(blockCode(order, state));
    owners.push(state === WireBlockState.Allocated ? Math.floor(next() * 4) : 0);
  };
  tile(leavesLog2);
  const size = 2 ** leavesLog2 * 16;
  return {
    layout: { base: '0x20000000', size, orders: leavesLog2 + 1, minBlockSize: 16, pointerWidth: 4, endianness: 'little' },
    blocks: { count: codes.length, codes: Uint8Array.from(codes), owners: Uint16Array.from(owners) },
    freeLists: [],
    stats: zeroStats(size),
    findings: [],
    allocations: { count: 0, blocks: new Uint32Array(0), sizes: new Float64Array(0), alignLog2: new Uint8Array(0) },
    ownerLabels: ['a', 'b', 'c'],
  };
}

/** A canvas context as far as the painter uses one: image data in memory, puts recorded. */
function fakeContext(): CanvasRenderingContext2D & { readonly shown: Uint32Array[] } {
  const shown: Uint32Array[] = [];
  const ctx = {
    shown,
    createImageData: (w: number, h: number) => ({ width: w, height: h, data: new Uint8ClampedArray(w * h * 4) }),
    putImageData: (image: ImageData) => shown.push(new Uint32Array(image.data.buffer.slice(0))),
  };
  return ctx as unknown as CanvasRenderingContext2D & { readonly shown: Uint32Array[] };
}

/**
 * What each cell of several leaves shows, read from the blocks directly: its blocks in address
 * order, the allocated ones voting with their leaves for their color; the winner, shaded by the
 * allocated share (the painter's 65-step ramp from the free color).
 */
function expectedCells(view: HeapViewModel, lpc: number, colorOf: (block: number) => number): Uint32Array {
  const cells = new Uint32Array(2 ** (view.layout.orders - 1) / lpc);
  let leaf = 0;
  let lead = 0;
  let weight = 0;
  let used = 0;
  for (let i = 0; i < view.blocks.count; i++) {
    const code = view.blocks.codes[i]!;
    const leaves = 2 ** (code & 31);
    const state = code >> 5;
    const cell = Math.floor(leaf / lpc);
    if (leaves >= lpc) {
      const color = state === WireBlockState.Free ? PALETTE.free : colorOf(i);
      cells.fill(color, cell, cell + leaves / lpc);
    } else {
      if (leaf % lpc === 0) [lead, weight, used] = [0, 0, 0];
      if (state !== WireBlockState.Free) {
        used += leaves;
        const color = colorOf(i);
        if (weight > 0 && lead === color) weight += leaves;
        else if (weight >= leaves) weight -= leaves;
        else [lead, weight] = [color, leaves - weight];
      }
      cells[cell] = mix(PALETTE.free, lead, Math.round((used / lpc) * 64) / 64);
    }
    leaf += leaves;
  }
  return cells;
}

describe('map painter, zoomed out', () => {
  for (const seed of [1, 2, 3, 4, 5, 6]) {
    for (const colorBy of ['order', 'owner'] as const) {
      it(`heap ${seed}, colored by ${colorBy}: each cell is its blocks' shade, painted whole or scrolled`, () => {
        const leavesLog2 = 12;
        const view = randomView(leavesLog2, seed);
        const index = new HeapIndex(view);
        const colors = blockColors(PALETTE, colorBy, slotsFor(view.ownerLabels, undefined));
        const colorOf = (i: number) => {
          const code = view.blocks.codes[i]!;
          if (code >> 5 === WireBlockState.Unknown) return PALETTE.unknown;
          return colors.allocated[colorBy === 'owner' ? view.blocks.owners[i]! : code & 31]!;
        };
        // 64 columns of one-pixel cells, 8 leaves each: 8 rows of cells, one pixel high.
        const W = 64;
        const H = 6;
        const g = geometry(index.totalLeaves, -3, W, 1, 0);
        assert.equal(g.leavesPerCell, 8);
        assert.equal(g.cellH, 1);
        const cells = expectedCells(view, g.leavesPerCell, colorOf);
        const ctx = fakeContext();
        const painter = new MapPainter();
        painter.prepare(ctx, W, H);
        for (const scroll of [0, 2, 1]) {
          painter.paint(ctx, { index, geometry: g, palette: PALETTE, colors, scroll, width: W, height: H });
          const pixels = ctx.shown.at(-1)!;
          for (let y = 0; y < H; y++)
            for (let x = 0; x < W; x++) {
              const cell = (y + scroll) * g.cols + x;
              assert.equal(pixels[y * W + x], cells[cell], `pixel ${x},${y} (cell ${cell}) at scroll ${scroll}`);
            }
        }
      });
    }
  }
});
