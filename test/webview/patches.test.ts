// A panel that followed a simulation operation by operation (each one a patch to the view and a
// tail of the history, each repainting only what it changed) must show exactly what a panel given
// the whole state at the end shows: the same map and minimap pixels, the same lists, tree, tables
// and history. Random allocations and frees, with owners coming and going, coloured by owner.
import * as assert from 'node:assert/strict';
import { encodeForPage } from './support/encode';
import { PanelPage, panelPagePerTest } from './support/harness';
import { HostFixture } from './support/hostMessages';
import { Random } from '../support/random';

/** Everything the panel shows, as text and pixel hashes. */
async function shown(page: PanelPage): Promise<Record<string, string>> {
  await page.settle();
  return page.page.evaluate(() => {
    const app = document.querySelector('heap-app')!.shadowRoot!;
    const hash = (canvas: HTMLCanvasElement) => {
      const data = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
      let h = 2166136261;
      for (let i = 0; i < data.length; i++) h = Math.imul(h ^ data[i]!, 16777619);
      return `${canvas.width}x${canvas.height}:${h >>> 0}`;
    };
    const map = app.querySelector('block-map')!.shadowRoot!;
    const text = (tag: string) => (app.querySelector(tag)?.shadowRoot?.textContent ?? '').replace(/\s+/g, ' ');
    return {
      map: hash(map.querySelector<HTMLCanvasElement>('canvas.map')!),
      minimap: hash(map.querySelector('heap-minimap')!.shadowRoot!.querySelector('canvas')!),
      tree: text('buddy-tree'),
      freeLists: text('free-lists'),
      ownership: text('ownership-table'),
      stats: text('heap-stats'),
      history: text('history-log'),
    };
  });
}

describe('a panel following operations', function () {
  this.timeout(120_000);
  let page: PanelPage;
  panelPagePerTest(p => {
    page = p;
  });

  it('shows what a panel given the whole state shows, after every kind of change', async () => {
    const host = new HostFixture();
    const sim = host.session;
    await page.send(host.init());
    host.outbox.length = 0;
    await page.colorBy('owner');
    const random = new Random(11);
    const owners = ['dma', 'net/rx', 'zz/late', 'a/first'];
    let patches = 0;
    for (let i = 0; i < 40; i++) {
      const live = sim.heap.liveAllocations();
      if (live.length > 0 && random.chance(0.4)) sim.freeAt(random.pick(live).offset);
      else sim.allocate(BigInt(random.int(1, 2048)), 1n << BigInt(random.int(0, 5)), random.chance(0.8) ? random.pick(owners) : undefined);
      if (i === 20 && sim.heap.liveAllocations().length > 0) host.controller.select(sim.heap.liveAllocations()[0]!.offset);
      for (const update of host.outbox.splice(0)) {
        if (update.type === 'update' && update.patch) patches++;
        await page.send(update);
      }
    }
    assert.ok(patches >= 35, `${patches} of 40 operations came as patches`);
    const followed = await shown(page);
    await page.send(host.init());
    assert.deepEqual(followed, await shown(page));
  });

  it('shows each operation of a burst on the map, and renders the other sections at most once a frame', async () => {
    const host = new HostFixture();
    const sim = host.session;
    await page.send(host.init());
    host.outbox.length = 0;
    const OPERATIONS = 8;
    for (let i = 0; i < OPERATIONS; i++) sim.allocate(BigInt(16 + i), 8n, 'burst');
    const updates = host.outbox.splice(0);
    assert.equal(updates.filter(u => u.type === 'update' && u.patch).length, OPERATIONS);
    // All delivered in one task, counting map paints, section renders and frames meanwhile.
    await page.page.evaluate(encoded => {
      const counts = { mapPaints: 0, historyRenders: 0, frames: 0 };
      (window as unknown as { __burst: typeof counts }).__burst = counts;
      window.addEventListener('map-painted', () => counts.mapPaints++);
      const log = customElements.get('history-log')!.prototype as { render(): unknown };
      const render = log.render;
      log.render = function (this: unknown) {
        counts.historyRenders++;
        return render.call(this);
      };
      const frame = () => {
        counts.frames++;
        requestAnimationFrame(frame);
      };
      requestAnimationFrame(frame);
      for (const message of encoded) (window as unknown as { __deliver(m: unknown): void }).__deliver(message);
    }, updates.map(encodeForPage));
    await page.waitRendered(updates[updates.length - 1]!.revision);
    const counts = await page.page.evaluate(
      () => (window as unknown as { __burst: { mapPaints: number; historyRenders: number; frames: number } }).__burst,
    );
    assert.equal(counts.mapPaints, OPERATIONS, 'the map paints every operation');
    assert.ok(counts.historyRenders >= 1 && counts.historyRenders <= counts.frames, JSON.stringify(counts));
    assert.ok(counts.historyRenders < OPERATIONS, `the history rendered once a frame, not per operation: ${JSON.stringify(counts)}`);
    // And the sections caught up: the last operation is the history's current step.
    assert.match(await page.text('history-log', 'li[aria-current="step"]'), /alloc 23 8 owner=burst/);
    // The panel's timing marks stay bounded (the browser would keep every one for the page's life).
    const marks = await page.page.evaluate(() => performance.getEntriesByType('mark').map(mark => mark.name));
    assert.deepEqual(
      [...new Set(marks)].length,
      marks.length,
      `one mark of each name, whatever the number of messages: ${marks.join(', ')}`,
    );
  });
});
