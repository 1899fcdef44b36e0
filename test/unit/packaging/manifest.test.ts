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
const nls = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.nls.json'), 'utf8')) as Record<string, string>;

/** The manifest's fields a user reads (in the Extensions view, the palette, menus and the Settings editor). */
const SHOWN_FIELDS = new Set(['displayName', 'description', 'markdownDescription', 'title', 'category', 'enumDescriptions']);

/** Every string under a shown field, with its JSON path; `examples` and `default` values are data, not text. */
function shownStrings(node: unknown, at: string, shown = false): { at: string; value: string }[] {
  if (typeof node === 'string') return shown ? [{ at, value: node }] : [];
  if (Array.isArray(node)) return node.flatMap((v, i) => shownStrings(v, `${at}[${i}]`, shown));
  if (node && typeof node === 'object')
    return Object.entries(node).flatMap(([k, v]) =>
      k === 'examples' || k === 'default'
        ? []
        : shownStrings(v, `${at}.${k}`, SHOWN_FIELDS.has(k) && !(k === 'title' && at.endsWith('.properties'))),
    );
  return [];
}

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

  it('puts the panel toolbar on the heap panel only: its main actions as icons, the rest in its "..." menu', () => {
    const title = manifest.contributes.menus['editor/title'] ?? [];
    assert.ok(title.length > 0, 'the heap panel has title-bar actions');
    // Save Heap Snapshot also shows on a snapshot opened in its custom editor; nothing shows on text editors.
    for (const entry of title)
      assert.match(
        String(entry.when),
        /^activeWebviewPanelId == buddyHeap\.panel( && inDebugMode| \|\| activeCustomEditorId == buddyHeap\.snapshot)?$/,
      );
    const byId = new Map(manifest.contributes.commands.map(c => [c.command, c as { icon?: string }]));
    for (const entry of title as { command: string; group?: string }[]) {
      if (entry.group?.startsWith('navigation'))
        assert.match(byId.get(entry.command)?.icon ?? '', /^\$\([a-z-]+\)$/, `${entry.command} needs a codicon`);
    }
    for (const command of ['buddyHeap.configureLayout', 'buddyHeap.replayTrace', 'buddyHeap.exportTrace'])
      assert.ok(
        title.some(e => e.command === command),
        `${command} is in the panel's title menu`,
      );
  });

  it('localizes every shown manifest string through package.nls.json, and every key there is used', () => {
    const strings = shownStrings(manifest, '');
    assert.ok(strings.length > 40, `found the manifest's shown strings (${strings.length})`);
    const unlocalized = strings.filter(s => !/^%[\w.]+%$/.test(s.value));
    assert.deepEqual(unlocalized, [], 'shown strings that are not %keys%');
    const used = new Set(strings.map(s => s.value.slice(1, -1)));
    for (const key of used) assert.equal(typeof nls[key], 'string', `package.nls.json has no "${key}"`);
    for (const key of Object.keys(nls)) assert.ok(used.has(key), `package.nls.json's "${key}" is used nowhere`);
    for (const [key, value] of Object.entries(nls)) assert.ok(value.trim().length > 0, `"${key}" is empty`);
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
    for (const command of manifest.contributes.commands)
      assert.equal(nls[command.category?.slice(1, -1) ?? ''], 'Buddy Heap', command.command);
    assert.ok(
      manifest.activationEvents.includes('onWebviewPanel:buddyHeap.panel'),
      'the webview serializer needs onWebviewPanel activation',
    );
  });
});
