// A device heap's ownership in the panel: the table groups blocks by the root that owns them (and
// the possible leaks apart), the selected block shows its owning chain, its extent's certainty and
// its referrers, a block referrer selects the referring block, and a leak says so.
import * as assert from 'node:assert/strict';
import { type PanelPage, panelPagePerTest } from './support/harness';
import { scannedFixture } from './support/hostMessages';

describe('ownership of a scanned heap', function () {
  this.timeout(60_000);
  let page: PanelPage;
  panelPagePerTest(p => {
    page = p;
  });

  it('groups blocks by owning root, with the possible leaks apart and no requested sizes', async () => {
    const { init, blocks } = scannedFixture();
    await page.send(init);
    await page.settle();
    const table = await page.text('ownership-table', 'vscode-table');
    assert.match(table, /owner \(root\)/);
    assert.doesNotMatch(table, /requested/);
    assert.match(table, /app::CONFIG 2 /, table);
    assert.match(table, /no owner the scan can see: possible leaks\) 1 /, table);
    // The possible leaks come last, apart from the owners and marked as a warning.
    const rows = await page.onElement<{ owner: string; leaks: boolean; warning: boolean }[]>(
      ['ownership-table'],
      `return [...el.shadowRoot.querySelectorAll('vscode-table-row.owner')].map(r =>
        ({ owner: r.dataset.owner, leaks: r.classList.contains('leaks'), warning: !!r.querySelector('vscode-icon[name="warning"]') }));`,
    );
    assert.deepEqual(
      rows.map(r => [r.leaks, r.warning]),
      [
        [false, false],
        [true, true],
      ],
      JSON.stringify(rows),
    );
    assert.equal(rows[0]!.owner, 'app::CONFIG');
    const summary = (await page.text('block-owner', '.summary')) + ' ' + (await page.text('block-owner', 'p:last-of-type'));
    assert.match(summary, /Scanned 1 roots/);
    assert.match(summary, /1 possible leaks/);
    assert.match(summary, /Select an allocated block/);
    // Opened, the suspects' row lists the leaked block; a click selects it.
    const leaks = 'vscode-table-row.leaks';
    await page.click(['ownership-table', `${leaks} button.toggle`]);
    const base = BigInt(init.view.layout.base);
    assert.equal(await page.text('ownership-table', `${leaks} .blocks`), '0x' + (base + BigInt(blocks.c)).toString(16));
    await page.clearPosted();
    await page.click(['ownership-table', `${leaks} .blocks button.chip`]);
    assert.deepEqual(
      (await page.intents()).filter(m => m.type === 'selectBlock'),
      [{ type: 'selectBlock', offset: blocks.c }],
    );
  });

  it('shows the selected block’s chain and referrers; a referrer selects its block', async () => {
    const { init, blocks } = scannedFixture();
    await page.send({ ...init, selection: blocks.b });
    await page.settle();
    const base = BigInt(init.view.layout.base);
    const hexOf = (offset: number) => '0x' + (base + BigInt(offset)).toString(16);
    const details = await page.text('block-owner', 'dl');
    assert.match(details, new RegExp(`owner app::CONFIG\\.ptr → ${hexOf(blocks.a)} \\+0x4 → this block`), details);
    assert.match(details, new RegExp(`referenced by ${hexOf(blocks.a)}\\+0x4`), details);
    assert.match(details, /extent (exact|likely|span only) — /);
    const pair = await page.text('buddy-tree', 'dl.pair');
    assert.match(pair, /app::CONFIG/, 'the tree names the owner');
    assert.match(pair, /referenced by 1 word\b/);
    await page.clearPosted();
    await page.click(['block-owner', 'dd ul button']);
    await page.page.waitForFunction(() => true);
    const intents = await page.intents();
    assert.deepEqual(intents.filter(m => m.type === 'selectBlock').at(-1), { type: 'selectBlock', offset: blocks.a });
    assert.match(await page.text('block-owner', 'dl'), /owner app::CONFIG\.ptr → this block/);
  });

  it('says a leaked block has no owner and nothing refers to it', async () => {
    const { init, blocks } = scannedFixture();
    await page.send({ ...init, selection: blocks.c });
    await page.settle();
    const details = await page.text('block-owner', 'dl');
    assert.match(details, /owner none the scan can see/);
    assert.match(details, /referenced by nothing the scan read/);
    assert.match(details, /leak possible leak: no root reaches it/);
  });

  it('hovering a scanned block shows the root word that owns it and how many words refer to it', async () => {
    const { init, blocks } = scannedFixture();
    await page.send(init);
    await page.settle();
    const hover = async (offset: number) => {
      const r = await page.blockRect(offset);
      await page.page.mouse.move(r.x + r.w / 2, r.y + r.h / 2);
      await page.page.waitForFunction(
        () =>
          !document.querySelector('heap-app')!.shadowRoot!.querySelector('block-map')!.shadowRoot!.querySelector<HTMLElement>('.tooltip')!
            .hidden,
      );
      return page.text('block-map', '.tooltip');
    };
    const b = await hover(blocks.b);
    assert.match(b, /owner app::CONFIG\.ptr/);
    assert.match(b, /referenced by 1 word\b/);
    assert.doesNotMatch(b, /request/, 'a scanned block has no known request');
    const c = await hover(blocks.c);
    assert.match(c, /owner none: possible leak/);
    assert.match(c, /referenced by 0 words/);
  });

  it('outlines a leak suspect that persisted across stops, and says so in the legend', async () => {
    /** Colors on the map along the top edge of the block at `offset`. */
    const topEdge = async (offset: number) => {
      const r = await page.blockRect(offset);
      const canvas = await page.onElement<{ left: number; top: number }>(
        ['block-map', 'canvas.map'],
        'const b = el.getBoundingClientRect(); return { left: b.left, top: b.top };',
      );
      const [x, y, w] = [Math.round(r.x - canvas.left), Math.round(r.y - canvas.top) + 1, Math.round(r.w)];
      return new Set(
        await page.onElement<string[]>(
          ['block-map', 'canvas.map'],
          `const d = el.getContext('2d').getImageData(${x}, ${y}, ${w}, 1).data; const out = [];
          for (let i = 0; i < d.length; i += 4) out.push(d[i] + ',' + d[i + 1] + ',' + d[i + 2]); return out;`,
        ),
      );
    };
    const legend = () => page.text('block-map', '.legend');
    const BLOCKER = '248,81,73'; // the dark test theme's errorForeground: the map's blocker color
    const once = scannedFixture(false);
    await page.send(once.init);
    await page.settle();
    assert.ok(!(await topEdge(once.blocks.c)).has(BLOCKER), 'a suspect seen at one stop is not outlined');
    assert.doesNotMatch(await legend(), /leak suspect/);
    const twice = scannedFixture(true);
    await page.send(twice.init);
    await page.settle();
    assert.ok((await topEdge(twice.blocks.c)).has(BLOCKER), 'a suspect at two stops is outlined');
    assert.ok(!(await topEdge(twice.blocks.a)).has(BLOCKER), 'an owned block is not');
    assert.match(await legend(), /leak suspect at several stops/);
  });
});
