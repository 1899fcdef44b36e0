// Screenshots of the panel in light, dark and high-contrast themes (test-results/screenshots/);
// the dark one is also the README's picture (media/screenshot.png).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Harness, REPO_ROOT } from './support/harness';
import { demoFixture } from './support/hostMessages';
import type { ThemeName } from './support/themes';

describe('screenshots', function () {
  this.timeout(60_000);
  let harness: Harness;
  before(async () => {
    harness = await Harness.start();
  });
  after(async () => {
    await harness?.close();
  });

  for (const theme of ['light', 'dark', 'high-contrast'] as ThemeName[]) {
    it(`${theme} theme`, async () => {
      const page = await harness.open(theme, { width: 1280, height: 900 });
      try {
        const host = demoFixture();
        host.controller.select(0x400);
        await page.send(host.init());
        const file = await page.screenshot(
          `panel-${theme}`,
          theme === 'dark' ? path.join(REPO_ROOT, 'media', 'screenshot.png') : undefined,
        );
        assert.ok(fs.statSync(file).size > 10_000);
        assert.deepEqual(await page.cspViolations(), []);
        // Theme colors reach the canvas: the map background is the theme's editor background, opaque
        // (an unpainted canvas is transparent black), and the free 32 KiB block is the theme's free
        // color (high contrast: its near-black widget color lifted toward the foreground to show).
        const corner = await page.onElement<number[]>(
          ['block-map', 'canvas.map'],
          'return [...el.getContext("2d").getImageData(el.width - 1, el.height - 1, 1, 1).data];',
        );
        const background = { light: [255, 255, 255], dark: [0x1f, 0x1f, 0x1f], 'high-contrast': [0, 0, 0] }[theme];
        assert.deepEqual(corner, [...background, 255]);
        const free = { light: [0xe8, 0xe8, 0xe8], dark: [0x33, 0x33, 0x38], 'high-contrast': [41, 41, 41] }[theme];
        assert.deepEqual(await page.mapPixel(0x8000), [...free, 255]);
        assert.notDeepEqual((await page.mapPixel(0x2000)).slice(0, 3), free, 'an allocated block is not');
      } finally {
        await page.close();
      }
    });
  }
});
