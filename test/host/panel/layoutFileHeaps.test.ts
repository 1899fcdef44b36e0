// Live heaps from the layout file in a real extension host: the extension (re)loads the "heaps" of
// board.buddyheap.json when the file changes, merges them after buddyHeap.live.heaps (the setting
// wins a name), reports bad entries by file and index, and follows buddyHeap.layoutFile to a file
// that holds only heaps without taking a layout from it.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { loadLayout } from '../../../extension/config/layoutConfig';
import type { LiveSettings } from '../../../extension/live/liveSettings';
import type { BuddyHeapApi } from '../../../extension/main';
import { EXTENSION_ID, stubPrompts, workspaceUri } from './support';

async function write(uri: vscode.Uri, json: unknown): Promise<void> {
  await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(JSON.stringify(json, null, 2)));
}

/** Polls the settings the extension resolves until `check` holds (the reload is debounced). */
async function settled(api: BuddyHeapApi, check: (s: LiveSettings) => boolean, timeoutMs = 10_000): Promise<LiveSettings> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const s = api.live.settings();
    if (check(s)) return s;
    if (Date.now() > until)
      throw new Error(
        `live settings did not settle in ${timeoutMs} ms: ${JSON.stringify({ heaps: s.heaps.map(h => h.name), problems: s.problems })}`,
      );
    await new Promise(resolve => setTimeout(resolve, 100));
  }
}

const names = (s: LiveSettings) => s.heaps.map(h => h.name);

describe('live heaps from the layout file', function () {
  this.timeout(60_000);
  let api: BuddyHeapApi;
  let original: Uint8Array;
  let prompts: ReturnType<typeof stubPrompts>;
  const board = () => workspaceUri('board.buddyheap.json');
  const heapsOnly = () => workspaceUri('live.buddyheap.json');
  const live = () => vscode.workspace.getConfiguration('buddyHeap.live');

  before(async () => {
    const ext = vscode.extensions.getExtension<BuddyHeapApi>(EXTENSION_ID);
    assert.ok(ext);
    api = await ext.activate();
    original = await vscode.workspace.fs.readFile(board());
    // Problems and "restart the simulated heap?" offers land here, not in notifications.
    prompts = stubPrompts();
  });

  after(async () => {
    await vscode.workspace.getConfiguration('buddyHeap').update('layoutFile', undefined, vscode.ConfigurationTarget.Workspace);
    await live().update('heaps', undefined, vscode.ConfigurationTarget.Workspace);
    await vscode.workspace.fs.writeFile(board(), original);
    await vscode.workspace.fs.delete(heapsOnly()).then(undefined, () => undefined);
    await settled(api, s => s.heaps.length === 0);
    await new Promise(resolve => setTimeout(resolve, 600)); // let the debounced layout offer pass
    prompts.restore();
  });

  it('the fixture layout file has no heaps', async () => {
    // An earlier suite restores board.buddyheap.json just before: wait for the watcher to reload it.
    const s = await settled(api, s => s.heaps.length === 0);
    assert.deepEqual(names(s), []);
  });

  it('heaps written into board.buddyheap.json are picked up; a bad entry is named with its file and index', async () => {
    const layout = JSON.parse(new TextDecoder().decode(original)) as Record<string, unknown>;
    await write(board(), {
      ...layout,
      heaps: [
        { name: 'file heap', expression: 'HEAP', sessionName: 'QEMU*' },
        { name: 'bad', expression: '' },
        {
          name: 'raw',
          address: '0x20001008',
          orders: 12,
          pointerWidth: 4,
          offsets: { heapBase: 0, heapSize: 4, freeLists: 8, minBlockSize: 56, minBlockSizeLog2: 60 },
        },
      ],
    });
    const s = await settled(api, x => x.heaps.length > 0);
    assert.deepEqual(names(s), ['file heap', 'raw']);
    assert.deepEqual(s.heaps[0]!.sessions, { sessionName: 'QEMU*' });
    assert.equal(s.heaps[1]!.source.kind, 'address');
    assert.deepEqual(s.problems, [
      'board.buddyheap.json heaps[1] ("bad") is ignored: "expression" must be a non-empty debugger expression naming a Heap<N>, e.g. "HEAP".',
    ]);
    assert.ok(
      prompts.recorded.errors.some(m => m.includes('heaps[1] ("bad")')),
      'the problem is shown to the user',
    );
  });

  it('a setting heap comes first and wins a name clash', async () => {
    await live().update('heaps', [{ name: 'file heap', expression: 'SETTING_HEAP' }], vscode.ConfigurationTarget.Workspace);
    const s = await settled(api, x => x.heaps[0]?.source.kind === 'expression' && x.heaps[0].source.expression === 'SETTING_HEAP');
    assert.deepEqual(names(s), ['file heap', 'raw']);
    assert.ok(
      s.problems.includes(
        'board.buddyheap.json heaps[0] ("file heap") is ignored: buddyHeap.live.heaps already has a heap named "file heap" and the setting wins; rename one of them or remove the duplicate.',
      ),
      JSON.stringify(s.problems),
    );
    await live().update('heaps', undefined, vscode.ConfigurationTarget.Workspace);
  });

  it('buddyHeap.layoutFile naming a heaps-only file: its heaps are used, the layout comes from elsewhere', async () => {
    await write(heapsOnly(), { heaps: ['ALLOCATOR.inner'] });
    await vscode.workspace.getConfiguration('buddyHeap').update('layoutFile', 'live.buddyheap.json', vscode.ConfigurationTarget.Workspace);
    const s = await settled(api, x => names(x).join() === 'ALLOCATOR.inner');
    assert.deepEqual(s.problems, []);
    const loaded = await loadLayout();
    assert.equal(loaded.result.ok, true);
    assert.notEqual(loaded.origin, 'live.buddyheap.json');
  });

  it('emptying buddyHeap.layoutFile goes back to board.buddyheap.json; restoring it drops the heaps', async () => {
    await vscode.workspace.getConfiguration('buddyHeap').update('layoutFile', undefined, vscode.ConfigurationTarget.Workspace);
    await settled(api, x => names(x).join() === 'file heap,raw');
    await vscode.workspace.fs.writeFile(board(), original);
    await settled(api, x => x.heaps.length === 0);
  });
});
