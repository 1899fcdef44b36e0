// A small heap next to its struct is read with the struct in one readMemory after the first stop,
// and the snapshot is the one two separate reads give (same fields, bytes, unknown bytes, decode).
import * as assert from 'node:assert/strict';
import { LiveHeapReader, type LiveReadOptions } from '../../../extension/dap/liveHeapReader';
import { mergedSpan } from '../../../extension/dap/structWithHeap';
import { decodeHeap } from '../../../core/decoder/decode';
import type { HeapSnapshot } from '../../../core/decoder/types';
import type { ByteImage } from '../../../core/memory/byteImage';
import { makeFixture } from './heapFixture';

const HEAP_BYTES = 2048;
const before = (base: bigint) => base - 64n;
const after = (base: bigint) => base + BigInt(HEAP_BYTES) + 16n;

/** Two stops on the same reader: the second is the steady state whose requests are counted. */
async function secondRead(
  at: (base: bigint) => bigint,
  options: Partial<LiveReadOptions>,
  tweak?: (f: ReturnType<typeof makeFixture>) => void,
) {
  const fixture = makeFixture('c', HEAP_BYTES, 'little', at);
  if (at === after) fixture.session.map(after(0x2000_1000n) - 16n, new Uint8Array(16)); // the gap is mapped, as .bss is
  tweak?.(fixture);
  const reader = new LiveHeapReader(fixture.session, { kind: 'expression', expression: 'HEAP' }, { mode: 'full', ...options });
  await reader.read({ threadId: 1 });
  fixture.session.requests.length = 0;
  const read = await reader.read({ threadId: 1 });
  return { read, requests: fixture.session.readRequests(), fixture };
}

function sameSnapshot(actual: HeapSnapshot, expected: HeapSnapshot): void {
  assert.deepEqual(actual.fields, expected.fields);
  assert.equal(actual.endianness, expected.endianness);
  assert.equal(actual.pointerWidth, expected.pointerWidth);
  assert.equal(actual.memory.size, expected.memory.size);
  for (let offset = 0; offset < expected.memory.size; offset += 4)
    assert.equal(actual.memory.readWord(offset), expected.memory.readWord(offset), `word at ${offset}`);
  assert.deepEqual(decodeHeap(actual), decodeHeap(expected));
}

