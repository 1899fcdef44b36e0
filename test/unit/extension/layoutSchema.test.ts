// media/buddyheap.schema.json stays in step with what the extension reads: its "heaps" entries
// offer exactly the fields of the buddyHeap.live.heaps setting, every one of which the parser takes;
// and a file may hold a layout, heaps, or both.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileHeapsOf } from '../../../extension/config/layoutFileHeaps';
import { parseLiveSettings } from '../../../extension/live/liveSettings';

const ROOT = path.resolve(__dirname, '..', '..', '..', '..');

interface SchemaNode {
  properties?: Record<string, SchemaNode>;
  oneOf?: SchemaNode[];
  anyOf?: { required: string[] }[];
  required?: string[];
  definitions?: Record<string, SchemaNode>;
  type?: unknown;
}

function readJson<T>(file: string): T {
  return JSON.parse(fs.readFileSync(path.join(ROOT, file), 'utf8')) as T;
}

describe('layout file schema', () => {
  const schema = readJson<SchemaNode>('media/buddyheap.schema.json');
  const heapObject = schema.definitions?.heap?.oneOf?.find(alt => alt.type === 'object');

  it('a layout-only file, a heaps-only file and both are allowed; nothing else is required', () => {
    assert.equal(schema.required, undefined);
    assert.deepEqual(schema.anyOf, [{ required: ['size', 'orders'] }, { required: ['heaps'] }]);
    const fixture = readJson<Record<string, unknown>>('test/fixtures/workspace/board.buddyheap.json');
    for (const key of Object.keys(fixture)) assert.ok(schema.properties?.[key], `the fixture's "${key}" is in the schema`);
  });

  it('a heap entry has the fields of the buddyHeap.live.heaps setting, no more, no less', () => {
    const manifest = readJson<{ contributes: { configuration: { properties: Record<string, { items: SchemaNode }> } } }>('package.json');
    const setting = manifest.contributes.configuration.properties['buddyHeap.live.heaps']!.items;
    assert.ok(heapObject?.properties);
    assert.deepEqual(Object.keys(heapObject.properties).sort(), Object.keys(setting.properties ?? {}).sort());
    assert.deepEqual(
      Object.keys(heapObject.properties.offsets?.properties ?? {}).sort(),
      Object.keys(setting.properties?.offsets?.properties ?? {}).sort(),
    );
    assert.deepEqual(heapObject.anyOf, [{ required: ['expression'] }, { required: ['address', 'orders', 'pointerWidth', 'offsets'] }]);
  });

  it('an entry using every schema field is accepted by the parser', () => {
    const entry = {
      name: 'boot',
      address: '0x20001008',
      orders: '12',
      pointerWidth: 4,
      log2Bytes: 1,
      endianness: 'little',
      offsets: { heapBase: 0, heapSize: '4', freeLists: 8, minBlockSize: 56, minBlockSizeLog2: 60 },
      debugType: ['gdbtarget'],
      program: '*.elf',
      sessionName: 'QEMU*',
    };
    for (const key of Object.keys(heapObject?.properties ?? {}))
      if (key !== 'expression') assert.ok(key in entry, `the example uses "${key}"`);
    const s = parseLiveSettings({}, fileHeapsOf({ heaps: [entry, { name: 'e', expression: 'HEAP' }] }, 'x.buddyheap.json'));
    assert.deepEqual(s.problems, []);
    assert.deepEqual(
      s.heaps.map(h => h.name),
      ['boot', 'e'],
    );
  });
});
