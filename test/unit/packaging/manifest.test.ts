// The manifest's menus only use contribution points VS Code has (an unknown one, such as
// "webview/title", is ignored without a word and its buttons never appear), and every menu entry
// names a contributed command.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { REPO_ROOT } from '../../support/reference';

/** The menus this extension may contribute to (VS Code's documented `contributes.menus` keys). */
const KNOWN_MENUS = new Set([
  'commandPalette',
  'editor/title',
  'editor/title/context',
  'editor/context',
  'explorer/context',
  'debug/variables/context',
  'debug/watch/context',
  'debug/callstack/context',
  'debug/toolBar',
  'view/title',
  'view/item/context',
  'webview/context',
  'statusBar/remoteIndicator',
]);

interface MenuEntry {
  command?: unknown;
  when?: unknown;
}
interface Manifest {
  activationEvents: string[];
  contributes: {
    commands: { command: string; title: string; category?: string }[];
    menus: Record<string, MenuEntry[]>;
    webviewPanels?: unknown;
  };
}

const manifest = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as Manifest;

describe('extension manifest', () => {
  const commandIds = new Set(manifest.contributes.commands.map(c => c.command));

  it('contributes menus only to menus VS Code has', () => {
    for (const menu of Object.keys(manifest.contributes.menus)) {
      assert.ok(KNOWN_MENUS.has(menu), `contributes.menus["${menu}"] is not a VS Code menu: its entries would never show`);
    }
  });

  it('names only contributed commands in menus', () => {
    for (const [menu, entries] of Object.entries(manifest.contributes.menus)) {
      for (const entry of entries) {
        assert.equal(typeof entry.command, 'string', `an entry of ${menu} has no command`);
        assert.ok(commandIds.has(entry.command as string), `${menu} names ${String(entry.command)}, which is not in contributes.commands`);
      }
    }
  });

  it('puts the panel toolbar on the heap panel only', () => {
    const title = manifest.contributes.menus['editor/title'] ?? [];
    assert.ok(title.length > 0, 'the heap panel has title-bar actions');
    // Save Heap Snapshot also shows on a snapshot opened in its custom editor; nothing shows on text editors.
    for (const entry of title)
      assert.match(String(entry.when), /^activeWebviewPanelId == buddyHeap\.panel( \|\| activeCustomEditorId == buddyHeap\.snapshot)?$/);
  });

  it('opens *.buddyheap files in the snapshot editor', () => {
    const editors = (manifest.contributes as { customEditors?: { viewType: string; selector: { filenamePattern: string }[] }[] })
      .customEditors;
    assert.deepEqual(
      editors?.map(e => [e.viewType, e.selector.map(s => s.filenamePattern)]),
      [['buddyHeap.snapshot', ['*.buddyheap']]],
    );
    assert.ok(manifest.activationEvents.includes('onCustomEditor:buddyHeap.snapshot'));
  });

  it('gives every command the Buddy Heap category and activates on panel restore', () => {
    for (const command of manifest.contributes.commands) assert.equal(command.category, 'Buddy Heap', command.command);
    assert.ok(
      manifest.activationEvents.includes('onWebviewPanel:buddyHeap.panel'),
      'the webview serializer needs onWebviewPanel activation',
    );
  });
});
