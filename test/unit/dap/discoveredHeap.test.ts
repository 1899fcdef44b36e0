// A heap found in the program's debug info is read with readMemory alone (plus the baseline
// stackTrace that tells whether the target stopped inside the allocator): the fake adapter's
// request log has no evaluate, at the first stop or any later one. A struct at the DWARF address
// that is no heap is said to come from a program file that may not match.
import * as assert from 'node:assert/strict';
import { LiveHeapReader } from '../../../extension/dap/liveHeapReader';
import { LiveReadError } from '../../../extension/dap/liveErrors';
import type { DiscoveredHeapSpec } from '../../../extension/dap/heapSpec';
import { C_OFFSETS, RUST_OFFSETS, makeFixture } from './heapFixture';

function spec(kind: 'c' | 'rust', address: bigint, endianness: 'little' | 'big' = 'little'): DiscoveredHeapSpec {
  return {
    kind: 'discovered',
    path: kind === 'c' ? 'HEAP' : 'prog::ALLOCATOR.inner.value',
    address,
    offsets: kind === 'c' ? C_OFFSETS : RUST_OFFSETS,
    orders: kind === 'c' ? 12 : 16,
    pointerWidth: kind === 'c' ? 4 : 8,
    endianness,
    log2Bytes: 1,
    program: '/build/prog.elf',
  };
}

describe('discovered heap (a DWARF location)', () => {
  for (const kind of ['c', 'rust'] as const) {
    for (const mode of ['full', 'sparse'] as const) {
      it(`reads a ${kind} heap (${mode}) with readMemory only, at every stop`, async () => {
        const { heap, session, structAddress } = makeFixture(kind, kind === 'c' ? 64 * 1024 : 1 << 20);
        const reader = new LiveHeapReader(session, spec(kind, structAddress), { mode });
        for (let stop = 0; stop < 2; stop++) {
          const read = await reader.read({ threadId: 1 });
          assert.deepEqual(read.snapshot.fields, heap.structFields());
          assert.equal(read.location.label, kind === 'c' ? 'HEAP' : 'prog::ALLOCATOR.inner.value');
          for (const list of heap.freeLists())
            for (const offset of list) assert.equal(read.snapshot.memory.readWord(offset), heap.image.readWord(offset));
          // The stack is the caller's to ask for, once the heap is shown: only then a stackTrace.
          assert.ok(
            session.requests.every(r => r.command === 'readMemory'),
            'the read itself sends only readMemory: no evaluate, no threads (the stop names its thread)',
          );
          assert.deepEqual(await read.askStack!(), ['checkpoint']);
          assert.deepEqual(await read.askStack!(), ['checkpoint'], 'asked once');
          assert.equal(session.requests.filter(r => r.command === 'stackTrace').length, 1);
          session.requests.length = 0;
        }
        assert.equal(reader.frameMatters, false, 'a static: selecting another frame changes nothing');
      });
    }
  }

  it('a big-endian target: the DWARF byte order is used, with no note', async () => {
    const { heap, session, structAddress } = makeFixture('c', 64 * 1024, 'big');
    const read = await new LiveHeapReader(session, spec('c', structAddress, 'big')).read({});
    assert.deepEqual([read.snapshot.fields, read.location.endianness, read.notes], [heap.structFields(), 'big', []]);
  });

  it('a struct of zeros at the DWARF address: not set up yet, or the program file does not match', async () => {
    const { session, structAddress } = makeFixture('c');
    session.regions.find(r => r.start === structAddress)!.bytes.fill(0);
    await assert.rejects(new LiveHeapReader(session, spec('c', structAddress)).read({ threadId: 1 }), (error: unknown) => {
      assert.ok(error instanceof LiveReadError);
      assert.equal(error.kind, 'zeroed');
      assert.match(
        error.message,
        /If the program has set up its heap by now, the program file may not match the debugged program \(\/build\/prog\.elf\)/,
      );
      return true;
    });
    assert.ok(!session.requests.some(r => r.command === 'evaluate'), 'still no evaluate');
  });

  it('garbage at the DWARF address is not decoded: the program file may not match (and was rebuilt, when newer)', async () => {
    const { session, structAddress } = makeFixture('c');
    const bytes = session.regions.find(r => r.start === structAddress)!.bytes;
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 37 + 11) & 0xff;
    await assert.rejects(
      new LiveHeapReader(session, { ...spec('c', structAddress), programNewer: true }).read({ threadId: 1 }),
      (error: unknown) => {
        assert.ok(error instanceof LiveReadError);
        assert.equal(error.kind, 'notAHeap');
        assert.match(error.message, /^The struct at 0x[0-9a-f]+, where the debug info puts HEAP, does not look like a buddy heap/);
        assert.match(error.message, /The program file may not match the debugged program .*was modified after the debug session started/);
        return true;
      },
    );
    assert.deepEqual(session.readRequests().length, 1, 'only the struct was read: no heap region from garbage');
  });
});
