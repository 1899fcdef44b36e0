// The Cortex-M3 firmware built for big-endian MIPS32 and run on QEMU malta, read through the same
// live path as on Cortex-M3: at every checkpoint the reader must find the target big-endian by
// itself (the setting still says little) and decode a heap equal to the model replaying the
// script, to the firmware's op log and to the pointers the firmware holds. The address form
// (readMemory only) must read the same heap with the order given, left out, or given wrongly.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { decodeHeap } from '../../core/decoder/decode';
import type { HeapLayout } from '../../core/layout';
import type { BuddyHeap } from '../../core/model/buddyHeap';
import type { FieldOffsets } from '../../extension/dap/heapSpec';
import { type LiveHeapRead, LiveHeapReader } from '../../extension/dap/liveHeapReader';
import { FINAL_STEP, HEAP_SCRIPT } from './targets/script';
import { CORTEX_VARIANTS } from './support/buildTargets';
import { type TargetSession, continueToNextStop, evaluateNumber, readBytes, startMipsSession } from './support/debugTargets';
import { assertViewMatchesModel, parseLog, replayLog, replayScript } from './support/heapModel';
import { setupOrSkip } from './support/skips';

/** o32 lays the C struct out as Cortex-M3 does: 4-byte pointers and size_t, declaration order. */
const C_OFFSETS: FieldOffsets = { heapBase: 0, heapSize: 4, freeLists: 8, minBlockSize: 56, minBlockSizeLog2: 60 };
const ORDERS = 12;
const EM_MIPS = 8;
/** fw.c's `struct slot { uint8_t *ptr; uint32_t size; uint32_t align; }` and MAX_SLOTS. */
const SLOT_BYTES = 12;
const MAX_SLOTS = 64;

interface Held {
  readonly addr: bigint;
  readonly size: number;
  readonly align: number;
}

const byAddress = (a: Held, b: Held) => (a.addr < b.addr ? -1 : a.addr > b.addr ? 1 : 0);

/** The blocks the firmware holds now, from its slots[] (big-endian words), in address order. */
async function heldBlocks(session: TargetSession): Promise<Held[]> {
  const bytes = await readBytes(session, await evaluateNumber(session, '&slots[0]'), SLOT_BYTES * MAX_SLOTS);
  const held: Held[] = [];
  for (let at = 0; at < bytes.length; at += SLOT_BYTES) {
    const addr = BigInt(bytes.readUInt32BE(at));
    if (addr !== 0n) held.push({ addr, size: bytes.readUInt32BE(at + 4), align: bytes.readUInt32BE(at + 8) });
  }
  return held.sort(byAddress);
}

function modelHeld(model: BuddyHeap): Held[] {
  return model
    .liveAllocations()
    .map(a => ({ addr: model.address(a.offset), size: Number(a.size), align: Number(a.align) }))
    .sort(byAddress);
}

