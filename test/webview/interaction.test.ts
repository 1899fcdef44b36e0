// What the user's clicks and keys send to the host: map hover, click and keyboard, free-list
// entries, history stepping and comparing, toolbar buttons. Also UI state surviving a reload.
import * as assert from 'node:assert/strict';
import type { InitMessage } from '../../core/protocol/messages';
import { Box, type PanelPage, panelPagePerTest } from './support/harness';
import { demoFixture } from './support/hostMessages';

describe('heap panel interaction', function () {
  this.timeout(60_000);
  let page: PanelPage;
  let init: InitMessage;
  panelPagePerTest(async p => {
    page = p;
    init = demoFixture().init() as InitMessage;
    await page.send(init);
    await page.clearPosted();
  });

  it('hovering a block shows its address, order, size, state, owner and buddy', async () => {
    const r = await page.blockRect(0x400); // net/rx's 1 KiB block
    await page.page.mouse.move(r.x + r.w / 2, r.y + r.h / 2);
    await page.page.waitForFunction(
      () =>
        !document.querySelector('heap-app')!.shadowRoot!.querySelector('block-map')!.shadowRoot!.querySelector<HTMLElement>('.tooltip')!
          .hidden,
    );
    const tip = await page.text('block-map', '.tooltip');
    assert.match(tip, /address 0x20000400/);
    assert.match(tip, /size 1 KiB \(order 5\)/);
    assert.match(tip, /state allocated/);
    assert.match(tip, /owner net\/rx/);
    assert.match(tip, /request size 1024, align 8/);
    assert.match(tip, /buddy 0x20000000 \(split\)/);
  });

  it('clicking a block selects it (selectBlock intent) and the views follow', async () => {
    const r = await page.blockRect(0x1000); // fs/cache's 4 KiB block
    await page.page.mouse.click(r.x + 2, r.y + 2);
    assert.deepEqual(await page.intents(), [{ type: 'selectBlock', offset: 0x1000 }]);
    assert.match(await page.text('buddy-tree', 'dl.pair'), /selected 0x20001000 · 4 KiB · order 7 · allocated · fs\/cache/);
    const label = await page.onElement<string>(['block-map', 'canvas.map'], 'return el.getAttribute("aria-label");');
    assert.match(label, /selected: allocated block at 0x20001000, 4 KiB, order 7, owner fs\/cache/);
  });

  it('free and allocated blocks are painted in different theme colors', async () => {
    const free = await page.mapPixel(0x8000);
    const allocated = await page.mapPixel(0x2000);
    assert.notDeepEqual(free, allocated);
    // The free color is the theme's --vscode-editorWidget-background (#333338 in the dark test theme).
    assert.deepEqual(free.slice(0, 3), [0x33, 0x33, 0x38]);
    // One canvas pixel per device pixel: a canvas larger than its box is drawn squeezed.
    const size = await page.onElement<number[]>(
      ['block-map', 'canvas.map'],
      'const r = el.getBoundingClientRect(); return [el.width - Math.floor(r.width), el.height - Math.floor(r.height)];',
    );
    assert.deepEqual(size, [0, 0]);
  });

  it('keys walk the blocks: arrows, Home/End, B for the buddy, P for the parent, Escape', async () => {
    await page.click(['block-map', 'canvas.map']);
    await page.clearPosted();
    await page.page.keyboard.press('Home');
    await page.page.keyboard.press('ArrowRight');
    await page.page.keyboard.press('ArrowRight');
    await page.page.keyboard.press('b');
    await page.page.keyboard.press('End');
    await page.page.keyboard.press('Escape');
    const intents = await page.intents();
    assert.deepEqual(intents, [
      { type: 'selectBlock', offset: 0 },
      { type: 'selectBlock', offset: 0x40 },
      { type: 'selectBlock', offset: 0x60 },
      { type: 'selectBlock', offset: 0x40 },
      { type: 'selectBlock', offset: 0x8000 },
      { type: 'selectBlock', offset: null },
    ]);
    const live = await page.text('block-map', '[aria-live]');
    assert.equal(live, 'Selection cleared');
  });

  it('zoom keys and buttons change the zoom; the view state is saved with setState', async () => {
    const zoom = () => page.onElement<number>(['block-map'], 'return el.viewState.zoom;');
    const fit = await zoom();
    await page.click(['block-map', 'vscode-toolbar-button[label="Zoom in"]']);
    assert.equal(await zoom(), fit + 1);
    await page.click(['block-map', 'canvas.map']);
    await page.page.keyboard.press('-');
    await page.page.keyboard.press('-');
    assert.equal(await zoom(), fit - 1);
    const saved = await page.page.evaluate(() => (window as unknown as { __state: { zoom: number } }).__state);
    assert.equal(saved.zoom, fit - 1);
  });

  it('a free-list entry click selects its block', async () => {
    await page.click(['free-lists', 'vscode-tree-item.order[data-order="10"] .entry .chip']);
    assert.deepEqual(await page.intents(), [{ type: 'selectBlock', offset: 0x8000 }]);
  });

  it('history buttons, rows and keys send stepTo; compare sends compareWith', async () => {
    await page.click(['history-log', 'vscode-button[aria-label="Previous step"]']);
    await page.click(['history-log', 'li[data-step="3"] > span.muted']); // a click focuses the row too
    await page.page.keyboard.press('Home');
    await page.click(['history-log', 'li[data-step="2"] button.compare']); // the pointer over the row shows it
    assert.deepEqual(await page.intents(), [
      { type: 'stepTo', step: 8 },
      { type: 'stepTo', step: 3 },
      { type: 'stepTo', step: 0 },
      { type: 'compareWith', step: 2 },
    ]);
  });

  it('comparing two steps works from the keyboard: Tab to the history, arrows choose, C or the compare button', async () => {
    const host = demoFixture();
    await page.send(host.init());
    await page.clearPosted();
    const focusedStep = () =>
      page.onElement<string | undefined>(['history-log'], 'const a = el.shadowRoot.activeElement; return a?.closest("li")?.dataset.step;');
    const compareVisible = (step: number) =>
      page.onElement<string>(['history-log', `li[data-step="${step}"] button.compare`], 'return getComputedStyle(el).visibility;');
    // The list is one tab stop: from the step buttons, Tab lands on the shown step.
    await page.onElement(['history-log', 'vscode-button[aria-label="Previous step"]'], 'el.focus();');
    await page.page.keyboard.press('Tab');
    assert.equal(await focusedStep(), '9');
    // Up/Down move between steps without showing them; the focused step's compare button shows.
    await page.page.keyboard.press('ArrowUp');
    await page.page.keyboard.press('ArrowUp');
    assert.equal(await focusedStep(), '7');
    assert.equal(await compareVisible(7), 'visible');
    assert.equal(await compareVisible(8), 'hidden');
    assert.deepEqual(await page.intents(), [], 'moving focus shows nothing yet');
    await page.page.keyboard.press('c');
    assert.deepEqual(await page.intents(), [{ type: 'compareWith', step: 7 }]);
    // The host answers with the diff between steps 7 and 9; focus stays on step 7.
    host.controller.receive({ type: 'compareWith', step: 7 });
    await page.send(host.take());
    assert.match(await page.text('history-log', '.changes'), /step 7 → 9/);
    assert.equal(await focusedStep(), '7');
    // Tab reaches the focused step's compare button; Enter on it compares, not steps.
    await page.clearPosted();
    await page.page.keyboard.press('Tab');
    assert.equal(await page.onElement<string>(['history-log'], 'return el.shadowRoot.activeElement.className;'), 'link compare');
    await page.page.keyboard.press('Enter');
    assert.deepEqual(await page.intents(), [{ type: 'compareWith', step: 7 }]);
    // Back on the row, Enter shows that step; Left then steps back and focus follows the shown step.
    await page.clearPosted();
    await page.page.keyboard.press('Shift+Tab');
    await page.page.keyboard.press('Enter');
    assert.deepEqual(await page.intents(), [{ type: 'stepTo', step: 7 }]);
    host.controller.receive({ type: 'stepTo', step: 7 });
    await page.send(host.take());
    assert.match(await page.text('history-log', '.position'), /step 7 of 9/);
    await page.clearPosted();
    await page.page.keyboard.press('ArrowLeft');
    assert.deepEqual(await page.intents(), [{ type: 'stepTo', step: 6 }]);
    host.controller.receive({ type: 'stepTo', step: 6 });
    await page.send(host.take());
    assert.equal(await focusedStep(), '6');
  });

  it('a re-render for something else (closing a section) does not repaint the map', async () => {
    await page.settle();
    const paints = () => page.onElement<number>(['block-map'], 'return el.paintStats.paints;');
    const before = await paints();
    await page.click(['heap-section[data-section="owners"]', '.collapsible-header']);
    // The app re-renders once the section's toggle is saved in its state.
    await page.page.waitForFunction(() =>
      ((window as unknown as { __state: { closedSections?: string[] } | null }).__state?.closedSections ?? []).includes('owners'),
    );
    await page.click(['heap-section[data-section="owners"]', '.collapsible-header']);
    await page.page.waitForFunction(
      () => !((window as unknown as { __state: { closedSections?: string[] } | null }).__state?.closedSections ?? []).includes('owners'),
    );
    await page.settle();
    assert.equal(await paints(), before);
  });

  it('the chart steps to the clicked point', async () => {
    const box = await page.onElement<Box>(
      ['heap-stats', 'stats-chart', 'svg'],
      'el.scrollIntoView({ block: "center" }); const r = el.getBoundingClientRect(); return { x: r.left, y: r.top, w: r.width, h: r.height };',
    );
    await page.page.mouse.click(box.x + 1, box.y + box.h / 2);
    assert.deepEqual(await page.intents(), [{ type: 'stepTo', step: 0 }]);
  });

  it('toolbar buttons run the commands; Free selected frees the selected allocation', async () => {
    for (const [label, command] of [
      ['Allocate…', 'simulateAllocation'],
      ['Free…', 'simulateDeallocation'],
      ['Reset', 'resetHeap'],
      ['Layout…', 'configureLayout'],
      ['Replay trace…', 'replayTrace'],
      ['Export trace…', 'exportTrace'],
    ]) {
      await page.onElement(
        ['header'],
        `[...el.querySelectorAll('vscode-button')].find(b => b.textContent.trim() === ${JSON.stringify(label)}).click();`,
      );
      assert.deepEqual((await page.intents()).pop(), { type: 'runCommand', command });
    }
    const disabled = await page.onElement<boolean>(['vscode-button[aria-label="Free the selected allocation"]'], 'return el.disabled;');
    assert.equal(disabled, true, 'nothing selected yet');
    await page.click(['free-lists', 'vscode-tree-item.order[data-order="0"] .entry .chip']); // a free block: still disabled
    assert.equal(await page.onElement<boolean>(['vscode-button[aria-label="Free the selected allocation"]'], 'return el.disabled;'), true);
    const r = await page.blockRect(0x100);
    await page.page.mouse.click(r.x + 2, r.y + 2);
    await page.clearPosted();
    await page.click(['vscode-button[aria-label="Free the selected allocation"]']);
    assert.deepEqual(await page.intents(), [{ type: 'freeBlock', offset: 0x100 }]);
  });

  it('the buddy tree opens and closes with the keyboard', async () => {
    await page.onElement(['buddy-tree', 'vscode-tree-item'], 'el.focus();');
    const expanded = () =>
      page.onElement<string | null>(['buddy-tree', 'vscode-tree-item[data-key="10:0"]'], 'return el.getAttribute("aria-expanded");');
    assert.equal(await expanded(), 'false');
    await page.page.keyboard.press('ArrowDown');
    await page.page.keyboard.press('ArrowRight');
    assert.equal(await expanded(), 'true');
    await page.page.keyboard.press('ArrowLeft');
    assert.equal(await expanded(), 'false');
  });

  it('selection, zoom and closed sections survive a reload (getState/setState)', async () => {
    const r = await page.blockRect(0x1000);
    await page.page.mouse.click(r.x + 2, r.y + 2);
    await page.click(['block-map', 'vscode-toolbar-button[label="Zoom in"]']);
    await page.onElement(['heap-section[data-section="owners"]', '.collapsible-header'], 'el.click();');
    const zoom = await page.onElement<number>(['block-map'], 'return el.viewState.zoom;');
    // <details> fires `toggle` from a queued task, so the closed section is saved a task after the
    // click: on a busy machine the reload could come first. Reload once everything is saved.
    await page.page.waitForFunction(
      ({ offset, zoomLevel }) => {
        const s = (window as unknown as { __state: { selection?: number; zoom?: number; closedSections?: string[] } | null }).__state;
        return s?.selection === offset && s.zoom === zoomLevel && (s.closedSections ?? []).includes('owners');
      },
      { offset: 0x1000, zoomLevel: zoom },
    );
    await page.page.reload();
    await page.page.waitForFunction(() => (window as unknown as { __posted: unknown[] }).__posted.length > 0);
    // The host re-sends the state after `ready`; it forgot the selection (a restart).
    const again = demoFixture().init() as InitMessage;
    await page.send(again);
    const posted = await page.posted();
    assert.deepEqual(
      posted.find(m => m.type === 'selectBlock'),
      { type: 'selectBlock', offset: 0x1000 },
      'the restored selection is told to the host',
    );
    assert.match(await page.text('buddy-tree', 'dl.pair'), /selected 0x20001000/);
    assert.equal(await page.onElement<number>(['block-map'], 'return el.viewState.zoom;'), zoom);
    assert.equal(await page.onElement<boolean>(['heap-section[data-section="owners"]'], 'return el.open;'), false);
  });
});
