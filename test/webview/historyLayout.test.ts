// The history list's box: a short list lays out every row, so scrolling it into view moves
// nothing below it; a long one skips the rows scrolled out of it and keeps its box.
import * as assert from 'node:assert/strict';
import type { InitMessage } from '../../core/protocol/messages';
import { type PanelPage, panelPagePerTest } from './support/harness';
import { HostFixture } from './support/hostMessages';

/** The history-log's height when the page is scrolled to the top, then over 5 frames once scrolled into view. */
const HEIGHTS_INTO_VIEW = `window.scrollTo(0, 0);
return new Promise(done => requestAnimationFrame(() => {
  const seen = [Math.round(el.getBoundingClientRect().height)];
  el.scrollIntoView({ block: 'end' });
  let frames = 0;
  const next = () => {
    seen.push(Math.round(el.getBoundingClientRect().height));
    if (++frames < 5) requestAnimationFrame(next); else done(seen);
  };
  requestAnimationFrame(next);
}));`;

describe('the history list as it scrolls into view', function () {
  this.timeout(60_000);
  let page: PanelPage;
  panelPagePerTest(async p => {
    page = p;
    // Short enough that the history starts below the fold, so its rows were never in view.
    await page.page.setViewportSize({ width: 1280, height: 400 });
  });

  it('a short list keeps its height, so a click aimed below it lands where it was aimed', async () => {
    const host = new HostFixture();
    const rx = host.session.allocate(64n, 8n, 'net/rx');
    host.session.allocate(1024n, 8n, 'fs/cache');
    if (rx.ok) host.session.free(rx.address, 64n, 8n);
    const init = host.init() as InitMessage;
    await page.send(init);
    assert.equal(init.history.entries.length, 4);
    const heights = await page.onElement<number[]>(['history-log'], HEIGHTS_INTO_VIEW);
    assert.equal(new Set(heights).size, 1, `history heights over the frames: ${heights.join(', ')}`);
  });

  it('a long list skips its hidden rows and keeps its box', async () => {
    const host = new HostFixture();
    for (let i = 0; i < 40; i++) host.session.allocate(16n, 8n, 'net/rx');
    const init = host.init() as InitMessage;
    await page.send(init);
    const heights = await page.onElement<number[]>(['history-log'], HEIGHTS_INTO_VIEW);
    assert.equal(new Set(heights).size, 1, `history heights over the frames: ${heights.join(', ')}`);
    const skipped = await page.onElement<number>(
      ['history-log'],
      `return [...el.shadowRoot.querySelectorAll('ol > li')].filter(li => getComputedStyle(li).contentVisibility === 'auto').length;`,
    );
    assert.ok(skipped > 20, `rows that may skip layout: ${skipped}`);
  });
});
