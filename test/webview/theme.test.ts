// Switching between two themes of the same kind (dark to dark): VS Code keeps the body's class and
// theme kind, rewrites the --vscode-* variables in <html>'s style attribute and changes the theme
// name and id on the body. The map, the minimap and the owner swatches must follow.
import * as assert from 'node:assert/strict';
import { type PanelPage, panelPagePerTest } from './support/harness';
import { demoFixture } from './support/hostMessages';

const rgb = (rgba: readonly number[]) => rgba.slice(0, 3).join(',');
const FREE_BLOCK = 0x8000; // the demo's free 32 KiB block: the lower half of the heap
const FREE_FRACTION = 0.75;

describe('theme switches of the same kind', function () {
  this.timeout(60_000);
  let page: PanelPage;
  panelPagePerTest(async p => {
    page = p;
    await page.send(demoFixture().init());
    await page.settle();
  });

  it("new variables in <html>'s style with a new theme id repaint the map and the minimap", async () => {
    assert.equal(rgb(await page.mapPixel(FREE_BLOCK)), '51,51,56');
    assert.equal(rgb(await page.minimapPixel(FREE_FRACTION)), '51,51,56');
    await page.page.evaluate(() => {
      document.documentElement.style.setProperty('--vscode-editorWidget-background', '#204060');
      document.body.setAttribute('data-vscode-theme-id', 'Abyss');
    });
    await page.settle();
    assert.equal(rgb(await page.mapPixel(FREE_BLOCK)), '32,64,96');
    assert.equal(rgb(await page.minimapPixel(FREE_FRACTION)), '32,64,96');
    assert.equal(
      await page.onElement<string>(['block-map', '.legend .swatch.free'], 'return getComputedStyle(el).backgroundColor;'),
      'rgb(32, 64, 96)',
    );
  });

  for (const attribute of ['data-vscode-theme-name', 'data-vscode-theme-id']) {
    it(`a new ${attribute} alone re-reads the colors`, async () => {
      // Variables that change without a mutation VS Code would make (a stylesheet), then the attribute.
      await page.page.evaluate(() => {
        const sheet = new CSSStyleSheet();
        sheet.replaceSync('html { --vscode-editorWidget-background: #603020; }');
        document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
      });
      await page.settle();
      assert.equal(rgb(await page.mapPixel(FREE_BLOCK)), '51,51,56', 'nothing told the map yet');
      await page.page.evaluate(name => document.body.setAttribute(name, 'Other Dark'), attribute);
      await page.settle();
      assert.equal(rgb(await page.mapPixel(FREE_BLOCK)), '96,48,32');
      assert.equal(rgb(await page.minimapPixel(FREE_FRACTION)), '96,48,32');
    });
  }

  it('owner colors follow the theme on the map and in the ownership table', async () => {
    await page.colorBy('owner');
    // fs/cache sorts first among the demo's owners: the first owner color, the theme's blue.
    assert.equal(rgb(await page.mapPixel(0x2000)), '55,148,255');
    await page.page.evaluate(() => document.documentElement.style.setProperty('--vscode-charts-blue', '#10a0b0'));
    await page.settle();
    assert.equal(rgb(await page.mapPixel(0x2000)), '16,160,176');
    assert.equal(
      await page.onElement<string>(
        ['ownership-table', 'vscode-table-row[data-owner="fs/cache"] .swatch'],
        'return getComputedStyle(el).backgroundColor;',
      ),
      'rgb(16, 160, 176)',
    );
  });
});
