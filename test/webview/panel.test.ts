// The panel renders what the host sends: header, free lists, buddy pair and tree, ownership,
// statistics, history and findings, for messages made by the real host code.
import * as assert from 'node:assert/strict';
import { hex } from '../../core/layout';
import type { InitMessage } from '../../core/protocol/messages';
import { type PanelPage, panelPagePerTest } from './support/harness';
import { HostFixture, demoFixture } from './support/hostMessages';

describe('heap panel rendering', function () {
  this.timeout(60_000);
  let page: PanelPage;
  panelPagePerTest(p => {
    page = p;
  });

  it('says ready with the protocol version, then waits for the heap', async () => {
    const posted = await page.posted();
    assert.deepEqual(posted[0], { type: 'ready', protocol: 1 });
    assert.match(await page.text('.waiting'), /Waiting for the heap/);
  });

  it('renders the header, statistics and the rendered report for the init state', async () => {
    const host = demoFixture();
    const init = host.init() as InitMessage;
    await page.send(init);
    assert.equal(await page.text('h1'), 'Simulated heap');
    assert.match(await page.text('header .detail'), /64 KiB at 0x20000000, 12 orders, 4-byte pointers, little endian/);
    const stats = init.view.stats;
    assert.match(await page.text('heap-stats', '[data-stat="free"]'), new RegExp(`free ${(stats.freeBytes / 1024).toFixed(1)} KiB`));
    assert.match(await page.text('heap-stats', '[data-stat="largest-free"]'), /largest free block 32 KiB/);
    assert.match(await page.text('heap-stats', '[data-stat="fragmentation"]'), new RegExp(`${(100 * stats.fragmentation).toFixed(1)}%`));
    const rendered = (await page.posted()).find(m => m.type === 'rendered');
    const freeBlocks = init.view.freeLists.reduce((n, l) => n + l.offsets.length, 0);
    assert.deepEqual(rendered, {
      type: 'rendered',
      revision: init.revision,
      step: 9,
      blocks: init.view.blocks.count,
      freeBlocks,
      findings: 0,
      selection: null,
      notice: null,
    });
  });

  it('shows each free list head first with the next words as in memory', async () => {
    const host = demoFixture();
    await page.send(host.init());
    const heap = host.session.heap;
    for (let order = 0; order < heap.orders; order++) {
      const expected = heap.freeList(order).map(offset => hex(heap.address(offset)));
      const shown = await page.onElement<string[]>(
        ['free-lists'],
        `return [...el.shadowRoot.querySelectorAll('vscode-tree-item.order[data-order="${order}"] .entry .chip')].map(b => b.textContent.trim());`,
      );
      assert.deepEqual(shown, expected, `order ${order}`);
      const count = await page.text('free-lists', `vscode-tree-item.order[data-order="${order}"] .count`);
      assert.equal(count, `${expected.length} free`);
    }
    // next pointers are the words in the heap image: read one back from the model's bytes.
    const order0 = heap.freeList(0)[0]!;
    const word = heap.image.readWord(order0)!;
    const arrow = await page.text('free-lists', 'vscode-tree-item.order[data-order="0"] .entry .arrow');
    assert.equal(arrow, `→ ${word === 0n ? 'null' : hex(word)}`);
    assert.match(await page.text('free-lists', 'vscode-tree-item.order[data-order="11"] .head'), /head null/);
  });

  it('shows ownership totals per owner label', async () => {
    const host = demoFixture();
    await page.send(host.init());
    const rows = await page.onElement<string[][]>(
      ['ownership-table'],
      `return [...el.shadowRoot.querySelectorAll('vscode-table-row.owner')].map(row => [...row.querySelectorAll('vscode-table-cell')].map(cell => cell.textContent.trim()));`,
    );
    assert.deepEqual(
      rows.map(r => r[0]),
      ['fs/cache', 'net/rx', 'task:logger', '(no owner)'],
    );
    assert.deepEqual(rows[0], ['fs/cache', '2', '12 KiB', '12 KiB', '18.8%']);
    assert.deepEqual(rows[2]!.slice(1, 3), ['2', '768 B']);
    // Opening an owner lists its blocks inside its own row (the numbers stay); clicking one selects it.
    const netRx = 'vscode-table-row[data-owner="net/rx"]';
    const expanded = () =>
      page.onElement<string | null>(['ownership-table', `${netRx} button.toggle`], 'return el.getAttribute("aria-expanded");');
    assert.equal(await expanded(), 'false');
    await page.click(['ownership-table', `${netRx} button.toggle`]);
    assert.equal(await expanded(), 'true');
    const chips = await page.onElement<string[]>(
      ['ownership-table'],
      `return [...el.shadowRoot.querySelectorAll('${netRx} .blocks button.chip')].map(b => b.textContent.trim());`,
    );
    const heap = host.session.heap;
    const owned = heap.liveAllocations().filter(a => a.owner === 'net/rx');
    assert.deepEqual(
      chips,
      owned.map(a => hex(heap.address(a.offset))),
    );
    await page.clearPosted();
    await page.click(['ownership-table', `${netRx} .blocks button.chip`]);
    assert.deepEqual(await page.intents(), [{ type: 'selectBlock', offset: owned[0]!.offset }]);
    assert.equal(owned[0]!.offset, 0);
  });

  it('a heap with more owners than a page lists the first page, the rest on request', async () => {
    const host = new HostFixture();
    const owners = Array.from({ length: 150 }, (_, i) => `task-${String(i).padStart(3, '0')}`);
    for (const owner of owners) assert.ok(host.session.allocate(32n, 8n, owner).ok);
    await page.send(host.init());
    const rows = () =>
      page.onElement<string[]>(
        ['ownership-table'],
        `return [...el.shadowRoot.querySelectorAll('vscode-table-row.owner')].map(r => r.dataset.owner);`,
      );
    // Equal bytes: by label.
    assert.deepEqual(await rows(), owners.slice(0, 100));
    assert.equal(await page.text('ownership-table', 'vscode-table-row.more'), 'show 50 more of 50 owners');
    await page.onElement(['ownership-table', 'button.more'], 'el.focus();');
    await page.page.keyboard.press('Enter');
    await page.settle();
    assert.deepEqual(await rows(), owners);
    assert.equal(
      await page.onElement<number>(['ownership-table'], 'return el.shadowRoot.querySelectorAll("vscode-table-row.more").length;'),
      0,
    );
    assert.equal(
      await page.onElement<string>(['ownership-table'], 'return el.shadowRoot.activeElement?.closest("vscode-table-row")?.dataset.owner;'),
      owners[100],
      'the first owner shown by "show more" has the focus',
    );
  });

  it("the minimap paints the heap: free and allocated regions in the map's colors, the view outlined", async () => {
    const init = demoFixture().init() as InitMessage;
    await page.send(init);
    await page.settle();
    const size = init.view.layout.size;
    // The lower half is one free 32 KiB block; fs/cache's 8 KiB block sits at 0x2000.
    const free = await page.minimapPixel(0.75);
    assert.deepEqual(free, [0x33, 0x33, 0x38, 255], "the theme's free color, opaque");
    const allocated = await page.minimapPixel((0x2000 + 0x1000) / size);
    assert.equal(allocated[3], 255);
    assert.notDeepEqual(allocated, free);
    assert.deepEqual(allocated, await page.mapPixel(0x2000), 'the color of the block on the map');
    // The whole heap is in view: the outline runs down the minimap's left edge in the focus color.
    const edge = await page.onElement<number[]>(
      ['block-map', 'heap-minimap', 'canvas'],
      'return [...el.getContext("2d").getImageData(0, Math.floor(el.height / 2), 1, 1).data];',
    );
    assert.deepEqual(edge, [0x00, 0x78, 0xd4, 255]);
  });

  it('shows the statistics: largest allocation that would succeed, per-order counts and the chart over the history', async () => {
    // 1 KiB of 64 B blocks, two pinned, the rest free: 896 B free in blocks of at most 256 B.
    const host = new HostFixture({ base: 0x2000_0000n, size: 1024n, orders: 5, pointerWidth: 4, endianness: 'little' });
    for (let i = 0; i < 16; i++) host.session.allocate(64n, 64n, 'pin');
    for (let i = 0; i < 16; i++) if (i !== 0 && i !== 8) host.session.free(0x2000_0000n + BigInt(i * 64), 64n, 64n);
    const init = host.init() as InitMessage;
    await page.send(init);
    assert.equal(await page.text('heap-stats', '[data-stat="free"] dd'), '896 B (87.5%)');
    assert.equal(await page.text('heap-stats', '[data-stat="used"] dd'), '128 B (12.5%)');
    assert.equal(await page.text('heap-stats', '[data-stat="largest-free"] dd'), '256 B');
    assert.equal(await page.text('heap-stats', '[data-stat="largest-allocatable"]'), 'largest allocation that fits 256 B');
    const perOrder = await page.onElement<string[][]>(
      ['heap-stats'],
      `return [...el.shadowRoot.querySelectorAll('vscode-table-body vscode-table-row')].map(tr => [...tr.querySelectorAll('vscode-table-cell')].map(td => td.textContent.trim()));`,
    );
    assert.deepEqual(perOrder, [
      ['4', '1 KiB', '0', '0'],
      ['3', '512 B', '0', '0'],
      ['2', '256 B', '2', '0'],
      ['1', '128 B', '2', '0'],
      ['0', '64 B', '2', '2'],
    ]);
    // The chart: one point per step (and the last repeated), starting from an empty heap.
    const steps = init.history.total;
    assert.equal(steps, 31, 'the heap, 16 allocations, 14 frees');
    const chart = await page.onElement<{ label: string; free: string[]; frag: string[]; cursor: string | null }>(
      ['heap-stats', 'stats-chart'],
      `const r = el.shadowRoot;
      const points = c => r.querySelector('polyline.' + c).getAttribute('points').split(' ');
      return { label: r.querySelector('svg').getAttribute('aria-label'), free: points('free'), frag: points('frag'), cursor: r.querySelector('line.cursor').getAttribute('x1') };`,
    );
    assert.match(chart.label, /^Statistics over 31 steps; at step 30: 896 bytes free, largest free block 256 bytes, fragmentation \d+%$/);
    assert.equal(chart.free.length, steps + 1);
    assert.equal(chart.free[0], '0.0,2.0', 'step 0: the whole heap free (top of the chart)');
    assert.equal(chart.free[16], '170.7,88.0', 'step 16: nothing free (bottom)');
    assert.equal(chart.free[steps - 1], `320.0,${(90 - 2 - (896 / 1024) * 86).toFixed(1)}`);
    assert.equal(chart.frag.length, steps + 1);
    assert.equal(chart.cursor, '320', 'the shown step: the last');
    assert.match(await page.text('heap-stats', 'stats-chart', '.legend'), /free bytes largest free block fragmentation/);
    // Each key shows its line: the series' stroke color and style.
    const keys = await page.onElement<string[]>(
      ['heap-stats', 'stats-chart'],
      `const r = el.shadowRoot;
      return ['free', 'largest', 'frag'].map(c => {
        const key = getComputedStyle(r.querySelector('.key-' + c), '::before'), line = getComputedStyle(r.querySelector('polyline.' + c));
        return key.borderTopColor === line.stroke && (key.borderTopStyle === 'dashed') === (line.strokeDasharray !== 'none') ? 'ok' : c;
      });`,
    );
    assert.deepEqual(keys, ['ok', 'ok', 'ok']);
  });

  it('shows the history with the current step, and the change from the previous step', async () => {
    const host = demoFixture();
    const init = host.init() as InitMessage;
    await page.send(init);
    const rows = await page.onElement<string[]>(
      ['history-log'],
      `return [...el.shadowRoot.querySelectorAll('li[data-step]')].map(li => li.querySelector('.op').textContent);`,
    );
    assert.equal(rows.length, 10);
    assert.equal(rows[0], 'heap 65536 orders=12 base=0x20000000 ptr=4 endian=little');
    assert.equal(rows[1], 'alloc 64 8 owner=net/rx');
    assert.equal(rows[9], 'free 0x20000080 128 8');
    assert.match(await page.text('history-log', 'li[aria-current="step"]'), /#9 free 0x20000080 128 8/);
    assert.match(await page.text('history-log', '.position'), /step 9 of 9/);
    // The last step freed 128 B at 0x20000080; the diff says so.
    assert.match(await page.text('history-log', '.changes'), /step 8 → 9: 1 freed/);
    assert.ok(init.diff && init.diff.count === 1 && init.diff.kinds[0] === 1 && init.diff.offsets[0] === 0x80);
  });

  it('shows the selected block with its buddy and ancestors, and the tree path to it', async () => {
    const host = demoFixture();
    host.controller.select(0x40);
    await page.send(host.init());
    const pair = await page.text('buddy-tree', 'dl.pair');
    assert.match(pair, /selected 0x20000040 · 32 B · order 0 · allocated/);
    assert.match(pair, /buddy 0x20000060 · free/);
    assert.match(pair, /split from 0x20000040\/1 0x20000000\/2 0x20000000\/3 0x20000000\/4 … 7 more up to the whole heap/);
    const selectedNode = await page.onElement<string>(
      ['buddy-tree'],
      `return el.shadowRoot.querySelector('vscode-tree-item[aria-selected="true"]').dataset.key;`,
    );
    assert.equal(selectedNode, '0:64');
    const buddyNode = await page.onElement<string>(
      ['buddy-tree'],
      `return el.shadowRoot.querySelector('vscode-tree-item.buddy').dataset.key;`,
    );
    assert.equal(buddyNode, '0:96');
    await page.clearPosted();
    await page.click(['buddy-tree', '.buddy-info button']);
    assert.deepEqual(await page.intents(), [{ type: 'selectBlock', offset: 0x60 }]);
  });

  it('renders integrity findings linked to their blocks', async () => {
    const host = new HostFixture();
    const init = host.init() as InitMessage;
    const withFindings: InitMessage = {
      ...init,
      view: {
        ...init.view,
        findings: [
          {
            kind: 'UnmergedBuddies',
            severity: 'warning',
            order: 10,
            address: '0x20008000',
            offset: 0x8000,
            message: 'the free block 0x20008000 and its buddy 0x20000000 are both free at order 10',
          },
          {
            kind: 'NextOutOfHeap',
            severity: 'error',
            order: 3,
            address: '0x20000100',
            offset: 0x100,
            message: 'the next pointer of 0x20000100 points outside the heap',
          },
        ],
      },
    };
    await page.send(withFindings);
    const kinds = await page.onElement<string[]>(
      ['findings-list'],
      `return [...el.shadowRoot.querySelectorAll('li[data-kind]')].map(li => li.dataset.kind);`,
    );
    assert.deepEqual(kinds, ['NextOutOfHeap', 'UnmergedBuddies'], 'errors first');
    assert.match(
      await page.text('findings-list', 'li[data-kind="NextOutOfHeap"]'),
      /order 3 · 0x20000100 the next pointer of 0x20000100 points outside the heap/,
    );
    assert.match(await page.sectionHeading('findings'), /Integrity findings 2/i);
    await page.clearPosted();
    await page.click(['findings-list', 'li[data-kind="UnmergedBuddies"] button']);
    // The finding's offset lies inside the one free 64 KiB block: that block gets selected.
    assert.deepEqual(await page.intents(), [{ type: 'selectBlock', offset: 0 }]);
  });

  it('applies partial updates: a new allocation changes the map, lists and history, with the change highlighted', async () => {
    const host = demoFixture();
    await page.send(host.init());
    const before = host.outbox.length;
    const result = host.session.allocate(16n, 16n, 'isr');
    assert.ok(result.ok);
    const update = host.take();
    assert.equal(host.outbox.length, before + 1);
    assert.equal(update.type, 'update');
    assert.ok(
      update.type === 'update' && update.patch && update.historyTail && update.diff && update.source === undefined && !update.view,
      'only the changed parts: the operation as a patch to the view and a tail of the history',
    );
    await page.send(update);
    assert.match(await page.text('history-log', 'li[aria-current="step"]'), /alloc 16 16 owner=isr/);
    const kinds = await page.onElement<string[]>(
      ['history-log'],
      `return [...el.shadowRoot.querySelectorAll('.changes .chip')].map(c => c.dataset.kind);`,
    );
    assert.ok(kinds.includes('new'), `changes: ${kinds}`);
    const rows = await page.onElement<string[]>(
      ['ownership-table'],
      `return [...el.shadowRoot.querySelectorAll('vscode-table-row.owner')].map(row => row.dataset.owner);`,
    );
    assert.ok(rows.includes('isr'));
  });

  it('rejects malformed host messages without crashing and reports them', async () => {
    const host = demoFixture();
    const init = host.init() as InitMessage;
    await page.send(init);
    await page.clearPosted();
    const bad = {
      ...init,
      revision: init.revision + 1,
      view: { ...init.view, blocks: { ...init.view.blocks, count: init.view.blocks.count + 1 } },
    };
    await page.send(bad as InitMessage, false);
    await page.send({ type: 'nonsense', revision: 99 } as unknown as InitMessage, false);
    await page.page.waitForFunction(
      () => (window as unknown as { __posted: { type: string }[] }).__posted.filter(m => m.type === 'webviewError').length >= 2,
    );
    const errors = (await page.posted()).filter(m => m.type === 'webviewError').map(m => (m as { message: string }).message);
    assert.match(errors[0]!, /rejected a host message: init\.view\.blocks\.codes: has \d+ items, expected \d+/);
    assert.match(errors[1]!, /unknown type "nonsense"/);
    assert.equal(await page.text('h1'), 'Simulated heap', 'the last good state still shows');
  });

  it('shows a failed allocation notice with the blocks in the way, and dismisses it', async () => {
    const host = new HostFixture({ base: 0x2000_0000n, size: 1024n, orders: 5, pointerWidth: 4, endianness: 'little' });
    host.init();
    // Fill with 64 B blocks, then free all but one in each half: 896 B free, no free 512 B block.
    for (let i = 0; i < 16; i++) host.session.allocate(64n, 64n, 'pin');
    for (let i = 0; i < 16; i++) if (i !== 0 && i !== 8) host.session.free(0x2000_0000n + BigInt(i * 64), 64n, 64n);
    const failed = host.session.allocate(512n, 8n, 'big');
    assert.equal(failed.ok, false);
    host.controller.receive({ type: 'ready', protocol: 1 });
    await page.send(host.take());
    const text = await page.text('notice-banner', '.banner');
    assert.match(text, /HeapExhausted \(fragmentation\)/);
    assert.match(text, /the heap is fragmented/);
    assert.match(text, /896 B is free/);
    const chips = await page.onElement<string[]>(
      ['notice-banner'],
      `return [...el.shadowRoot.querySelectorAll('.chip')].map(c => c.textContent);`,
    );
    assert.deepEqual(chips, ['0x20000000'], 'the one allocation pinning the cheapest 512 B region');
    await page.clearPosted();
    await page.click(['notice-banner', 'vscode-toolbar-button[label="Dismiss"]']);
    assert.deepEqual(await page.intents(), [{ type: 'dismissNotice' }]);
    assert.equal(await page.text('notice-banner', '.banner'), '');
  });
});
