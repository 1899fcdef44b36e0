// The ownership scan on a halted target, through a fake cdt-gdb-adapter: statics are read only at
// their pointer words, the stack from the stopped thread's SP to the program's stack top (or, with
// no top, until memory ends), frame 0's registers are roots except those that hold code or flags,
// the allocated spans are read once, and the result names each block's owner and the leak.
import * as assert from 'node:assert/strict';
import { decodeHeap } from '../../../core/decoder/decode';
import { encodeWord } from '../../../core/memory/byteImage';
import { BuddyHeap } from '../../../core/model/buddyHeap';
import type { MemoryRoot } from '../../../core/ownership/types';
import { LiveHeapReader } from '../../../extension/dap/liveHeapReader';
import { DEFAULT_OWNERSHIP_SETTINGS, type OwnershipScanSettings, scanLiveOwnership } from '../../../extension/dap/ownership/liveOwnership';
import { C_OFFSETS } from './heapFixture';
import { FakeGdbSession } from './fakeGdbSession';

const BASE = 0x2000_1000n;
const STRUCT = 0x2000_0004n;
const STATICS = 0x1000_0000n;
const STACK = 0x3000_0000n;
const STACK_BYTES = 64;

interface Scene {
  readonly session: FakeGdbSession;
  readonly blocks: Record<'a' | 'b' | 'c' | 'd' | 'e', bigint>;
  readonly roots: MemoryRoot[];
}

/** A 4 KiB C heap with five blocks: a (static app::A), b (a's word +8), c (a stack word), d (register r4), e (nothing but pc). */
function scene(): Scene {
  const created = BuddyHeap.create({ base: BASE, size: 4096n, orders: 8, pointerWidth: 4, endianness: 'little' });
  if (!created.ok) throw new Error(created.error);
  const heap = created.heap;
  const take = (size: number) => {
    const got = heap.allocate(size, 4);
    assert.ok(got.ok);
    heap.image.write(got.offset, new Uint8Array(heap.orderSize(got.order)));
    return { address: heap.address(got.offset), offset: got.offset };
  };
  const [a, b, c, d, e] = [take(64), take(32), take(32), take(32), take(128)];
  heap.image.writeWord(a!.offset + 8, b!.address);
  const session = new FakeGdbSession({
    expression: 'HEAP',
    address: STRUCT,
    offsets: C_OFFSETS,
    orders: 8,
    pointerWidth: 4,
    typeName: 'Heap',
  });
  const fields = heap.structFields();
  const struct = new Uint8Array(64);
  const put = (bytes: Uint8Array, at: number, value: bigint) => bytes.set(encodeWord(value, 4, true), at);
  put(struct, C_OFFSETS.heapBase, fields.heapBase);
  put(struct, C_OFFSETS.heapSize, fields.heapSize);
  fields.freeLists.forEach((head, k) => put(struct, C_OFFSETS.freeLists + k * 4, head));
  put(struct, C_OFFSETS.minBlockSize, fields.minBlockSize);
  struct[C_OFFSETS.minBlockSizeLog2] = fields.minBlockSizeLog2;
  session.map(STRUCT, struct);
  session.map(BASE, heap.image.read(0, 4096)!);
  // app::A: a pointer at +4 between two plain words that hold heap addresses (not pointers by type).
  const statics = new Uint8Array(256);
  put(statics, 0, e!.address);
  put(statics, 4, a!.address);
  put(statics, 8, e!.address);
  session.map(STATICS, statics);
  const stack = new Uint8Array(STACK_BYTES);
  put(stack, 12, c!.address);
  session.map(STACK, stack);
  session.registers = {
    r0: '0x0',
    r4: `0x${d!.address.toString(16)}`,
    sp: `0x${STACK.toString(16)}`,
    pc: `0x${e!.address.toString(16)}`,
    xpsr: '0x1000000',
  };
  const roots: MemoryRoot[] = [{ kind: 'static', label: 'app::A', address: STATICS, size: 12, slots: [{ offset: 4, path: 'ptr' }] }];
  return { session, blocks: { a: a!.address, b: b!.address, c: c!.address, d: d!.address, e: e!.address }, roots };
}

