// Views straight from the decoder on damaged memory: findings linked to blocks, unknown blocks
// on the map, broken lists marked, and a refused snapshot that still explains itself.
import * as assert from 'node:assert/strict';
import { zeroStats } from '../../core/decoder/emptyHeapView';
import type { InitMessage } from '../../core/protocol/messages';
import { type PanelPage, panelPagePerTest } from './support/harness';
import { HostFixture } from './support/hostMessages';

describe('decoded heaps with damage', function () {
  this.timeout(60_000);
  let page: PanelPage;
  panelPagePerTest(p => {
    page = p;
  });

  it('a next pointer out of the heap: the finding links to its block and the list is marked broken', async () => {
    const host = new HostFixture();
    host.session.allocate(64n, 8n, 'net/rx');
    host.session.allocate(64n, 8n, 'net/rx');
    // Corrupt the 256 B free block's next word (offset 0x100, order 3), as a stray write would,
    // then step away and back so the session decodes the damaged bytes afresh.
    host.session.heap.image.writeWord(0x100, 0x1234_5678n);
    host.session.stepTo(1);
    host.session.stepTo(2);
    const init = host.init() as InitMessage;
    assert.ok(init.view.findings.length > 0, 'the decoder reports it');
    await page.send(init);
    const kinds = await page.onElement<string[]>(
      ['findings-list'],
      `return [...el.shadowRoot.querySelectorAll('li[data-kind]')].map(li => li.dataset.kind);`,
    );
    assert.ok(kinds.includes('NextOutOfHeap'), `findings: ${kinds}`);
    const finding = init.view.findings.find(f => f.kind === 'NextOutOfHeap')!;
    assert.match(await page.text('findings-list', 'li[data-kind="NextOutOfHeap"]'), new RegExp(finding.message.replace(/[()[\]]/g, '.')));
    const brokenOrder = init.view.freeLists.find(l => l.broken)!.order;
    assert.match(await page.text('free-lists', `vscode-tree-item.order[data-order="${brokenOrder}"] .head`), /list broken: see findings/);
    assert.match(await page.text('free-lists', `vscode-tree-item.order[data-order="${brokenOrder}"]`), /→ 0x12345678/);
    await page.clearPosted();
    // The bad address is outside the heap: the link goes to the block whose next word holds it.
    assert.equal(finding.linkedOffset, 0x100);
    await page.click(['findings-list', 'li[data-kind="NextOutOfHeap"] button.linked']);
    assert.deepEqual(await page.intents(), [{ type: 'selectBlock', offset: 0x100 }]);
  });

  it('a refused snapshot (struct fields that make no heap) renders its findings and no blocks', async () => {
    const host = new HostFixture();
    const init = host.init() as InitMessage;
    const refused: InitMessage = {
      ...init,
      source: { kind: 'live', label: 'target heap', detail: 'stopped at main.c:42', canSimulate: false },
      view: {
        ...init.view,
        layout: { ...init.view.layout, size: 0, orders: 0, minBlockSize: 0 },
        blocks: { count: 0, codes: new Uint8Array(0), owners: new Uint16Array(0) },
        freeLists: [],
        stats: zeroStats(),
        findings: [{ kind: 'BadHeapSize', severity: 'error', message: 'heap_size 0x3000 is not a power of two' }],
        allocations: { count: 0, blocks: new Uint32Array(0), sizes: new Float64Array(0), alignLog2: new Uint8Array(0) },
        ownerLabels: [],
      },
    };
    await page.send(refused);
    assert.equal(await page.text('h1'), 'target heap');
    assert.equal(
      await page.onElement<number>(['header'], 'return el.querySelectorAll("button, vscode-button").length;'),
      0,
      'no simulation buttons on a live heap',
    );
    assert.match(await page.text('findings-list', 'ul'), /BadHeapSize heap_size 0x3000 is not a power of two/);
    assert.match(await page.text('buddy-tree', 'p'), /could not be decoded/);
    assert.deepEqual(
      page.errors.filter(e => !e.includes('404')),
      [],
    );
  });
});
