// The block map reads as the heap: a block of several rows is one continuous shape (no gap lines
// between its rows), blocks are still told apart by the separator, high-contrast themes draw the
// theme's contrast border around blocks, and an address ruler labels the rows.
import * as assert from 'node:assert/strict';
import type { InitMessage } from '../../core/protocol/messages';
import { type PanelPage, panelPagePerTest } from './support/harness';
import { HostFixture, demoFixture } from './support/hostMessages';
import { THEMES, type ThemeName } from './support/themes';

interface MapGeometry {
  cellPx: number;
  cellH: number;
  cols: number;
  rows: number;
  leavesPerCell: number;
}

/** The theme variable's color as [r, g, b] (#rrggbb in the test themes). */
function themeColor(theme: ThemeName, variable: string): number[] {
  const match = new RegExp(`${variable}:\\s*#([0-9a-f]{6})`, 'i').exec(THEMES[theme].css);
  assert.ok(match, `${variable} is in the ${theme} test theme`);
  return [0, 2, 4].map(i => parseInt(match[1]!.slice(i, i + 2), 16));
}

const geometryOf = (page: PanelPage) => page.onElement<MapGeometry>(['block-map'], 'return el.currentGeometry();');

/** Every pixel of a rectangle of the map canvas (device pixels), as packed "r,g,b" strings. */
const canvasColors = (page: PanelPage, x: number, y: number, w: number, h: number) =>
  page.onElement<string[]>(
    ['block-map', 'canvas.map'],
    `const d = el.getContext('2d').getImageData(${x}, ${y}, ${w}, ${h}).data;
    const out = [];
    for (let i = 0; i < d.length; i += 4) out.push(d[i] + ',' + d[i + 1] + ',' + d[i + 2]);
    return out;`,
  );

/** The block's rectangle in the canvas's device pixels (rectOf gives page pixels; dpr is 1 here). */
async function canvasRect(page: PanelPage, offset: number) {
  const r = await page.blockRect(offset);
  const canvas = await page.onElement<{ left: number; top: number }>(
    ['block-map', 'canvas.map'],
    'const r = el.getBoundingClientRect(); return { left: r.left, top: r.top };',
  );
  return { x: Math.round(r.x - canvas.left), y: Math.round(r.y - canvas.top), w: Math.round(r.w), h: Math.round(r.h) };
}

