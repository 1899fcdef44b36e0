// Refreshes on the real adapter: a newer stop or a resume (through the live source, as the
// extension runs it) cancels the running read, and an
// adapter that dies mid-read gives a "session ended" error instead of a half-read heap.
import * as assert from 'node:assert/strict';
import { decodeHeap } from '../../core/decoder/decode';
import type { DapChannel } from '../../extension/dap/dapSession';
import { type LiveHeapRead, LiveHeapReader } from '../../extension/dap/liveHeapReader';
import { LiveReadError } from '../../extension/dap/liveErrors';
import { LiveHeapSource } from '../../extension/live/liveHeapSource';
import { RefreshController } from '../../extension/live/refreshController';
import { eventFromAdapter } from '../../extension/dap/sessionEvents';
import { CORTEX_VARIANTS } from './support/buildTargets';
import { type TargetSession, continueToNextStop, startCortexSession } from './support/debugTargets';
import { assertViewMatchesModel, replayScript } from './support/heapModel';
import { setupOrSkip } from './support/skips';

/** A session that calls `hook` before the n-th readMemory. */
function onNthRead(session: DapChannel, n: number, hook: () => void): DapChannel & { reads: number } {
  const counting = {
    reads: 0,
    capabilities: session.capabilities,
    customRequest(command: string, args?: unknown): Promise<unknown> {
      if (command === 'readMemory' && ++counting.reads === n) hook();
      return session.customRequest(command, args);
    },
  };
  return counting;
}

describe('e2e: refresh cancellation and a dying adapter', function () {
  let session: TargetSession;

  before(async function () {
    session = await setupOrSkip(this, () => startCortexSession('64k'));
  });
  after(async () => {
    await session?.close();
  });

  // Small chunks one at a time make a read long enough (128 requests) to be overtaken.
  const slow = { mode: 'full', maxChunkBytes: 512, concurrency: 1 } as const;

  it('a second stop cancels the first refresh; only its result arrives', async () => {
    const results: LiveHeapRead[] = [];
    const errors: LiveReadError[] = [];
    const reader = new LiveHeapReader(session.client, { kind: 'expression', expression: 'HEAP' }, slow);
    const controller = new RefreshController({
      refresh: (stop, signal) => reader.read(stop, signal),
      onResult: r => results.push(r),
      onError: e => errors.push(e),
    });
    const stop = { threadId: session.lastStop.body.threadId ?? 1 };
    const first = controller.stopped(stop);
    await new Promise(resolve => setTimeout(resolve, 15));
    const second = controller.stopped(stop);
    await Promise.all([first, second]);
    assert.deepEqual(errors, []);
    assert.equal(results.length, 1);
    assert.equal(results[0]!.stats.readMemoryRequests, 1 + 128);
    const layout = {
      base: results[0]!.snapshot.fields.heapBase,
      size: BigInt(CORTEX_VARIANTS['64k'].heapSize),
      orders: 12,
      pointerWidth: 4,
      endianness: 'little',
    } as const;
    assertViewMatchesModel(decodeHeap(results[0]!.snapshot), replayScript(layout, 0).heap, 'after the overtaking stop');
    controller.dispose();
  });

  it('a resume (continued event) cancels the refresh; the next stop refreshes again', async () => {
    // The product's path: the adapter's messages through the session tracker's parser into a live source.
    const feed = (message: unknown) => {
      const event = eventFromAdapter(message);
      if (event) source.handle(event);
    };
    const counted = onNthRead(session.client, 6, () => feed({ type: 'event', event: 'continued', body: { threadId: 1 } }));
    const reader = new LiveHeapReader(counted, { kind: 'expression', expression: 'HEAP' }, slow);
    const logs: string[] = [];
    const source = new LiveHeapSource({ sessionId: 'e2e', sessionName: 'QEMU', heapName: 'HEAP', reader, log: m => logs.push(m) });
    feed({ type: 'event', event: 'stopped', body: { reason: 'function breakpoint', threadId: session.lastStop.body.threadId ?? 1 } });
    await source.idle();
    const errors = logs.filter(l => /error|failed/i.test(l));
    assert.deepEqual([source.latestRead === undefined, errors], [true, []], 'a cancelled refresh delivers nothing');
    assert.equal(source.status().state, 'waiting', 'running, waiting for the next stop');
    assert.ok(counted.reads < 10, `no reads after the cancel (${counted.reads})`);
    const stopped = await continueToNextStop(session);
    feed({ type: 'event', event: 'stopped', body: stopped.body });
    await source.idle();
    assert.equal(source.history().total, 1);
    const read = source.latestRead!;
    const layout = {
      base: read.snapshot.fields.heapBase,
      size: BigInt(CORTEX_VARIANTS['64k'].heapSize),
      orders: 12,
      pointerWidth: 4,
      endianness: 'little',
    } as const;
    assertViewMatchesModel(decodeHeap(read.snapshot), replayScript(layout, 1).heap, 'after the next stop');
    source.dispose();
  });

  it('an adapter killed mid-read gives a clear "session ended" error', async () => {
    const pid = session.client.child.pid!;
    const dying = onNthRead(session.client, 5, () => process.kill(-pid, 'SIGKILL'));
    const reader = new LiveHeapReader(dying, { kind: 'expression', expression: 'HEAP' }, slow);
    await assert.rejects(reader.read({ threadId: 1 }), (error: unknown) => {
      assert.ok(error instanceof LiveReadError);
      assert.equal(error.kind, 'disconnected', error.message);
      assert.match(error.message, /debug session ended while the heap was being read .*adapter exited/);
      return true;
    });
  });
});
