// The extension host's modules that must not import vscode (the live logic, extension/dap/)
// translate through @vscode/l10n, which activation gives vscode.l10n.bundle. With a
// pseudo-translation of every message in l10n/bundle.l10n.json, their words come out translated,
// arguments filled in; without one they are English.
import * as l10n from '@vscode/l10n';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { classifyRequestError } from '../../../extension/dap/liveErrors';
import { parseHeapSpec } from '../../../extension/dap/heapSpec';
import { statusBarView } from '../../../extension/live/liveStatusText';
import type { LiveStatus } from '../../../extension/live/liveHeapSource';
import { BUNDLE_PATH } from '../../support/l10nMessages';
import { REPO_ROOT } from '../../support/reference';

const pseudo = (message: string) => `⟦${message}⟧`;
const status: LiveStatus = { state: 'ok', stops: 3, freeBytes: 40 * 1024, heapSize: 64 * 1024, findings: 2, message: undefined };
const view = () => {
  const shown = statusBarView({ heapName: 'HEAP', status: () => status });
  assert.ok(shown.visible);
  return shown;
};

describe('extension host localization (@vscode/l10n)', () => {
  afterEach(() => l10n.config({ contents: {} }));

  it('answers in the bundle given at activation: status bar, read errors, heap setting errors', () => {
    const english = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, BUNDLE_PATH), 'utf8')) as Record<string, string>;
    l10n.config({ contents: Object.fromEntries(Object.keys(english).map(m => [m, pseudo(m)])) });
    const shown = view();
    assert.equal(shown.text, '$(warning) HEAP: ⟦2 findings⟧ · ⟦40 KiB free⟧');
    assert.equal(shown.tooltip.split('\n')[0], '⟦Buddy Heap: HEAP — ⟦ok⟧ at stop 3, ⟦2 findings⟧⟧');
    assert.equal(shown.tooltip.split('\n')[1], pseudo('Click to show it in the heap panel.'));
    const refusedRead = classifyRequestError('readMemory', new Error('no such request'));
    assert.equal(refusedRead.message, '⟦The debug adapter refused readMemory: no such request⟧');
    const refused = parseHeapSpec({ address: '0x20000000' });
    assert.ok(!refused.ok);
    assert.match(refused.message, /^⟦An address heap setting needs "orders".*; ⟦write \{ "expression": "HEAP" \} or \{ "address"/);
  });

  it('is English with no bundle (VS Code in English gives none)', () => {
    const shown = view();
    assert.equal(shown.text, '$(warning) HEAP: 2 findings · 40 KiB free');
    assert.equal(shown.tooltip.split('\n')[0], 'Buddy Heap: HEAP — ok at stop 3, 2 findings');
  });
});
