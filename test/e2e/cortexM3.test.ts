// The firmware in QEMU, step by step through the script: at every checkpoint the live reader's
// heap, decoded, must equal the model replaying the script, and the firmware's own op log must
// equal the model's. Then the reader's errors on the real adapter: wrong expressions, an
// unreadable struct, a running target.
import * as assert from 'node:assert/strict';
import { decodeHeap } from '../../core/decoder/decode';
import type { HeapLayout } from '../../core/layout';
import { LiveHeapReader } from '../../extension/dap/liveHeapReader';
import { LiveReadError } from '../../extension/dap/liveErrors';
import { FINAL_STEP, HEAP_SCRIPT } from './targets/script';
import { CORTEX_VARIANTS } from './support/buildTargets';
import {
  type TargetSession,
  STOP_TIMEOUT_MS,
  continueToNextStop,
  evaluateNumber,
  readBytes,
  startCortexSession,
} from './support/debugTargets';
import { assertViewMatchesModel, parseLog, replayLog, replayScript } from './support/heapModel';
import { setupOrSkip } from './support/skips';

const C_OFFSETS = { heapBase: 0, heapSize: 4, freeLists: 8, minBlockSize: 56, minBlockSizeLog2: 60 };

async function rejectsWith(promise: Promise<unknown>, kind: string, pattern: RegExp): Promise<void> {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(error instanceof LiveReadError, String(error));
    assert.equal(error.kind, kind, error.message);
    assert.match(error.message, pattern);
    return true;
  });
}

describe('e2e: Cortex-M3 firmware in QEMU (Heap<12>, 64 KiB)', function () {
  let session: TargetSession & { close(): Promise<void> };
  let layout: HeapLayout;

  before(async function () {
    session = await setupOrSkip(this, () => startCortexSession('64k'));
  });
  after(async () => {
    await session?.close();
  });

  it('attaches and stops at checkpoint(0) with memory read/write support', () => {
    assert.equal(session.lastStop.body.reason, 'function breakpoint');
    assert.equal(session.capabilities.supportsReadMemoryRequest, true);
  });

  it("at every checkpoint the live heap equals the model and the firmware's op log", async () => {
    const full = new LiveHeapReader(session.client, { kind: 'expression', expression: 'HEAP' }, { mode: 'full' });
    const sparse = new LiveHeapReader(session.client, { kind: 'expression', expression: 'HEAP' }, { mode: 'sparse' });
    for (const [index, step] of HEAP_SCRIPT.entries()) {
      if (index > 0) await continueToNextStop(session);
      const what = `step ${step.step} (${step.what})`;
      assert.equal(await evaluateNumber(session, 'step'), BigInt(step.step), `${what}: stopped at the right checkpoint`);
      const read = await full.read({ threadId: session.lastStop.body.threadId ?? 1 });
      assert.deepEqual(read.location.offsets, C_OFFSETS, 'C keeps declaration order');
      assert.equal(read.location.orders, 12);
      assert.equal(read.location.pointerWidth, 4);
      assert.equal(read.stats.failedReads + read.stats.shortReads, 0);
      assert.ok(read.stats.readMemoryRequests >= 17, 'the 64 KiB heap takes 16 chunks of 4 KiB');
      layout ??= {
        base: read.snapshot.fields.heapBase,
        size: BigInt(CORTEX_VARIANTS['64k'].heapSize),
        orders: 12,
        pointerWidth: 4,
        endianness: 'little',
      };

      const { heap: model, log: expectedLog } = replayScript(layout, step.step);
      assert.deepEqual(read.snapshot.fields, model.structFields(), `${what}: struct fields`);
      const view = decodeHeap(read.snapshot);
      assertViewMatchesModel(view, model, `${what} (full read)`);

      // The firmware's record of what it did: the same calls and the same addresses as the model.
      const count = Number(await evaluateNumber(session, 'op_count'));
      const logAddress = await evaluateNumber(session, '&op_log[0]');
      const log = count === 0 ? [] : parseLog(await readBytes(session, logAddress, count * 16), count, 4);
      assert.deepEqual(log, expectedLog, `${what}: op_log`);
      assert.deepEqual(replayLog(layout, log).freeLists(), model.freeLists(), `${what}: op_log replayed`);

      const sparseRead = await sparse.read({ threadId: session.lastStop.body.threadId ?? 1 });
      assertViewMatchesModel(decodeHeap(sparseRead.snapshot), model, `${what} (sparse read)`);
      assert.ok(sparseRead.stats.bytesRead < read.stats.bytesRead / 10, `${what}: sparse read ${sparseRead.stats.bytesRead} bytes`);
    }
    const last = await continueToNextStop(session);
    assert.equal(last.body.reason, 'function breakpoint');
    assert.equal(await evaluateNumber(session, 'step'), BigInt(FINAL_STEP));
  });

  it('an address source with the offsets reads the same heap with no evaluate', async () => {
    const address = await evaluateNumber(session, '&HEAP');
    const before = session.client.sent.length;
    const read = await new LiveHeapReader(session.client, {
      kind: 'address',
      address,
      offsets: C_OFFSETS,
      orders: 12,
      pointerWidth: 4,
    }).read({});
    assert.ok(session.client.sent.slice(before).every(r => r.command === 'readMemory'));
    assertViewMatchesModel(decodeHeap(read.snapshot), replayScript(layout, HEAP_SCRIPT.at(-1)!.step).heap, 'address source');
  });

  it('says plainly when the expression does not evaluate, is not a heap, or its memory is unreadable', async () => {
    const threadId = session.lastStop.body.threadId ?? 1;
    const read = (expression: string) => new LiveHeapReader(session.client, { kind: 'expression', expression }).read({ threadId });
    // gdb answers an unknown symbol with success:true and "Error: ...": still an error here.
    await rejectsWith(read('NO_SUCH_HEAP'), 'expression', /"NO_SUCH_HEAP" does not evaluate in the current frame/);
    await rejectsWith(read('op_count'), 'notAHeap', /"op_count" \(type uint32_t\) is not a buddyalloc Heap<N>: it has none of the fields/);
    await rejectsWith(read('slots[0]'), 'notAHeap', /"slots\[0\]" \(type struct slot\) is not a buddyalloc Heap<N>/);
    // A Heap at an unmapped address: the fields evaluate, the bytes cannot be read.
    await rejectsWith(read('*(Heap *)0x30000000'), 'unreadable', /at 0x30000000 cannot be read: .*Unable to read memory/);
  });

  it('a running target gives "not stopped", and a paused one reads again', async () => {
    const reader = new LiveHeapReader(session.client, { kind: 'expression', expression: 'HEAP' });
    await session.client.request('setFunctionBreakpoints', { breakpoints: [] });
    await session.client.request('continue', { threadId: session.lastStop.body.threadId ?? 1 });
    await rejectsWith(reader.read({ threadId: 1 }), 'notStopped', /running/);
    const stopped = session.client.waitForEvent('stopped', STOP_TIMEOUT_MS);
    await session.client.request('pause', { threadId: 1 });
    await stopped;
    const read = await reader.read({ threadId: 1 });
    assertViewMatchesModel(decodeHeap(read.snapshot), replayScript(layout, HEAP_SCRIPT.at(-1)!.step).heap, 'after pause');
  });
});
