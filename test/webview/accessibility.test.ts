// Accessibility checked, not assumed: axe-core's WCAG 2.x A/AA rules over the whole panel in the
// light, dark and high-contrast test themes (zero violations), and a keyboard walk that reaches
// every control with Tab and works the panel's actions with Enter and Space.
import AxeBuilder from '@axe-core/playwright';
import * as assert from 'node:assert/strict';
import { hex } from '../../core/layout';
import type { InitMessage } from '../../core/protocol/messages';
import { type PanelPage, panelPagePerTest } from './support/harness';
import { type HostFixture, demoFixture } from './support/hostMessages';
import type { ThemeName } from './support/themes';

const WCAG_AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

/** The panel as a user meets it: the demo heap, a block selected, a notice showing. */
async function showDemo(page: PanelPage, host: HostFixture = demoFixture()): Promise<InitMessage> {
  host.controller.select(0x400);
  const init = host.init() as InitMessage;
  await page.send(init);
  await page.settle();
  return init;
}

/** The tree item that has focus, and which component's tree it is in; undefined when focus is not on one. */
interface FocusedItem {
  readonly tree: string;
  readonly key?: string;
  readonly offset?: number;
  readonly order?: number;
  readonly kind: string;
  readonly expanded: string | null;
}

async function focusedItem(page: PanelPage): Promise<FocusedItem | undefined> {
  return page.page.evaluate(() => {
    let active: Element | null = document.activeElement;
    let host = '';
    while (active?.shadowRoot?.activeElement) {
      host = active.localName;
      active = active.shadowRoot.activeElement;
    }
    if (active?.localName !== 'vscode-tree-item') return undefined;
    const item = active as HTMLElement;
    const offset = item.dataset['offset'] ?? item.dataset['more'];
    const order = item.dataset['order'];
    return {
      tree: host,
      ...(item.dataset['key'] !== undefined ? { key: item.dataset['key'] } : {}),
      ...(offset !== undefined ? { offset: Number(offset) } : {}),
      ...(order !== undefined ? { order: Number(order) } : {}),
      kind: item.className.trim() || 'node',
      expanded: item.getAttribute('aria-expanded'),
    };
  });
}

/** Tab until a tree item of `tree` has focus (at most `limit` presses). */
async function tabInto(page: PanelPage, tree: string, limit = 60): Promise<FocusedItem> {
  for (let i = 0; i < limit; i++) {
    await page.page.keyboard.press('Tab');
    const at = await focusedItem(page);
    if (at?.tree === tree) return at;
  }
  throw new Error(`Tab never reached the ${tree} tree`);
}

/** ArrowDown until `wanted` holds for the focused item (at most `limit` presses); the keys of the items passed. */
async function arrowDownTo(page: PanelPage, wanted: (at: FocusedItem) => boolean, limit = 40): Promise<FocusedItem> {
  const passed: string[] = [];
  for (let i = 0; i < limit; i++) {
    await page.page.keyboard.press('ArrowDown');
    const at = await focusedItem(page);
    if (!at) throw new Error(`ArrowDown moved focus out of the tree after ${passed.join(', ')}`);
    if (wanted(at)) return at;
    passed.push(at.key ?? `${at.kind}:${at.order}:${at.offset}`);
  }
  throw new Error(`ArrowDown never reached the item wanted (passed ${passed.join(', ')})`);
}

/** Opens an owner's row of the ownership table (so its block buttons show) without moving the focus. */
async function openOwner(page: PanelPage, owner: string): Promise<void> {
  await page.onElement(['ownership-table', `vscode-table-row[data-owner="${owner}"] button.toggle`], 'el.click();');
  await page.page.waitForFunction(
    o =>
      document
        .querySelector('heap-app')!
        .shadowRoot!.querySelector('ownership-table')!
        .shadowRoot!.querySelector(`vscode-table-row[data-owner="${o}"] .blocks .chip`) !== null,
    owner,
  );
}

