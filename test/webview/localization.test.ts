// Every string the panel shows goes through @vscode/l10n: with a translation bundle from the host
// (here a pseudo-translation of every message the webview's sources pass to l10n.t, found by
// reading them), the panel's headings, buttons, labels and live words come out translated.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Harness, type PanelPage, REPO_ROOT } from './support/harness';
import { demoFixture } from './support/hostMessages';

/** Every message literal given to l10n.t in webview/ (single-quoted, as Prettier writes them). */
function webviewMessages(): string[] {
  const found = new Set<string>();
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(file);
      else if (file.endsWith('.ts'))
        for (const m of fs.readFileSync(file, 'utf8').matchAll(/l10n\.t\(\s*'((?:[^'\\]|\\.)*)'/g)) found.add(m[1]!.replace(/\\'/g, "'"));
    }
  };
  walk(path.join(REPO_ROOT, 'webview'));
  return [...found];
}

const pseudo = (message: string) => `⟦${message}⟧`;

describe('localization', function () {
  this.timeout(60_000);
  let harness: Harness;
  let page: PanelPage | undefined;
  const messages = webviewMessages();

  before(async () => {
    harness = await Harness.start();
    harness.server.setL10nBundle(Object.fromEntries(messages.map(m => [m, pseudo(m)])));
  });
  after(async () => {
    await harness?.close();
  });
  afterEach(async () => {
    if (!page) return;
    assert.deepEqual(
      page.errors.filter(e => !e.includes('favicon') && !e.includes('404')),
      [],
      'no console errors',
    );
    assert.deepEqual(await page.cspViolations(), [], 'no CSP violations');
    await page.close();
    page = undefined;
  });

  it('finds the messages to translate', () => {
    assert.ok(messages.length > 100, `${messages.length} messages`);
    for (const m of ['Free lists', 'Allocate…', 'order {0}', 'Zoom in']) assert.ok(messages.includes(m), m);
  });

  it('shows the translation of headings, buttons, labels, table heads and placeholders', async () => {
    const p = (page = await harness.open('dark'));
    assert.equal(await p.text('.waiting'), pseudo('Waiting for the heap…'));
    const host = demoFixture();
    host.controller.select(0x400);
    await p.send(host.init());
    assert.equal(
      await p.onElement<string>(['heap-section[data-section="free"]', '.title'], 'return el.textContent.trim();'),
      pseudo('Free lists'),
    );
    assert.equal(await p.onElement<string>(['vscode-button[icon="add"]'], 'return el.textContent.trim();'), pseudo('Allocate…'));
    assert.equal(
      await p.onElement<string>(['block-map', 'vscode-toolbar-button[icon="zoom-in"]'], 'return el.getAttribute("label");'),
      pseudo('Zoom in'),
    );
    // A message with arguments: the translated template, filled in.
    assert.equal(await p.text('free-lists', 'vscode-tree-item.order[data-order="10"] .head .name'), '⟦order 10⟧');
    assert.equal(await p.text('heap-stats', 'vscode-table-header-cell'), pseudo('order'));
    assert.match(await p.text('history-log', '.position'), /^⟦step 9 of 9⟧$/);
    const mapLabel = await p.onElement<string>(['block-map', 'canvas.map'], 'return el.getAttribute("aria-label");');
    assert.match(mapLabel, /^⟦⟦Heap block map: 12 blocks over 64 KiB at 0x20000000⟧; selected: ⟦⟦⟦allocated⟧ block at 0x20000400/);
    assert.match(await p.text('buddy-tree', 'dl.pair dt'), /^⟦selected⟧$/);
  });
});