describe('struct and heap in one read', () => {
  for (const [where, at] of [
    ['before', before],
    ['after', after],
  ] as const) {
    it(`a 4 KiB heap with the struct just ${where} it: one readMemory, the same snapshot as two`, async () => {
      const together = await secondRead(at, {});
      const apart = await secondRead(at, { gapBytes: -1 });
      assert.equal(together.requests.length, 1, together.requests.map(r => JSON.stringify(r.args)).join('\n'));
      assert.equal(apart.requests.length, 2);
      assert.equal(together.read.stats.readMemoryRequests, 1);
      assert.equal(together.read.stats.requests, 1);
      assert.equal(together.read.stats.bytesRead, apart.read.stats.bytesRead, 'the gap between them is not counted as heap bytes');
      assert.equal(together.read.stats.shortReads, 0);
      sameSnapshot(together.read.snapshot, apart.read.snapshot);
      // And the same as what the target holds.
      const heapBytes = together.fixture.session.regions.find(r => r.start === 0x2000_1000n)!.bytes;
      assert.deepEqual((together.read.snapshot.memory as ByteImage).read(0, HEAP_BYTES), heapBytes);
    });
  }

  it('unreadable heap bytes inside the one read stay unknown exactly as with two reads', async () => {
    const hole = (f: ReturnType<typeof makeFixture>) => f.session.unreadable.push({ start: 0x2000_1800n, end: 0x2000_1840n });
    const together = await secondRead(before, {}, hole);
    const apart = await secondRead(before, { gapBytes: -1 }, hole);
    assert.equal(together.requests.length, 1);
    assert.equal(together.read.snapshot.memory.readWord(0x800), undefined);
    assert.equal(together.read.stats.shortReads, apart.read.stats.shortReads);
    assert.equal(together.read.stats.bytesRead, apart.read.stats.bytesRead);
    sameSnapshot(together.read.snapshot, apart.read.snapshot);
  });

  it('a struct the one read cannot wholly return is read on its own, with the same error', async () => {
    const { fixture } = await secondRead(before, {});
    const reader = new LiveHeapReader(fixture.session, { kind: 'expression', expression: 'HEAP' }, { mode: 'full' });
    await reader.read({ threadId: 1 });
    fixture.session.unreadable.push({ start: fixture.structAddress + 8n, end: fixture.structAddress + 64n });
    fixture.session.requests.length = 0;
    await assert.rejects(reader.read({ threadId: 1 }), /could be read only in part \(8 of 61 bytes/);
    const reads = fixture.session.readRequests().map(r => Number(r.args.count));
    assert.equal(reads[0], 64 + HEAP_BYTES, 'the one read first');
    assert.ok(reads.slice(1).includes(61), `then the struct alone for its error: ${reads.join(', ')}`);
  });

  it('the heap moved away from the struct: the new region is read on its own', async () => {
    const { fixture } = await secondRead(before, {});
    const reader = new LiveHeapReader(fixture.session, { kind: 'expression', expression: 'HEAP' }, { mode: 'full' });
    const first = await reader.read({ threadId: 1 });
    const heapBytes = fixture.session.regions.find(r => r.start === 0x2000_1000n)!.bytes;
    const newBase = 0x2010_0000n;
    fixture.session.map(newBase, heapBytes.slice());
    const struct = fixture.session.regions.find(r => r.start === fixture.structAddress)!;
    new DataView(struct.bytes.buffer, struct.bytes.byteOffset).setUint32(0, Number(newBase), true);
    const moved = await reader.read({ threadId: 1 });
    assert.equal(moved.snapshot.fields.heapBase, newBase);
    assert.deepEqual((moved.snapshot.memory as ByteImage).read(0, HEAP_BYTES), (first.snapshot.memory as ByteImage).read(0, HEAP_BYTES));
  });

  it('only struct and heap that fit one chunk together, within gapBytes (not overlapping), are merged', () => {
    const options = { maxChunkBytes: 4096, gapBytes: 256 };
    const struct = { address: 0x1000n, span: 64 };
    assert.deepEqual(mergedSpan(struct, { heapBase: 0x1040n, heapSize: 2048 }, options), { address: 0x1000n, length: 64 + 2048 });
    assert.deepEqual(mergedSpan(struct, { heapBase: 0x1140n, heapSize: 2048 }, options), { address: 0x1000n, length: 64 + 256 + 2048 });
    assert.equal(mergedSpan(struct, { heapBase: 0x1141n, heapSize: 2048 }, options), undefined, 'a gap over gapBytes');
    assert.equal(mergedSpan(struct, { heapBase: 0x1040n, heapSize: 4096 }, options), undefined, 'struct and heap over one chunk');
    assert.deepEqual(mergedSpan(struct, { heapBase: 0x1040n, heapSize: 4096 - 64 }, options), { address: 0x1000n, length: 4096 });
    assert.equal(mergedSpan(struct, { heapBase: 0x800n, heapSize: 4096 }, options), undefined, 'the struct inside the heap');
    assert.deepEqual(
      mergedSpan(struct, { heapBase: 0x800n, heapSize: 2048 }, options),
      { address: 0x800n, length: 0x840 },
      'the heap just below',
    );
    assert.deepEqual(mergedSpan(struct, { heapBase: 0x0n, heapSize: 2048 }, options), undefined, 'too far apart');
    assert.deepEqual(mergedSpan(struct, { heapBase: 0xc00n, heapSize: 1024 }, options), { address: 0xc00n, length: 0x440 });
    assert.equal(mergedSpan(struct, { heapBase: 0x1040n, heapSize: 0 }, options), undefined);
  });
});