/** The ownership table's control that has focus: an owner's button or a block's. */
async function focusedInOwners(
  page: PanelPage,
): Promise<{ owner: string; kind: string; expanded: string | null; text: string } | undefined> {
  return page.page.evaluate(() => {
    let active: Element | null = document.activeElement;
    let host = '';
    while (active?.shadowRoot?.activeElement) {
      host = active.localName;
      active = active.shadowRoot.activeElement;
    }
    if (host !== 'ownership-table' || active?.localName !== 'button') return undefined;
    return {
      owner: active.closest('vscode-table-row')?.getAttribute('data-owner') ?? '',
      kind: active.classList.contains('toggle') ? 'owner' : active.classList.contains('chip') ? 'block' : active.className,
      expanded: active.getAttribute('aria-expanded'),
      text: active.textContent?.trim() ?? '',
    };
  });
}

for (const theme of ['light', 'dark', 'high-contrast'] as ThemeName[]) {
  describe(`accessibility (${theme})`, function () {
    this.timeout(120_000);
    let page: PanelPage;
    panelPagePerTest(p => {
      page = p;
    }, theme);

    it('axe finds no WCAG A/AA violations in the panel', async () => {
      await showDemo(page);
      await openOwner(page, 'net/rx');
      assert.deepEqual(await page.cspViolations(), [], 'no CSP violations before axe runs');
      const errorsBefore = page.errors.length;
      const results = await new AxeBuilder({ page: page.page as never }).withTags(WCAG_AA).analyze();
      // axe adds <style> elements of its own while it measures; the panel's CSP refuses them
      // (as it should). The panel's own violations were checked above.
      await page.settle();
      await page.page.evaluate(() => {
        (window as unknown as { __cspViolations: string[] }).__cspViolations = [];
      });
      const axeErrors = page.errors.splice(errorsBefore);
      assert.deepEqual(
        axeErrors.filter(e => !e.startsWith('Applying inline style violates')),
        [],
        'no other errors while axe ran',
      );
      const violations = results.violations.map(
        v =>
          `${v.id} (${v.impact}): ${v.help}\n${v.nodes.map(n => `    ${n.target.join(' ')}: ${n.failureSummary?.replace(/\s+/g, ' ')}`).join('\n')}`,
      );
      assert.deepEqual(violations, [], `axe violations:\n${violations.join('\n')}`);
      // The rules did run over the panel's shadow trees (a page axe could not see passes trivially).
      assert.ok(results.passes.length > 15, `axe checked ${results.passes.length} rules`);
      assert.ok(
        results.passes.some(p => p.nodes.some(n => JSON.stringify(n.target).includes('vscode-button'))),
        'axe looked inside the panel',
      );
    });
  });
}