async function scan(s: Scene, stackTop: bigint | undefined, settings: OwnershipScanSettings = DEFAULT_OWNERSHIP_SETTINGS) {
  // Sparse: the heap read brings the free blocks only, so the scan must read the allocated ones.
  const read = await new LiveHeapReader(s.session, { kind: 'expression', expression: 'HEAP' }, { mode: 'sparse', maxChunkBytes: 32 }).read({
    threadId: 1,
  });
  const view = decodeHeap(read.snapshot);
  const before = s.session.requests.length;
  const scanned = await scanLiveOwnership(s.session, { roots: s.roots, stackTop }, read, view, { threadId: 1 }, settings);
  return { ...scanned, requests: s.session.requests.slice(before) };
}

describe('live ownership scan', () => {
  it('names each block’s owner from statics, the stack and registers, and the leak', async () => {
    const s = scene();
    const { result, requests } = await scan(s, STACK + BigInt(STACK_BYTES));
    const ownerOf = (address: bigint) => result.owner(result.blockAt(address))?.path;
    assert.equal(ownerOf(s.blocks.a), 'app::A.ptr');
    assert.equal(ownerOf(s.blocks.b), 'app::A.ptr', 'b is reached through a');
    assert.deepEqual(
      result.chain(result.blockAt(s.blocks.b))!.steps.map(step => step.address),
      [s.blocks.a, s.blocks.b],
    );
    assert.equal(ownerOf(s.blocks.c), 'thread 1 (main) stack+0xc');
    assert.equal(ownerOf(s.blocks.d), 'thread 1 (main) r4');
    assert.deepEqual(
      result.leakSuspects().map(x => x.address),
      [s.blocks.e],
      'e is a leak: the statics hold it only in words that are not pointers, and pc is not a data pointer',
    );
    // What the scan asked for: the static's pointer word only, the stack from sp to its top, and the heap's allocated blocks.
    const reads = requests.filter(r => r.command === 'readMemory').map(r => [BigInt(String(r.args.memoryReference)), Number(r.args.count)]);
    assert.deepEqual(reads[0], [STATICS + 4n, 4]);
    assert.deepEqual(reads[1], [STACK, STACK_BYTES]);
    assert.ok(
      reads.slice(2).every(([at]) => at! >= BASE && at! < BASE + 4096n),
      'the rest is the heap',
    );
    assert.deepEqual([...new Set(requests.map(r => r.command))].sort(), ['readMemory', 'scopes', 'stackTrace', 'threads', 'variables']);
  });

  it('reads a stack with no known top until memory ends', async () => {
    const s = scene();
    const { result } = await scan(s, undefined);
    const stack = result.roots.find(r => r.kind === 'stack');
    assert.ok(stack && stack.kind === 'stack');
    assert.deepEqual([stack.address, stack.size], [STACK, STACK_BYTES]);
    assert.equal(result.owner(result.blockAt(s.blocks.c))?.path, 'thread 1 (main) stack+0xc');
  });

  it('says what it did not read when the byte budget runs out', async () => {
    const s = scene();
    const { notes, result } = await scan(s, STACK + BigInt(STACK_BYTES), {
      ...DEFAULT_OWNERSHIP_SETTINGS,
      maxReadBytes: 4 + STACK_BYTES + 64,
    });
    assert.ok(
      notes.some(n => /of allocated blocks were not read/.test(n) && /maxReadBytes/.test(n)),
      notes.join(' | '),
    );
    assert.ok(result.stats.spanBytesUnreadable > 0);
  });

  it('scans no stack when the adapter shows no registers, and says so', async () => {
    const s = scene();
    s.session.registers = undefined;
    const { notes, result } = await scan(s, STACK + BigInt(STACK_BYTES));
    assert.ok(notes.some(n => /no registers/.test(n)));
    assert.equal(result.roots.filter(r => r.kind !== 'static').length, 0);
  });
});
