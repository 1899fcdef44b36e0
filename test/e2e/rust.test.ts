// The native Rust program under gdb: rustc reorders Heap<16>'s fields, and the reader must find
// them where they are. The global allocator serves std too, so the expected heap comes from the
// program's own OP_LOG (every alloc/dealloc it served) replayed on the model, and the script's
// calls must appear in that log.
import * as assert from 'node:assert/strict';
import { decodeHeap } from '../../core/decoder/decode';
import type { HeapLayout } from '../../core/layout';
import { LiveHeapReader } from '../../extension/dap/liveHeapReader';
import { HEAP_SCRIPT, type ScriptOp } from './targets/script';
import { RUST_HEAP } from './support/buildTargets';
import { type TargetSession, continueToNextStop, evaluateNumber, readBytes, startRustSession } from './support/debugTargets';
import { type LogEntry, assertViewMatchesModel, parseLog, replayLog } from './support/heapModel';
import { setupOrSkip } from './support/skips';

/** Where rustc 1.x put the fields of Heap<16> on x86-64 (declaration order is heap_base first). */
const RUST_OFFSETS = { freeLists: 0, heapBase: 128, heapSize: 136, minBlockSize: 144, minBlockSizeLog2: 152 };
const EXPRESSION = 'prog::ALLOCATOR.inner.value';

async function programLog(session: TargetSession): Promise<LogEntry[]> {
  const count = Number(await evaluateNumber(session, 'prog::OP_COUNT'));
  assert.ok(count <= 4096, `OP_LOG overflowed (${count} entries)`);
  const address = await evaluateNumber(session, '&prog::OP_LOG');
  return count === 0 ? [] : parseLog(await readBytes(session, address, count * 32), count, 8);
}

/** True when the script's operations appear in the log in order (std's own calls interleave). */
function containsInOrder(log: readonly LogEntry[], ops: readonly ScriptOp[], sizes: Map<number, { size: number; align: number }>): boolean {
  let at = 0;
  for (const op of ops) {
    const wanted =
      op.kind === 'alloc'
        ? { kind: op.size > RUST_HEAP.heapSize || op.align > 4096 ? 2 : 1, size: op.size, align: op.align }
        : { kind: 3, ...sizes.get(op.slot)! };
    if (op.kind === 'alloc') sizes.set(op.slot, { size: op.size, align: op.align });
    while (at < log.length && !(log[at]!.kind === wanted.kind && log[at]!.size === wanted.size && log[at]!.align === wanted.align)) at++;
    if (at++ >= log.length) return false;
  }
  return true;
}

describe('e2e: native Rust program under gdb (Locked<Heap<16>>, 1 MiB)', function () {
  let session: TargetSession;

  before(async function () {
    session = await setupOrSkip(this, () => startRustSession());
  });
  after(async () => {
    await session?.close();
  });

  it("finds the reordered fields and, at every checkpoint, the heap the program's log replays to", async () => {
    const reader = new LiveHeapReader(session.client, { kind: 'expression', expression: EXPRESSION });
    const sizes = new Map<number, { size: number; align: number }>();
    let seen = 0;
    for (const [index, step] of HEAP_SCRIPT.entries()) {
      if (index > 0) await continueToNextStop(session);
      const what = `step ${step.step} (${step.what})`;
      assert.equal(await evaluateNumber(session, 'step'), BigInt(step.step), `${what}: stopped at the right checkpoint`);
      const read = await reader.read({ threadId: session.lastStop.body.threadId ?? 1 });
      assert.deepEqual(read.location.offsets, RUST_OFFSETS, 'offsets as rustc laid them out, not as declared');
      assert.equal(read.location.orders, 16);
      assert.equal(read.location.pointerWidth, 8);
      assert.equal(read.stats.mode, 'sparse', 'a 1 MiB heap is read sparsely by default');
      const fields = read.snapshot.fields;
      assert.equal(fields.heapSize, BigInt(RUST_HEAP.heapSize));
      assert.equal(fields.minBlockSize, 32n);
      assert.equal(fields.minBlockSizeLog2, 5);

      const layout: HeapLayout = { base: fields.heapBase, size: fields.heapSize, orders: 16, pointerWidth: 8, endianness: 'little' };
      const log = await programLog(session);
      const model = replayLog(layout, log);
      assert.deepEqual(fields, model.structFields(), `${what}: struct fields`);
      assertViewMatchesModel(decodeHeap(read.snapshot), model, what);
      assert.ok(containsInOrder(log.slice(seen), step.ops, sizes), `${what}: the script's calls are in OP_LOG`);
      seen = log.length;
    }
  });

  it('a full read of the 1 MiB heap decodes to the same view as the sparse one', async () => {
    const threadId = session.lastStop.body.threadId ?? 1;
    const sparse = await new LiveHeapReader(session.client, { kind: 'expression', expression: EXPRESSION }, { mode: 'sparse' }).read({
      threadId,
    });
    const full = await new LiveHeapReader(session.client, { kind: 'expression', expression: EXPRESSION }, { mode: 'full' }).read({
      threadId,
    });
    assert.equal(full.stats.readMemoryRequests, 1 + 256, 'the struct, then 256 chunks of 4 KiB');
    const a = decodeHeap(sparse.snapshot);
    const b = decodeHeap(full.snapshot);
    assert.deepEqual(
      a.freeLists.map(l => l.entries),
      b.freeLists.map(l => l.entries),
    );
    assert.deepEqual(a.stats, b.stats);
    assert.ok(sparse.stats.bytesRead * 50 < full.stats.bytesRead, `sparse ${sparse.stats.bytesRead} B vs full ${full.stats.bytesRead} B`);
  });

  it('pointing at the lock wrapper says what is wrong and how to fix it', async () => {
    const reader = new LiveHeapReader(session.client, { kind: 'expression', expression: 'prog::ALLOCATOR' });
    await assert.rejects(
      reader.read({ threadId: session.lastStop.body.threadId ?? 1 }),
      /"prog::ALLOCATOR" \(type prog::Locked<prog::Heap<16>>\) is not a buddyalloc Heap<N>.*inner\.value/,
    );
  });
});
