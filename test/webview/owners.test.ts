// Coloring by owner: every owner its own color (kept by label across steps), the legend and the
// ownership table's swatches showing the painted colors, owners past the distinct colors said to
// share "other", and the minimap colored like the map.
import * as assert from 'node:assert/strict';
import type { InitMessage } from '../../core/protocol/messages';
import { HeapIndex } from '../../webview/model/heapIndex';
import { type PanelPage, panelPagePerTest } from './support/harness';
import { HostFixture } from './support/hostMessages';

const rgb = (rgba: readonly number[]) => rgba.slice(0, 3).join(',');

/** An unlabelled 1 KiB block, then one 1 KiB block per owner. */
function ownersFixture(owners: readonly string[]): HostFixture {
  const host = new HostFixture();
  assert.ok(host.session.allocate(1024n, 8n).ok);
  for (const owner of owners) assert.ok(host.session.allocate(1024n, 8n, owner).ok);
  return host;
}

/** Heap offset of each owner's (first) block, from the view model. */
function offsetsByOwner(init: InitMessage): Map<string, number> {
  const index = new HeapIndex(init.view);
  const out = new Map<string, number>();
  for (const block of init.view.allocations.blocks) {
    const info = index.block(block);
    const label = index.ownerLabel(info.owner);
    if (label && !out.has(label)) out.set(label, info.offset);
  }
  return out;
}

