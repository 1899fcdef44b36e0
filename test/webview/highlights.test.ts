// What the panel highlights: the change between two steps (new, freed, split and merged blocks)
// on the free lists and as outlines on the map, and the blocks a failed allocation's notice names.
import * as assert from 'node:assert/strict';
import type { InitMessage } from '../../core/protocol/messages';
import { type PanelPage, panelPagePerTest } from './support/harness';
import { HostFixture, demoFixture } from './support/hostMessages';

// The dark test theme's chart colors: new, freed, split, merged outlines; the notice's blockers.
const NEW = '137,209,133';
const FREED = '241,76,76';
const SPLIT = '55,148,255';
const MERGED = '177,128,215';
const BLOCKER = '248,81,73';

const rgb = (rgba: readonly number[]) => rgba.slice(0, 3).join(',');

describe('highlights', function () {
  this.timeout(60_000);
  let page: PanelPage;
  panelPagePerTest(p => {
    page = p;
  });

  /** Colors along the map's top pixel row, where a region starting at the heap's start has its top edge. */
  const topEdge = async () =>
    new Set(
      await page.onElement<string[]>(
        ['block-map', 'canvas.map'],
        `el.scrollIntoView({ block: 'start' });
    const d = el.getContext('2d').getImageData(0, 1, el.width, 1).data; const out = [];
    for (let i = 0; i < d.length; i += 4) out.push(d[i] + ',' + d[i + 1] + ',' + d[i + 2]); return out;`,
      ),
    );
  /** The same map without the diff: what the outlines cover. */
  const withoutDiff = async <T>(read: () => Promise<T>): Promise<T> => {
    await page.onElement(['block-map'], 'el.diff = null; el.paint();');
    return read();
  };
  const chipClasses = (order: number) =>
    page.onElement<Record<string, string>>(
      ['free-lists'],
      `return Object.fromEntries([...el.shadowRoot.querySelectorAll('vscode-tree-item.order[data-order="${order}"] .entry .chip')].map(b => [b.dataset.offset, b.className.replace(/\\s+/g, ' ').trim()]));`,
    );

  it('marks a freed block in its free list and outlines it on the map', async () => {
    const init = demoFixture().init() as InitMessage; // the last step freed 128 B at 0x80
    await page.send(init);
    assert.match((await chipClasses(2))['128']!, /\bchanged-freed\b/);
    for (const order of [0, 6, 9, 10]) {
      for (const [offset, classes] of Object.entries(await chipClasses(order)))
        assert.doesNotMatch(classes, /changed-/, `order ${order} entry ${offset} did not change`);
    }
    assert.equal(rgb(await page.mapPixel(0x80, 'corner')), FREED);
    assert.notEqual(rgb(await withoutDiff(() => page.mapPixel(0x80, 'corner'))), FREED);
  });

  it('outlines new and split blocks, then freed and merged ones, and marks the merged free block', async () => {
    const host = new HostFixture();
    await page.send(host.init());
    // One allocation in an empty heap: the whole heap split, a new 1 KiB block at its start.
    assert.ok(host.session.allocate(1024n, 8n, 'a').ok);
    await page.send(host.take());
    assert.equal(rgb(await page.mapPixel(0, 'corner')), NEW, "the new block (drawn over its parent's outline)");
    assert.ok((await topEdge()).has(SPLIT), "the split heap's dashed outline");
    assert.ok(!(await withoutDiff(topEdge)).has(SPLIT));
    // A second block, then freeing the first: its 1 KiB block freed.
    assert.ok(host.session.allocate(1024n, 8n, 'b').ok);
    await page.send(host.take());
    host.session.free(0x2000_0000n, 1024n, 8n);
    await page.send(host.take());
    assert.equal(rgb(await page.mapPixel(0, 'corner')), FREED);
    // Freeing the second merges everything back into one free block.
    host.session.free(0x2000_0400n, 1024n, 8n);
    const merged = host.take();
    await page.send(merged);
    assert.deepEqual(
      await page.onElement<string[]>(
        ['history-log'],
        `return [...el.shadowRoot.querySelectorAll('.changes .chip')].map(c => c.textContent);`,
      ),
      ['1 freed', '1 merged'],
    );
    assert.match((await chipClasses(11))['0']!, /\bchanged-merged\b/);
    const edge = await topEdge();
    assert.ok(edge.has(MERGED), "the merged heap's dashed outline");
    assert.ok(edge.has(FREED), 'the freed block inside it');
    const plain = await withoutDiff(topEdge);
    assert.ok(!plain.has(MERGED) && !plain.has(FREED));
  });

  it('outlines the blocks standing in the way of a failed allocation until the notice is dismissed', async () => {
    const host = new HostFixture({ base: 0x2000_0000n, size: 1024n, orders: 5, pointerWidth: 4, endianness: 'little' });
    host.init();
    for (let i = 0; i < 16; i++) host.session.allocate(64n, 64n, 'pin');
    for (let i = 0; i < 16; i++) if (i !== 0 && i !== 8) host.session.free(0x2000_0000n + BigInt(i * 64), 64n, 64n);
    assert.equal(host.session.allocate(512n, 8n, 'big').ok, false);
    host.controller.receive({ type: 'ready', protocol: 1 });
    const init = host.take() as InitMessage;
    assert.deepEqual(init.notice?.blocks, [{ offset: 0, order: 0 }]);
    await page.send(init);
    assert.equal(rgb(await page.mapPixel(0, 'corner')), BLOCKER);
    assert.notEqual(rgb(await page.mapPixel(0x200, 'corner')), BLOCKER, 'the other pinned block is not in the way of the cheapest region');
    await page.click(['notice-banner', 'vscode-toolbar-button[label="Dismiss"]']);
    await page.settle();
    assert.notEqual(rgb(await page.mapPixel(0, 'corner')), BLOCKER);
  });
});
