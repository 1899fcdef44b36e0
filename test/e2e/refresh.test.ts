// Refreshes on the real adapter: a newer stop or a resume cancels the running read, and an
// adapter that dies mid-read gives a "session ended" error instead of a half-read heap.
import * as assert from 'node:assert/strict';
import { decodeHeap } from '../../core/decoder/decode';
import type { DapSession } from '../../extension/live/dapSession';
import { type LiveHeapRead, LiveHeapReader } from '../../extension/live/liveHeapReader';
import { LiveReadError } from '../../extension/live/liveErrors';
import { RefreshController } from '../../extension/live/refreshController';
import { CORTEX_VARIANTS } from './support/buildTargets';
import { type TargetSession, continueToNextStop, startCortexSession } from './support/debugTargets';
import { assertViewMatchesModel, replayScript } from './support/heapModel';
import { setupOrSkip } from './support/skips';

/** A session that calls `hook` before the n-th readMemory. */
function onNthRead(session: DapSession, n: number, hook: () => void): DapSession & { reads: number } {
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
    const results: LiveHeapRead[] = [];
    const errors: LiveReadError[] = [];
    // eslint-disable-next-line prefer-const -- the read hook below needs the controller before it exists
    let controller: RefreshController<LiveHeapRead> | undefined;
    const counted = onNthRead(session.client, 6, () =>
      controller?.handleMessage({ type: 'event', event: 'continued', body: { threadId: 1 } }),
    );
    const reader = new LiveHeapReader(counted, { kind: 'expression', expression: 'HEAP' }, slow);
    controller = new RefreshController({
      refresh: (stop, signal) => reader.read(stop, signal),
      onResult: r => results.push(r),
      onError: e => errors.push(e),
    });
    controller.handleMessage({
      type: 'event',
      event: 'stopped',
      body: { reason: 'function breakpoint', threadId: session.lastStop.body.threadId ?? 1 },
    });
    await controller.idle();
    assert.deepEqual([results.length, errors.length], [0, 0], 'a cancelled refresh delivers nothing');
    assert.ok(counted.reads < 10, `no reads after the cancel (${counted.reads})`);
    const stopped = await continueToNextStop(session);
    controller.handleMessage({ type: 'event', event: 'stopped', body: stopped.body });
    await controller.idle();
    assert.equal(results.length, 1);
    const layout = {
      base: results[0]!.snapshot.fields.heapBase,
      size: BigInt(CORTEX_VARIANTS['64k'].heapSize),
      orders: 12,
      pointerWidth: 4,
      endianness: 'little',
    } as const;
    assertViewMatchesModel(decodeHeap(results[0]!.snapshot), replayScript(layout, 1).heap, 'after the next stop');
    controller.dispose();
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
