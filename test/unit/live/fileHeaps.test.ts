// Live heaps from a *.buddyheap.json "heaps" array: added after the setting's, checked the same way,
// each problem naming the file and the entry; a setting heap wins a name clash.
import * as assert from 'node:assert/strict';
import { currentFileHeaps, fileHeapsOf, setFileHeaps, unreadableFileHeaps } from '../../../extension/config/layoutFileHeaps';
import { parseLiveSettings } from '../../../extension/live/liveSettings';

const OFFSETS = { heapBase: 0, heapSize: 4, freeLists: 8, minBlockSize: 56, minBlockSizeLog2: 60 };

describe('live heaps from the layout file', () => {
  afterEach(() => setFileHeaps(undefined));

  it('a file without "heaps" has none and no problem; a layout-only object is fine', () => {
    assert.deepEqual(fileHeapsOf({ size: '32k', orders: 10 }, 'board.buddyheap.json'), {
      origin: 'board.buddyheap.json',
      entries: [],
      problems: [],
    });
  });

  it('says what is wrong with the file as a whole', () => {
    assert.match(fileHeapsOf([], 'a.buddyheap.json').problems[0]!, /^a\.buddyheap\.json must hold a JSON object .*its heaps are not used/);
    assert.match(
      fileHeapsOf({ heaps: { expression: 'HEAP' } }, 'a.buddyheap.json').problems[0]!,
      /^a\.buddyheap\.json: "heaps" must be an array of heaps, e\.g\. \[\{ "name": "heap", "expression": "HEAP" \}\]; it is ignored\.$/,
    );
    assert.match(
      unreadableFileHeaps('a.buddyheap.json', 'Unexpected token').problems[0]!,
      /^a\.buddyheap\.json cannot be read, so its "heaps" are not used: Unexpected token$/,
    );
  });

  it('adds the file heaps after the setting heaps, with their session fields', () => {
    const file = fileHeapsOf(
      {
        size: '32k',
        orders: 10,
        heaps: [
          { name: 'boot', address: '0x20001008', orders: 12, pointerWidth: 4, offsets: OFFSETS, endianness: 'big', sessionName: 'QEMU*' },
          'ALLOCATOR.inner',
        ],
      },
      'board.buddyheap.json',
    );
    const s = parseLiveSettings({ heaps: [{ name: 'main', expression: 'HEAP' }] }, file);
    assert.deepEqual(s.problems, []);
    assert.deepEqual(
      s.heaps.map(h => [h.name, h.source.kind, h.sessions]),
      [
        ['main', 'expression', undefined],
        ['boot', 'address', { sessionName: 'QEMU*' }],
        ['ALLOCATOR.inner', 'expression', undefined],
      ],
    );
    const boot = s.heaps[1]!.source;
    assert.equal(boot.kind === 'address' && boot.endianness, 'big');
  });

  it('names the file and the entry of each bad heap, and skips a name the setting already has', () => {
    const file = fileHeapsOf(
      {
        heaps: [
          { name: 'main', expression: 'OTHER' },
          { name: 'a', address: '0x20000004', orders: 12, pointerWidth: 3, offsets: OFFSETS },
          { expression: 'HEAP2', debugType: [] },
          { name: 'b', expression: 'HEAP3' },
          { name: 'b', expression: 'HEAP4' },
        ],
      },
      'fw/board.buddyheap.json',
    );
    const s = parseLiveSettings({ heaps: [{ name: 'main', expression: 'HEAP' }], readMode: 'full' }, file);
    assert.deepEqual(
      s.heaps.map(h => [h.name, h.source.kind === 'expression' && h.source.expression]),
      [
        ['main', 'HEAP'],
        ['b', 'HEAP3'],
      ],
    );
    assert.deepEqual(s.problems, [
      'fw/board.buddyheap.json heaps[0] ("main") is ignored: buddyHeap.live.heaps already has a heap named "main" and the setting wins; rename one of them or remove the duplicate.',
      'fw/board.buddyheap.json heaps[1] ("a") is ignored: "pointerWidth" must be 4 or 8, not 3.',
      'fw/board.buddyheap.json heaps[2] is ignored: "debugType" must be a debug type such as "cortex-debug" or "gdbtarget", or a non-empty list of them, not [].',
      'fw/board.buddyheap.json heaps[4] ("b") is ignored: another heap in fw/board.buddyheap.json is already named "b"; give each heap its own "name".',
    ]);
    assert.equal(s.read.mode, 'full', 'the other settings are unaffected');
  });

  it('file-level problems come after the setting problems; a bad setting array still lets file heaps in', () => {
    const s = parseLiveSettings({ heaps: 'HEAP' }, fileHeapsOf({ heaps: ['HEAP'] }, 'x.buddyheap.json'));
    assert.match(s.problems[0]!, /^buddyHeap\.live\.heaps must be an array/);
    assert.deepEqual(
      s.heaps.map(h => h.name),
      ['HEAP'],
    );
    const t = parseLiveSettings({}, fileHeapsOf({ heaps: 3 }, 'x.buddyheap.json'));
    assert.deepEqual(t.heaps, []);
    assert.match(t.problems[0]!, /^x\.buddyheap\.json: "heaps" must be an array/);
  });

  it('without a file argument, the heaps last loaded from the layout file are used', () => {
    assert.equal(currentFileHeaps(), undefined);
    assert.deepEqual(parseLiveSettings({ heaps: [] }).heaps, []);
    setFileHeaps(fileHeapsOf({ heaps: [{ name: 'f', expression: 'HEAP' }] }, 'board.buddyheap.json'));
    assert.deepEqual(
      parseLiveSettings({ heaps: [{ name: 's', expression: 'S' }] }).heaps.map(h => h.name),
      ['s', 'f'],
    );
  });
});