describe('e2e: big-endian MIPS32 firmware in QEMU malta (Heap<12>, 64 KiB)', function () {
  let session: TargetSession & { close(): Promise<void> };
  let layout: HeapLayout;
  let structAddress: bigint;

  before(async function () {
    session = await setupOrSkip(this, () => startMipsSession('64k'));
    // Where the struct and the heap are, from the debugger: the model is laid out the same.
    structAddress = await evaluateNumber(session, '&HEAP');
    layout = {
      base: await evaluateNumber(session, 'HEAP.heap_base'),
      size: BigInt(CORTEX_VARIANTS['64k'].heapSize),
      orders: ORDERS,
      pointerWidth: 4,
      endianness: 'big',
    };
  });
  after(async () => {
    await session?.close();
  });

  /** The heap where the firmware stopped now (after the script, checkpoint(FINAL_STEP) replays it all). */
  const modelNow = async () => replayScript(layout, Number(await evaluateNumber(session, 'step'))).heap;

  it('runs a big-endian MIPS ELF, whose heap_size gdb prints as its bytes read big-endian', async () => {
    const header = Buffer.alloc(20);
    const fd = fs.openSync(session.program, 'r');
    try {
      fs.readSync(fd, header, 0, header.length, 0);
    } finally {
      fs.closeSync(fd);
    }
    assert.deepEqual([...header.subarray(0, 6)], [0x7f, 0x45, 0x4c, 0x46, 1, 2], 'ELF32, ELFDATA2MSB');
    assert.equal(header.readUInt16BE(18), EM_MIPS, 'e_machine');
    assert.equal(session.lastStop.body.reason, 'function breakpoint');
    assert.equal(session.capabilities.supportsReadMemoryRequest, true);

    // Ground truth without the product: the debugger's value of heap_size and the bytes behind it.
    const heapSize = await evaluateNumber(session, 'HEAP.heap_size');
    assert.equal(heapSize, BigInt(CORTEX_VARIANTS['64k'].heapSize));
    const word = await readBytes(session, await evaluateNumber(session, '&HEAP.heap_size'), 4);
    assert.equal(BigInt(word.readUInt32BE(0)), heapSize, `bytes ${word.toString('hex')}`);
    assert.notEqual(BigInt(word.readUInt32LE(0)), heapSize);
  });

  it('at every checkpoint the live heap, found by expression, is read big-endian and equals the model, the op log and the held blocks', async () => {
    // No endianness anywhere: the setting's default (little) is what the reader starts from.
    const full = new LiveHeapReader(session.client, { kind: 'expression', expression: 'HEAP' }, { mode: 'full' });
    const sparse = new LiveHeapReader(session.client, { kind: 'expression', expression: 'HEAP' }, { mode: 'sparse' });
    let longestList = 0;
    for (const [index, step] of HEAP_SCRIPT.entries()) {
      if (index > 0) await continueToNextStop(session);
      const what = `step ${step.step} (${step.what})`;
      assert.equal(await evaluateNumber(session, 'step'), BigInt(step.step), `${what}: stopped at the right checkpoint`);
      const threadId = session.lastStop.body.threadId ?? 1;
      const read: LiveHeapRead = await full.read({ threadId });
      assert.equal(read.location.endianness, 'big', `${what}: byte order`);
      assert.equal(read.location.endiannessFromTarget, true, `${what}: the order came from the target`);
      assert.equal(read.snapshot.endianness, 'big');
      if (index === 0) {
        assert.ok(
          read.notes.some(n => n.level === 'warning' && /target is big-endian .*buddyHeap\.live\.endianness says little/.test(n.message)),
          `the contradicted setting is reported: ${JSON.stringify(read.notes)}`,
        );
      }
      assert.deepEqual(read.location.offsets, C_OFFSETS, 'o32 C keeps declaration order');
      assert.equal(read.location.orders, ORDERS);
      assert.equal(read.location.pointerWidth, 4);
      assert.equal(read.stats.failedReads + read.stats.shortReads, 0);
      assert.equal(read.location.address, structAddress);

      const { heap: model, log: expectedLog } = replayScript(layout, step.step);
      assert.deepEqual(read.snapshot.fields, model.structFields(), `${what}: struct fields`);
      const view = decodeHeap(read.snapshot);
      assertViewMatchesModel(view, model, `${what} (full read)`);
      longestList = Math.max(longestList, ...view.freeLists.map(list => list.entries.length));

      // What the firmware itself did and holds, in its own (big-endian) words.
      const count = Number(await evaluateNumber(session, 'op_count'));
      const logAddress = await evaluateNumber(session, '&op_log[0]');
      const log = count === 0 ? [] : parseLog(await readBytes(session, logAddress, count * 16), count, 4, 'big');
      assert.deepEqual(log, expectedLog, `${what}: op_log`);
      assert.deepEqual(replayLog(layout, log).freeLists(), model.freeLists(), `${what}: op_log replayed`);
      assert.deepEqual(await heldBlocks(session), modelHeld(model), `${what}: the blocks the firmware holds`);

      // The sparse walk follows each free block's big-endian `next` word through the heap.
      const sparseRead = await sparse.read({ threadId });
      assert.equal(sparseRead.location.endianness, 'big');
      assertViewMatchesModel(decodeHeap(sparseRead.snapshot), model, `${what} (sparse read)`);
      assert.ok(sparseRead.stats.bytesRead < read.stats.bytesRead / 10, `${what}: sparse read ${sparseRead.stats.bytesRead} bytes`);
    }
    // Otherwise no `next` word would ever have been followed: the script must leave a list of several blocks.
    assert.ok(longestList >= 2, `the longest free list had ${longestList} blocks`);
    const last = await continueToNextStop(session);
    assert.equal(last.body.reason, 'function breakpoint');
    assert.equal(await evaluateNumber(session, 'step'), BigInt(FINAL_STEP));
  });

  it('an address source with endianness "big" reads the same heap with readMemory only', async () => {
    const model = await modelNow();
    const before = session.client.sent.length;
    const read = await new LiveHeapReader(session.client, {
      kind: 'address',
      address: structAddress,
      offsets: C_OFFSETS,
      orders: ORDERS,
      pointerWidth: 4,
      endianness: 'big',
    }).read({});
    assert.ok(session.client.sent.slice(before).every(r => r.command === 'readMemory'));
    assert.equal(read.location.endianness, 'big');
    assert.deepEqual(read.notes, [], 'nothing to correct');
    assertViewMatchesModel(decodeHeap(read.snapshot), model, 'address source, big');
  });

  it('an address source without endianness, or with "little", is read big-endian from the struct itself', async () => {
    const model = await modelNow();
    const address = { kind: 'address', address: structAddress, offsets: C_OFFSETS, orders: ORDERS, pointerWidth: 4 } as const;
    const unsaid = await new LiveHeapReader(session.client, address).read({});
    assert.equal(unsaid.location.endianness, 'big');
    assert.deepEqual(unsaid.snapshot.fields, model.structFields());
    assertViewMatchesModel(decodeHeap(unsaid.snapshot), model, 'address source, no order');

    const wrong = await new LiveHeapReader(session.client, { ...address, endianness: 'little' }).read({});
    assert.equal(wrong.location.endianness, 'big');
    assert.ok(
      wrong.notes.some(
        n => n.level === 'warning' && /big-endian \(only big-endian reads heap_size.*"endianness" says little/.test(n.message),
      ),
      `the wrong setting is reported: ${JSON.stringify(wrong.notes)}`,
    );
    assertViewMatchesModel(decodeHeap(wrong.snapshot), model, 'address source, "little" overruled');
  });
});