for (const theme of ['dark', 'high-contrast'] as ThemeName[]) {
  describe(`block map shapes (${theme})`, function () {
    this.timeout(60_000);
    let page: PanelPage;
    panelPagePerTest(p => {
      page = p;
    }, theme);

    const background = themeColor(theme, '--vscode-editor-background').join(',');
    const separator = theme === 'high-contrast' ? themeColor(theme, '--vscode-contrastBorder').join(',') : background;

    it('a free 64 KiB heap is one continuous shape over all its rows', async () => {
      await page.send(new HostFixture().init());
      await page.settle();
      const g = await geometryOf(page);
      assert.ok(g.rows >= 4 && g.cellH >= 4, `the heap spans several rows of visible cells (${JSON.stringify(g)})`);
      const r = await canvasRect(page, 0);
      const free = (await page.mapPixel(0)).slice(0, 3).join(',');
      assert.notEqual(free, background);
      // Inside the block's outline (its right and bottom pixel are the separator), every pixel is
      // the free color: in particular the lines between former rows, one per row boundary.
      const inside = await canvasColors(page, r.x, r.y, r.w - 1, r.h - 1);
      const off = inside.filter(c => c !== free);
      assert.equal(off.length, 0, `${off.length} of ${inside.length} pixels inside the block are not free-colored (${[...new Set(off)]})`);
      for (let row = 1; row < g.rows; row++) {
        const [pixel] = await canvasColors(page, r.x + Math.floor(r.w / 2), r.y + row * g.cellH - 1, 1, 1);
        assert.equal(pixel, free, `the line above row ${row} belongs to the block`);
      }
      // The block ends with the separator on the right and below.
      const right = await canvasColors(page, r.x + r.w - 1, r.y, 1, r.h - 1);
      assert.deepEqual([...new Set(right)], [separator], 'the right edge');
      const bottom = await canvasColors(page, r.x, r.y + r.h - 1, r.w, 1);
      assert.deepEqual([...new Set(bottom)], [separator], 'the bottom edge');
    });

    it('blocks stay apart: the separator runs between neighbours, never inside a block', async () => {
      const init = demoFixture().init() as InitMessage;
      await page.send(init);
      await page.settle();
      const g = await geometryOf(page);
      // The free upper half (32 KiB at 0x8000) spans several rows; the block before it ends one row above.
      const half = await canvasRect(page, 0x8000);
      assert.ok(half.h > g.cellH, 'the free half spans rows');
      const [above] = await canvasColors(page, half.x + Math.floor(half.w / 2), half.y - 1, 1, 1);
      assert.equal(above, separator, 'the line between the lower half and the free half');
      const free = (await page.mapPixel(0x8000)).slice(0, 3).join(',');
      const inside = await canvasColors(page, half.x, half.y, half.w - 1, half.h - 1);
      assert.deepEqual([...new Set(inside)], [free], 'the free half is one shape');
      // Two 32 B blocks side by side in one row (0x40 allocated, 0x60 free): the separator between them.
      const small = await canvasRect(page, 0x40);
      assert.equal(small.h, g.cellH);
      const [between] = await canvasColors(page, small.x + small.w - 1, small.y + 1, 1, 1);
      assert.equal(between, separator, 'the right edge of the 32 B block');
      const [own] = await canvasColors(page, small.x + 1, small.y + 1, 1, 1);
      assert.notEqual(own, separator);
    });

    it('the address ruler labels row starts at round addresses, drawn beside the map', async () => {
      const init = new HostFixture().init() as InitMessage;
      await page.send(init);
      await page.settle();
      const g = await geometryOf(page);
      const labels = await page.onElement<{ y: number; address: string }[]>(['block-map'], 'return el.rulerLabels;');
      assert.ok(labels.length >= 2, `several labels (${labels.length})`);
      assert.deepEqual(labels[0], { y: 0, address: '0x20000000' }, 'the heap base at the top');
      const rowBytes = g.cols * g.leavesPerCell * init.view.layout.minBlockSize;
      const step = labels[1]!.y / g.cellH;
      assert.ok(Number.isInteger(step) && (step & (step - 1)) === 0, `labels every power-of-two rows (${step})`);
      labels.forEach((label, i) => {
        assert.equal(label.y, i * step * g.cellH);
        assert.equal(BigInt(label.address), 0x2000_0000n + BigInt(i * step * rowBytes));
      });
      // The labels are painted: ink in the first label's band, none in the ruler below the map's end.
      const ink = await page.onElement<number>(
        ['block-map', 'canvas.ruler'],
        `const d = el.getContext('2d').getImageData(0, 0, el.width, 12).data; let n = 0; for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++; return n;`,
      );
      assert.ok(ink > 20, `the first label is drawn (${ink} inked pixels)`);
      const width = await page.onElement<number>(['block-map', 'canvas.ruler'], 'return el.getBoundingClientRect().width;');
      const textWidth = await page.onElement<number>(
        ['block-map', 'canvas.ruler'],
        `const c = el.getContext('2d'); c.font = '11px ' + getComputedStyle(el).fontFamily; return c.measureText('0x20000000').width;`,
      );
      assert.ok(width >= textWidth, `the ruler (${width} px) fits an address (${textWidth} px)`);
    });

    it("a 64-bit heap's map keeps the frame's height: the canvases' pixels never grow their layout", async () => {
      // An 18-character ruler is a fractional number of pixels wide; its canvas, a whole number,
      // once fed its aspect ratio into the row's height and grew the map every frame.
      const layout = { base: 0x5555_5555_8000n, size: 0x1_0000n, orders: 12, pointerWidth: 8 as const, endianness: 'little' as const };
      await page.send(new HostFixture(layout).init());
      await page.settle();
      const heights = () =>
        page.onElement<{ frame: number; map: number; ruler: number; minimap: number }>(
          ['block-map'],
          `const q = s => el.shadowRoot.querySelector(s);
          return { frame: q('.frame').clientHeight, map: q('canvas.map').height, ruler: q('canvas.ruler').height,
            minimap: q('heap-minimap').getBoundingClientRect().height };`,
        );
      const first = await heights();
      await page.onElement(['block-map'], 'return new Promise(r => setTimeout(r, 500));');
      const later = await heights();
      assert.deepEqual(later, first, 'nothing grew over half a second of frames');
      assert.ok(first.map <= first.frame && first.ruler <= first.frame && first.minimap <= first.frame, JSON.stringify(first));
    });
  });
}