describe('keyboard', function () {
  this.timeout(120_000);
  let page: PanelPage;
  panelPagePerTest(p => {
    page = p;
  });

  it('Tab reaches every control of the panel, in order, and comes back around', async () => {
    await showDemo(page);
    await openOwner(page, 'net/rx');
    // Every element that should be a tab stop, found in the live DOM across shadow roots: buttons
    // that are enabled and visible, the map, the dropdown, the section headers, roving-tabindex items.
    await page.page.evaluate(() => {
      const controls: Element[] = [];
      const walk = (root: Document | ShadowRoot) => {
        for (const el of root.querySelectorAll('*')) {
          if (el.shadowRoot) walk(el.shadowRoot);
          const tag = el.tagName.toLowerCase();
          const style = getComputedStyle(el);
          if (style.visibility === 'hidden' || style.display === 'none' || (el as HTMLElement).offsetParent === null) continue;
          const isControl =
            (tag === 'vscode-button' && !el.hasAttribute('disabled')) ||
            tag === 'vscode-toolbar-button' ||
            tag === 'vscode-single-select' ||
            (tag === 'button' &&
              !(el as HTMLButtonElement).disabled &&
              !(el.getRootNode() as ShadowRoot).host?.tagName.startsWith('VSCODE-')) ||
            (el.getAttribute('tabindex') === '0' && !(el.getRootNode() as ShadowRoot).host?.tagName.startsWith('VSCODE-'));
          if (isControl) controls.push(el);
        }
      };
      walk(document);
      const w = window as unknown as { __controls: Element[]; __reached: Set<Element> };
      w.__controls = controls;
      w.__reached = new Set();
    });
    const controls = await page.page.evaluate(() => (window as unknown as { __controls: Element[] }).__controls.length);
    assert.ok(controls >= 20, `the panel has its controls (${controls})`);
    // Tab until focus comes back to where it started; record every element on the focus chain.
    // Each stop is told apart by identity (two unlabelled buttons read alike), and described for the message.
    const step = () =>
      page.page.evaluate(() => {
        const w = window as unknown as { __reached: Set<Element>; __first?: Element };
        let active: Element | null = document.activeElement;
        let deepest: Element | null = null;
        const chain: string[] = [];
        while (active) {
          w.__reached.add(active);
          deepest = active;
          const label =
            active.getAttribute('aria-label') ??
            active.getAttribute('label') ??
            active.getAttribute('data-section') ??
            (active.tagName === 'VSCODE-BUTTON' ? (active.textContent?.trim() ?? '') : '');
          chain.push(`${active.tagName.toLowerCase()}${label ? `[${label}]` : ''}`);
          active = active.shadowRoot?.activeElement ?? null;
        }
        const back = deepest !== null && deepest === w.__first;
        w.__first ??= deepest ?? undefined;
        return { at: chain.join(' > '), back };
      });
    const stops: string[] = [];
    for (let i = 0; i < 400; i++) {
      await page.page.keyboard.press('Tab');
      const { at, back } = await step();
      if (back) break;
      stops.push(at);
    }
    assert.ok(stops.length < 400, 'Tab comes back around (no trap)');
    const missed = await page.page.evaluate(() => {
      const w = window as unknown as { __controls: Element[]; __reached: Set<Element> };
      return w.__controls
        .filter(c => !w.__reached.has(c))
        .map(
          c =>
            `${c.tagName.toLowerCase()} ${c.getAttribute('aria-label') ?? c.getAttribute('label') ?? c.textContent?.trim().slice(0, 40)}`,
        );
    });
    assert.deepEqual(missed, [], `controls Tab never reaches (stops: ${stops.length})`);
    // The main actions come first, then the map's bar and the map itself.
    const order = ['Allocate', 'Free the selected allocation', 'Color blocks by', 'Zoom in', 'heap block map'];
    const positions = order.map(word => stops.findIndex(s => s.includes(word) || (word === 'heap block map' && s.includes('canvas'))));
    assert.ok(
      positions.every((p, i) => p >= 0 && (i === 0 || p > positions[i - 1]!)),
      `in order: ${JSON.stringify(positions)}`,
    );
  });

  it('Enter and Space work the toolbar, the sections, the zoom and the dropdown', async () => {
    const focus = (path: string[]) => page.onElement(path, 'el.focus();');
    await showDemo(page);
    await page.clearPosted();
    // The header's actions (vscode-button: Enter and Space click it).
    await focus(['vscode-button[icon="add"]']);
    await page.page.keyboard.press('Enter');
    await focus(['vscode-button[icon="discard"]']);
    await page.page.keyboard.press('Space');
    await focus(['vscode-button[aria-label="Free the selected allocation"]']);
    await page.page.keyboard.press('Enter');
    assert.deepEqual(await page.intents(), [
      { type: 'runCommand', command: 'simulateAllocation' },
      { type: 'runCommand', command: 'resetHeap' },
      { type: 'freeBlock', offset: 0x400 },
    ]);
    // A section header closes and opens its section.
    await focus(['heap-section[data-section="free"]', '.collapsible-header']);
    await page.page.keyboard.press('Enter');
    assert.equal(await page.onElement<boolean>(['heap-section[data-section="free"]'], 'return el.open;'), false);
    await page.page.keyboard.press('Space');
    assert.equal(await page.onElement<boolean>(['heap-section[data-section="free"]'], 'return el.open;'), true);
    // The zoom buttons.
    const zoom = () => page.onElement<number>(['block-map'], 'return el.viewState.zoom;');
    const fit = await zoom();
    await focus(['block-map', 'vscode-toolbar-button[label="Zoom in"]', 'button']);
    await page.page.keyboard.press('Enter');
    assert.equal(await zoom(), fit + 1);
    // The color dropdown: open with Space, choose with the arrows and Enter.
    await focus(['block-map', 'vscode-single-select']);
    const dropdownOpen = () => page.onElement<boolean>(['block-map', 'vscode-single-select'], 'return el.open;');
    // The key goes where the focus is: wait until the dropdown has it. On a busy machine the focus
    // now and then does not take (seen once in the whole suite under CI's load), so ask again.
    await page.page.waitForFunction(() => {
      const select = document
        .querySelector('heap-app')!
        .shadowRoot!.querySelector('block-map')!
        .shadowRoot!.querySelector<HTMLElement>('vscode-single-select')!;
      if (!select.matches(':focus, :focus-within')) select.focus();
      return select.matches(':focus, :focus-within');
    });
    const opens = () =>
      page.page
        .waitForFunction(
          () =>
            document.querySelector('heap-app')!.shadowRoot!.querySelector('block-map')!.shadowRoot!.querySelector('vscode-single-select')!
              .open,
          undefined,
          { timeout: 3000 },
        )
        .then(
          () => true,
          () => false,
        );
    await page.page.keyboard.press('Space');
    // vscode-single-select now and then drops the first key after taking the focus (seen once in
    // a few dozen runs): a second Space must open it.
    if (!(await opens())) {
      await page.page.keyboard.press('Space');
      assert.ok(await opens(), 'Space opens the dropdown');
    }
    await page.page.keyboard.press('ArrowDown');
    await page.page.keyboard.press('Enter');
    assert.equal(await dropdownOpen(), false, 'Enter chose and closed the list');
    await page.page.waitForFunction(() => document.querySelector('heap-app')!.shadowRoot!.querySelector('block-map')!.colorBy === 'owner');
    const saved = await page.page.evaluate(() => (window as unknown as { __state: { colorBy?: string } }).__state.colorBy);
    assert.equal(saved, 'owner');
  });

  it('Tab reaches the buddy tree and the free lists; arrows walk their rows, Enter selects a block', async () => {
    const host = demoFixture();
    await showDemo(page, host);
    await page.clearPosted();
    const heap = host.session.heap;
    const isBlock = (offset: number, order: number) => heap.freeList(order).includes(offset) || heap.allocationAt(offset)?.order === order;

    // The buddy tree: one Tab stop, the whole heap's node, open down to the selected block.
    const root = await tabInto(page, 'buddy-tree');
    assert.deepEqual([root.key, root.expanded], [`${heap.orders - 1}:0`, 'true']);
    // A split node on the open path opens with → (its children are built then) and closes with ←.
    const split = await arrowDownTo(page, at => at.expanded === 'false');
    await page.page.keyboard.press('ArrowRight');
    assert.equal((await focusedItem(page))?.expanded, 'true', `${split.key} opened`);
    const child = await arrowDownTo(page, () => true);
    assert.deepEqual([child.order, child.offset], [split.order! - 1, split.offset], 'the first child is the lower half');
    await page.page.keyboard.press('ArrowLeft');
    assert.equal((await focusedItem(page))?.key, split.key, '← goes back to the parent');
    await page.page.keyboard.press('ArrowLeft');
    assert.equal((await focusedItem(page))?.expanded, 'false', `${split.key} closed`);
    // Further down, the first block other than the selected one (0x400): Enter chooses it.
    const block = await arrowDownTo(page, at => at.expanded === null && at.offset !== 0x400);
    assert.ok(isBlock(block.offset!, block.order!), `${block.key} is a block of the heap`);
    await page.page.keyboard.press('Enter');
    assert.deepEqual(await page.intents(), [{ type: 'selectBlock', offset: block.offset }]);

    // The free lists: Tab lands on the largest order's row; the entries follow their order's row.
    await page.clearPosted();
    const first = await tabInto(page, 'free-lists');
    assert.deepEqual([first.kind, first.order], ['order empty', heap.orders - 1]);
    const withEntries = [...Array(heap.orders).keys()].reverse().find(order => heap.freeList(order).length > 0)!;
    const entry = await arrowDownTo(page, at => at.kind === 'entry');
    assert.equal(entry.offset, heap.freeList(withEntries)[0], `the head of order ${withEntries}'s list`);
    await page.page.keyboard.press('Enter');
    assert.deepEqual(await page.intents(), [{ type: 'selectBlock', offset: entry.offset }]);
    // ← to the order's row, ← closes it, and ↓ then skips its entries.
    await page.page.keyboard.press('ArrowLeft');
    const row = await focusedItem(page);
    assert.deepEqual([row?.kind, row?.order], ['order', withEntries]);
    await page.page.keyboard.press('ArrowLeft');
    assert.equal((await focusedItem(page))?.expanded, 'false');
    const next = await arrowDownTo(page, () => true);
    assert.equal(next.order, withEntries - 1, 'the next order, past the closed list');
  });

  it('Tab reaches the ownership table; Enter, Space and the arrows open owners and walk them, Enter selects a block', async () => {
    const host = demoFixture();
    await showDemo(page, host);
    await page.clearPosted();
    const heap = host.session.heap;
    const addressOf = (offset: number) => hex(heap.address(offset));
    const blocksOf = (owner: string) => heap.liveAllocations().filter(a => a.owner === owner);
    // The owners in the table's order (most bytes first), from the model.
    const bytes = new Map<string, number>();
    for (const a of heap.liveAllocations()) if (a.owner) bytes.set(a.owner, (bytes.get(a.owner) ?? 0) + heap.orderSize(a.order));
    const owners = [...bytes.keys()].sort((a, b) => bytes.get(b)! - bytes.get(a)! || a.localeCompare(b));
    const at = () => focusedInOwners(page);
    let first: Awaited<ReturnType<typeof at>>;
    for (let i = 0; i < 80 && !(first = await at()); i++) await page.page.keyboard.press('Tab');
    assert.deepEqual(first, { owner: owners[0], kind: 'owner', expanded: 'false', text: owners[0] }, 'Tab lands on the first owner');
    // Enter opens, ← closes, Space opens again (focus stays on the owner's button).
    await page.page.keyboard.press('Enter');
    assert.equal((await at())?.expanded, 'true');
    await page.page.keyboard.press('ArrowLeft');
    assert.equal((await at())?.expanded, 'false');
    await page.page.keyboard.press('Space');
    assert.equal((await at())?.expanded, 'true');
    // ↓ goes to the next owner's button (past the open owner's blocks), → opens it, ↑ comes back.
    await page.page.keyboard.press('ArrowDown');
    assert.deepEqual(await at(), { owner: owners[1], kind: 'owner', expanded: 'false', text: owners[1] });
    await page.page.keyboard.press('ArrowRight');
    assert.equal((await at())?.expanded, 'true');
    await page.page.keyboard.press('ArrowUp');
    assert.equal((await at())?.owner, owners[0]);
    await page.page.keyboard.press('ArrowDown');
    // Tab walks into the open owner's blocks, in address order; Enter and Space select them.
    const [b0, b1] = blocksOf(owners[1]!);
    await page.page.keyboard.press('Tab');
    assert.deepEqual(await at(), { owner: owners[1], kind: 'block', expanded: null, text: addressOf(b0!.offset) });
    await page.page.keyboard.press('Enter');
    await page.page.keyboard.press('Tab');
    assert.deepEqual(await at(), { owner: owners[1], kind: 'block', expanded: null, text: addressOf(b1!.offset) });
    await page.page.keyboard.press('Space');
    assert.deepEqual(await page.intents(), [
      { type: 'selectBlock', offset: b0!.offset },
      { type: 'selectBlock', offset: b1!.offset },
    ]);
    // Shift+Tab goes back the same way.
    await page.page.keyboard.press('Shift+Tab');
    await page.page.keyboard.press('Shift+Tab');
    assert.deepEqual(await at(), { owner: owners[1], kind: 'owner', expanded: 'true', text: owners[1] });
  });
});