describe('coloring by owner', function () {
  this.timeout(60_000);
  let page: PanelPage;
  panelPagePerTest(p => {
    page = p;
  });

  const tableSwatch = (owner: string) =>
    page.onElement<string>(
      ['ownership-table', `vscode-table-row[data-owner="${owner}"] .swatch`],
      'return getComputedStyle(el).backgroundColor;',
    );
  const legendSwatch = (owner: string) =>
    page.onElement<string>(['block-map', `.legend .owner[data-owner="${owner}"] .swatch`], 'return getComputedStyle(el).backgroundColor;');
  const css = (rgba: readonly number[]) => `rgb(${rgba.slice(0, 3).join(', ')})`;

  it('gives each owner its own color, shown in the legend, the ownership table and the minimap', async () => {
    // Hashed into twelve hues, dma/isr and net/tx/usb shared colors: assigned per owner, none do.
    const owners = ['dma', 'isr', 'net/rx', 'net/tx', 'usb'];
    const init = ownersFixture(owners).init() as InitMessage;
    await page.send(init);
    const offsets = offsetsByOwner(init);
    assert.doesNotMatch(await page.text('block-map', '.legend'), /dma/, 'colored by order, the legend has no owners');
    const tableSwatches = () => page.onElement<number>(['ownership-table'], 'return el.shadowRoot.querySelectorAll(".swatch").length;');
    assert.equal(await tableSwatches(), 0, 'nor the table: owner colors would match nothing on the map');
    await page.colorBy('owner');
    assert.equal(await tableSwatches(), owners.length + 1);
    const legend = await page.text('block-map', '.legend');
    assert.match(legend, /dma isr net\/rx net\/tx usb no owner/);
    assert.doesNotMatch(legend, /other/);
    const painted = new Map<string, number[]>();
    for (const owner of owners) painted.set(owner, await page.mapPixel(offsets.get(owner)!));
    const colors = new Set([...painted.values()].map(rgb));
    colors.add(rgb(await page.mapPixel(0))); // the block without an owner
    colors.add(rgb(await page.mapPixel(0x8000))); // free
    assert.equal(colors.size, owners.length + 2, `distinct colors: ${[...colors].join(' ')}`);
    for (const owner of owners) {
      const pixel = painted.get(owner)!;
      assert.equal(await tableSwatch(owner), css(pixel), `${owner}'s swatch in the table is its painted color`);
      assert.equal(await legendSwatch(owner), css(pixel), `${owner}'s swatch in the legend is its painted color`);
      // A minimap row inside the owner's block shows the same color.
      assert.equal(
        rgb(await page.minimapPixel((offsets.get(owner)! + 512) / init.view.layout.size)),
        rgb(pixel),
        `${owner} on the minimap`,
      );
    }
    assert.equal(
      await page.onElement<string>(['block-map', '.legend .owner.none .swatch'], 'return getComputedStyle(el).backgroundColor;'),
      css(await page.mapPixel(0)),
    );
    // Back to order: blocks of one order share a color on the map and the minimap alike.
    await page.colorBy('order');
    const byOrder = await page.mapPixel(offsets.get('dma')!);
    for (const owner of owners) assert.equal(rgb(await page.mapPixel(offsets.get(owner)!)), rgb(byOrder));
    assert.equal(rgb(await page.minimapPixel((offsets.get('usb')! + 512) / init.view.layout.size)), rgb(byOrder));
  });

  it('says so when there are more owners than distinct colors: the rest share "other"', async () => {
    const owners = [
      'audio',
      'ble',
      'crypto',
      'dma',
      'fs/cache',
      'gfx',
      'isr',
      'log',
      'net/rx',
      'net/tx',
      'shell',
      'task:logger',
      'usb',
      'wifi',
    ];
    const init = ownersFixture(owners).init() as InitMessage;
    await page.send(init);
    const offsets = offsetsByOwner(init);
    await page.colorBy('owner');
    const legend = await page.text('block-map', '.legend');
    assert.match(legend, /task:logger 2 other owners no owner/);
    assert.doesNotMatch(legend, /usb|wifi/);
    const distinct = owners.slice(0, 12);
    const colors = new Set<string>();
    for (const owner of distinct) colors.add(rgb(await page.mapPixel(offsets.get(owner)!)));
    assert.equal(colors.size, 12, 'twelve owners, twelve colors');
    const usb = await page.mapPixel(offsets.get('usb')!);
    assert.equal(rgb(await page.mapPixel(offsets.get('wifi')!)), rgb(usb), 'the two others share one color');
    assert.ok(!colors.has(rgb(usb)), 'and it is none of the twelve');
    assert.equal(await tableSwatch('usb'), css(usb));
    assert.equal(await tableSwatch('wifi'), css(usb));
    assert.match(
      await page.onElement<string>(['ownership-table', 'vscode-table-row[data-owner="wifi"] .swatch'], 'return el.title;'),
      /"other" on the map: 2 owners share/,
    );
    assert.equal(
      await page.onElement<string>(['block-map', '.legend .owner.other .swatch'], 'return getComputedStyle(el).backgroundColor;'),
      css(usb),
    );
  });

  it('an owner keeps its color when a new owner comes before it in the labels', async () => {
    const host = ownersFixture(['net/rx', 'usb']);
    const init = host.init() as InitMessage;
    await page.send(init);
    await page.colorBy('owner');
    const offsets = offsetsByOwner(init);
    const usb = await page.mapPixel(offsets.get('usb')!);
    const netRx = await page.mapPixel(offsets.get('net/rx')!);
    // "dma" sorts first: the host's owner indexes all move by one.
    const dma = host.session.allocate(1024n, 8n, 'dma');
    assert.ok(dma.ok);
    const update = host.take();
    // Sent as the operation's patch, with the new label set: the webview remaps every owner index.
    assert.ok(update.type === 'update' && update.patch);
    assert.deepEqual(update.patch.ownerLabels, ['dma', 'net/rx', 'usb']);
    await page.send(update);
    await page.settle();
    assert.equal(rgb(await page.mapPixel(offsets.get('usb')!)), rgb(usb));
    assert.equal(rgb(await page.mapPixel(offsets.get('net/rx')!)), rgb(netRx));
    const dmaPixel = await page.mapPixel(dma.offset);
    assert.ok(![rgb(usb), rgb(netRx)].includes(rgb(dmaPixel)), 'the new owner gets a color of its own');
    assert.equal(await tableSwatch('dma'), css(dmaPixel));
  });
});
