// A small heap next to its struct is read with the struct in one readMemory after the first stop
// (and a wrapper's lock flag beside the struct at every stop), and the snapshot is the one separate
// reads give (same fields, bytes, unknown bytes, decode, lock state). Any doubt falls back to them.
import * as assert from 'node:assert/strict';
import { LiveHeapReader, type LiveReadOptions } from '../../../extension/dap/liveHeapReader';
import type { DapChannel } from '../../../extension/dap/dapSession';
import type { DiscoveredHeapSpec } from '../../../extension/dap/heapSpec';
import { mergedSpan } from '../../../extension/dap/structWithHeap';
import { decodeHeap } from '../../../core/decoder/decode';
import type { HeapSnapshot } from '../../../core/decoder/types';
import type { ByteImage } from '../../../core/memory/byteImage';
import { C_OFFSETS, makeFixture } from './heapFixture';
import type { FakeGdbSession } from './fakeGdbSession';

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
      const apart = await secondRead(at, { mergeGapBytes: -1 });
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
    const apart = await secondRead(before, { mergeGapBytes: -1 }, hole);
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

  it('the heap moved: the one read brings the old region, the new one is read on its own', async () => {
    const { fixture } = await secondRead(before, {});
    const reader = new LiveHeapReader(fixture.session, { kind: 'expression', expression: 'HEAP' }, { mode: 'full' });
    await reader.read({ threadId: 1 });
    const newBase = 0x2010_0000n;
    fixture.session.map(newBase, fixture.session.regions.find(r => r.start === 0x2000_1000n)!.bytes.slice());
    const struct = fixture.session.regions.find(r => r.start === fixture.structAddress)!;
    new DataView(struct.bytes.buffer, struct.bytes.byteOffset).setUint32(0, Number(newBase), true);
    fixture.session.requests.length = 0;
    const moved = await reader.read({ threadId: 1 });
    assert.deepEqual(
      fixture.session.readRequests().map(r => [r.args.memoryReference, r.args.count]),
      [
        [`0x${fixture.structAddress.toString(16)}`, 64 + HEAP_BYTES],
        [`0x${newBase.toString(16)}`, HEAP_BYTES],
      ],
    );
    assert.equal(moved.stats.readMemoryRequests, 2);
    // The stop after: the new region is next to nothing, so struct and heap are two reads at once,
    // the heap (one request) first, so the refresh waits last for the struct's few bytes.
    fixture.session.requests.length = 0;
    await reader.read({ threadId: 1 });
    assert.deepEqual(
      fixture.session.readRequests().map(r => r.args.count),
      [HEAP_BYTES, 61],
    );
  });

  it('the first stop reads the struct alone, then the heap it names: nothing is guessed', async () => {
    const fixture = makeFixture('c', HEAP_BYTES, 'little', before);
    const reader = new LiveHeapReader(fixture.session, { kind: 'expression', expression: 'HEAP' }, { mode: 'full' });
    const first = await reader.read({ threadId: 1 });
    assert.deepEqual(
      fixture.session.readRequests().map(r => [r.args.memoryReference, r.args.count]),
      [
        [`0x${fixture.structAddress.toString(16)}`, 61],
        ['0x20001000', HEAP_BYTES],
      ],
    );
    assert.equal(first.stats.readMemoryRequests, 2);
  });

  for (const how of ['refused', 'short'] as const) {
    it(`a one read the adapter ${how === 'refused' ? 'refuses' : 'answers short (an unmapped gap)'}: struct and heap are read apart, with the same snapshot`, async () => {
      // The struct 16 bytes after the heap; the 16 bytes between are not mapped.
      const fixture = makeFixture('c', HEAP_BYTES, 'little', after);
      const combined = 16 + 64 + HEAP_BYTES - 3; // the heap, the gap, the struct up to min_block_size_log2
      const channel = refusing(fixture.session, how === 'refused' ? combined : -1);
      const reader = new LiveHeapReader(channel, { kind: 'expression', expression: 'HEAP' }, { mode: 'full' });
      const first = await reader.read({ threadId: 1 });
      fixture.session.requests.length = 0;
      const read = await reader.read({ threadId: 1 });
      const counts = fixture.session.readRequests().map(r => Number(r.args.count));
      assert.deepEqual(counts.slice(0, 1), [combined], 'the one read was tried');
      assert.deepEqual(counts.slice(1).sort(), [61, HEAP_BYTES].sort(), 'then the struct and the heap on their own');
      assert.equal(read.stats.readMemoryRequests, 3);
      assert.equal(read.stats.shortReads, 0, 'the heap, read on its own, is whole');
      assert.equal(read.stats.failedReads, 0);
      sameSnapshot(read.snapshot, first.snapshot);
    });
  }

  it('a 64 KiB heap next to its struct is still read in chunks of at most maxChunkBytes, in full and sparse mode', async () => {
    for (const mode of ['full', 'sparse'] as const) {
      const fixture = makeFixture('c', 64 * 1024, 'little', before);
      const reader = new LiveHeapReader(fixture.session, { kind: 'expression', expression: 'HEAP' }, { mode });
      await reader.read({ threadId: 1 });
      fixture.session.requests.length = 0;
      const read = await reader.read({ threadId: 1 });
      const counts = fixture.session.readRequests().map(r => Number(r.args.count));
      assert.equal(counts[0], 61, `${mode}: the struct alone`);
      assert.ok(
        counts.every(n => n <= 4096),
        `${mode}: ${counts.join(', ')}`,
      );
      if (mode === 'full') assert.deepEqual(counts.slice(1), new Array<number>(16).fill(4096));
      assert.equal(read.snapshot.memory.size, 64 * 1024);
    }
  });

  describe("the wrapper's lock flag", () => {
    /** A discovered C heap whose lock flag (4 bytes) is mapped `offset` bytes from the struct. */
    function discovered(fixture: ReturnType<typeof makeFixture>, offset: number, held: boolean): DiscoveredHeapSpec {
      if (offset !== 64) fixture.session.map(fixture.structAddress + BigInt(offset), new Uint8Array([0, held ? 1 : 0, 0, 0]));
      fixture.session.frames = [{ name: 'checkpoint' }];
      return {
        kind: 'discovered',
        path: 'LOCKED.heap',
        address: fixture.structAddress,
        offsets: C_OFFSETS,
        orders: 7,
        pointerWidth: 4,
        endianness: 'little',
        log2Bytes: 1,
        program: '/w/fw.elf',
        lock: { path: 'LOCKED.lock.held', offset, size: 4 },
      };
    }

    it('beside the struct, the flag comes with it at every stop; with a small heap next to them, a stop is one readMemory', async () => {
      const fixture = makeFixture('c', HEAP_BYTES, 'little', before);
      const spec = discovered(fixture, -4, true);
      const reader = new LiveHeapReader(fixture.session, spec, { mode: 'full' });
      const first = await reader.read({ threadId: 1 });
      assert.deepEqual(first.lock, { path: 'LOCKED.lock.held', held: true });
      assert.deepEqual(
        fixture.session.readRequests().map(r => [r.args.memoryReference, r.args.count]),
        [
          [`0x${(fixture.structAddress - 4n).toString(16)}`, 4 + 61],
          ['0x20001000', HEAP_BYTES],
        ],
        'first stop: flag and struct in one read, then the heap',
      );
      fixture.session.requests.length = 0;
      const later = await reader.read({ threadId: 1 });
      assert.deepEqual(
        fixture.session.readRequests().map(r => [r.args.memoryReference, r.args.count]),
        [[`0x${(fixture.structAddress - 4n).toString(16)}`, 4 + 64 + HEAP_BYTES]],
      );
      assert.equal(later.stats.readMemoryRequests, 1);
      assert.deepEqual(later.lock, first.lock);
      assert.equal(later.stats.bytesRead, 4 + 61 + HEAP_BYTES);
      // The same as each read on its own.
      const apartFixture = makeFixture('c', HEAP_BYTES, 'little', before);
      const apart = new LiveHeapReader(apartFixture.session, discovered(apartFixture, -4, true), { mode: 'full', mergeGapBytes: -1 });
      await apart.read({ threadId: 1 });
      apartFixture.session.requests.length = 0;
      const apartRead = await apart.read({ threadId: 1 });
      assert.equal(apartFixture.session.readRequests().length, 3, 'apart: flag, struct and heap');
      assert.deepEqual(apartRead.lock, later.lock);
      assert.equal(apartRead.stats.bytesRead, later.stats.bytesRead);
      sameSnapshot(later.snapshot, apartRead.snapshot);
    });

    it('a flag the one read does not return is asked for on its own; unreadable, it says nothing and the heap is read', async () => {
      // The flag right after the struct's 64 bytes, where nothing is mapped: the one read comes back short.
      const fixture = makeFixture('c', HEAP_BYTES);
      const reader = new LiveHeapReader(fixture.session, discovered(fixture, 64, true), { mode: 'full' });
      const read = await reader.read({ threadId: 1 });
      assert.equal(read.lock, undefined);
      assert.equal(read.snapshot.fields.heapSize, BigInt(HEAP_BYTES));
      const reads = fixture.session.readRequests().map(r => [r.args.memoryReference, r.args.count]);
      assert.deepEqual(reads.slice(0, 2), [
        [`0x${fixture.structAddress.toString(16)}`, 68],
        [`0x${(fixture.structAddress + 64n).toString(16)}`, 4],
      ]);
    });

    it('in sparse mode the flag comes with the struct, and only free-list words follow', async () => {
      const fixture = makeFixture('c', 64 * 1024, 'little', before);
      const spec = { ...discovered(fixture, -4, false), orders: 12 };
      const reader = new LiveHeapReader(fixture.session, spec, { mode: 'sparse' });
      await reader.read({ threadId: 1 });
      fixture.session.requests.length = 0;
      const read = await reader.read({ threadId: 1 });
      assert.deepEqual(read.lock, { path: 'LOCKED.lock.held', held: false });
      const reads = fixture.session.readRequests();
      assert.deepEqual([reads[0]!.args.memoryReference, reads[0]!.args.count], [`0x${(fixture.structAddress - 4n).toString(16)}`, 4 + 61]);
      assert.ok(
        reads.slice(1).every(r => Number(r.args.count) <= 4096 && BigInt(String(r.args.memoryReference)) >= 0x2000_1000n),
        'then windows of the heap, never the struct or the flag again',
      );
      const apartFixture = makeFixture('c', 64 * 1024, 'little', before);
      const apart = new LiveHeapReader(
        apartFixture.session,
        { ...discovered(apartFixture, -4, false), orders: 12 },
        { mode: 'sparse', mergeGapBytes: -1 },
      );
      await apart.read({ threadId: 1 });
      apartFixture.session.requests.length = 0;
      const apartRead = await apart.read({ threadId: 1 });
      assert.equal(apartFixture.session.readRequests().length, reads.length + 1, 'one request fewer than flag and struct apart');
      assert.deepEqual(decodeHeap(read.snapshot), decodeHeap(apartRead.snapshot));
    });

    it('a flag far from the struct is read beside it, as its own request', async () => {
      const fixture = makeFixture('c', HEAP_BYTES);
      const reader = new LiveHeapReader(fixture.session, discovered(fixture, -2048, false), { mode: 'full' });
      const read = await reader.read({ threadId: 1 });
      assert.deepEqual(read.lock, { path: 'LOCKED.lock.held', held: false });
      assert.deepEqual(
        fixture.session
          .readRequests()
          .map(r => Number(r.args.count))
          .sort((a, b) => a - b),
        [4, 61, HEAP_BYTES],
      );
    });
  });

  it('only parts within mergeGapBytes of what is read, fitting one chunk together (the heap not overlapping the struct), are merged', () => {
    const options = { maxChunkBytes: 4096, mergeGapBytes: 256 };
    const struct = { address: 0x1000n, span: 64 };
    const heap = (heapBase: bigint, heapSize: number) => ({ region: { heapBase, heapSize } });
    const both = (address: bigint, length: number) => ({ address, length, lock: false, region: true });
    assert.deepEqual(mergedSpan(struct, heap(0x1040n, 2048), options), both(0x1000n, 64 + 2048));
    assert.deepEqual(mergedSpan(struct, heap(0x1140n, 2048), options), both(0x1000n, 64 + 256 + 2048));
    assert.equal(mergedSpan(struct, heap(0x1141n, 2048), options), undefined, 'a gap over mergeGapBytes');
    assert.equal(mergedSpan(struct, heap(0x1040n, 4096), options), undefined, 'struct and heap over one chunk');
    assert.deepEqual(mergedSpan(struct, heap(0x1040n, 4096 - 64), options), both(0x1000n, 4096));
    assert.equal(mergedSpan(struct, heap(0x800n, 4096), options), undefined, 'the struct inside the heap');
    assert.deepEqual(mergedSpan(struct, heap(0x800n, 2048), options), both(0x800n, 0x840), 'the heap just below');
    assert.equal(mergedSpan(struct, heap(0x0n, 2048), options), undefined, 'too far apart');
    assert.deepEqual(mergedSpan(struct, heap(0xc00n, 1024), options), both(0xc00n, 0x440));
    assert.equal(mergedSpan(struct, heap(0x1040n, 0), options), undefined);
    assert.equal(mergedSpan(struct, {}, options), undefined, 'nothing to join');
    // The lock flag: joined when close, tried before the heap, and never stretching the read past one chunk.
    const lock = (address: bigint) => ({ address, size: 4 });
    assert.deepEqual(mergedSpan(struct, { lock: lock(0xffcn) }, options), { address: 0xffcn, length: 68, lock: true, region: false });
    assert.deepEqual(mergedSpan(struct, { lock: lock(0x1140n) }, options), { address: 0x1000n, length: 0x144, lock: true, region: false });
    assert.equal(mergedSpan(struct, { lock: lock(0x1141n) }, options), undefined, 'a flag over mergeGapBytes away');
    assert.deepEqual(
      mergedSpan(struct, { lock: lock(0xffcn), ...heap(0x1040n, 2048) }, options),
      { address: 0xffcn, length: 4 + 64 + 2048, lock: true, region: true },
      'flag, struct and heap',
    );
    assert.deepEqual(
      mergedSpan(struct, { lock: lock(0xffcn), ...heap(0x1040n, 4096 - 64) }, options),
      { address: 0xffcn, length: 68, lock: true, region: false },
      'the flag joins; the heap would make the read one chunk and 4 bytes',
    );
    // The heap measured from the flag when the flag lies between: within the gap of what is read.
    assert.deepEqual(mergedSpan(struct, { lock: lock(0x1100n), ...heap(0x1200n, 1024) }, options), {
      address: 0x1000n,
      length: 0x600,
      lock: true,
      region: true,
    });
    assert.equal(mergedSpan(struct, { lock: lock(0x1100n) }, { maxChunkBytes: 64, mergeGapBytes: 256 }), undefined);
  });
});

/** The fake adapter, except that a readMemory of `count` bytes fails as an unmapped address does. */
function refusing(session: FakeGdbSession, count: number): DapChannel {
  return {
    capabilities: session.capabilities,
    async customRequest(command: string, args?: unknown) {
      if (command === 'readMemory' && (args as { count?: number }).count === count) {
        session.requests.push({ command, args: args as Record<string, unknown> });
        throw new Error('Unable to read memory. (@ 0x20001000)');
      }
      return session.customRequest(command, args);
    },
  };
}
