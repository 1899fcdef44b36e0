// One refresh per stop: a newer stop or a resume cancels the older refresh, whose result is dropped.
import * as assert from 'node:assert/strict';
import { LiveReadError } from '../../../extension/dap/liveErrors';
import type { StopContext } from '../../../extension/dap/liveHeapReader';
import { RefreshController } from '../../../extension/live/refreshController';

/** A refresh that waits until released or aborted. */
function gatedRefresh() {
  const gates: { stop: StopContext; release: () => void; signal: AbortSignal }[] = [];
  const refresh = (stop: StopContext, signal: AbortSignal) =>
    new Promise<string>((resolve, reject) => {
      gates.push({ stop, signal, release: () => resolve(`heap at ${stop.threadId}`) });
      signal.addEventListener('abort', () => reject(new LiveReadError('cancelled', 'overtaken')));
    });
  return { gates, refresh };
}

describe('refresh controller', () => {
  it('a newer stop aborts the refresh still running; only the newer result is delivered', async () => {
    const { gates, refresh } = gatedRefresh();
    const results: string[] = [];
    const errors: LiveReadError[] = [];
    const controller = new RefreshController({ refresh, onResult: r => results.push(r), onError: e => errors.push(e) });
    const first = controller.stopped({ threadId: 1 });
    const second = controller.stopped({ threadId: 2 });
    assert.equal(gates[0]!.signal.aborted, true);
    gates[0]!.release();
    gates[1]!.release();
    await Promise.all([first, second]);
    assert.deepEqual(results, ['heap at 2']);
    assert.deepEqual(errors, []);
  });

  it('cancel aborts the running refresh; after dispose no refresh starts', async () => {
    const { gates, refresh } = gatedRefresh();
    const results: string[] = [];
    const controller = new RefreshController({ refresh, onResult: r => results.push(r), onError: () => assert.fail('no error expected') });
    void controller.stopped({ threadId: 7 });
    assert.equal(gates.length, 1);
    assert.deepEqual(gates[0]!.stop, { threadId: 7 });
    controller.cancel();
    assert.equal(gates[0]!.signal.aborted, true);
    await controller.idle();
    controller.dispose();
    void controller.stopped({ threadId: 8 });
    assert.equal(gates.length, 1, 'no refresh after the session ended');
    assert.deepEqual(results, []);
  });

  it('a finished refresh lends its signal to the next; a cancelled one never does', async () => {
    const { gates, refresh } = gatedRefresh();
    const results: string[] = [];
    const controller = new RefreshController({ refresh, onResult: r => results.push(r), onError: () => assert.fail('no error expected') });
    const first = controller.stopped({ threadId: 1 });
    gates[0]!.release();
    await first;
    void controller.stopped({ threadId: 2 });
    assert.equal(gates[1]!.signal, gates[0]!.signal, "the finished refresh's signal, never aborted, is used again");
    assert.equal(gates[1]!.signal.aborted, false);
    controller.cancel();
    assert.equal(gates[1]!.signal.aborted, true);
    await controller.idle();
    const third = controller.stopped({ threadId: 3 });
    assert.notEqual(gates[2]!.signal, gates[1]!.signal);
    assert.equal(gates[2]!.signal.aborted, false, 'a refresh after a cancelled one starts with a live signal');
    gates[2]!.release();
    await third;
    assert.deepEqual(results, ['heap at 1', 'heap at 3']);
  });

  it('a failure is reported once with its kind; a plain exception becomes an adapter error', async () => {
    const errors: LiveReadError[] = [];
    const controller = new RefreshController<number>({
      refresh: async () => {
        throw new TypeError('boom');
      },
      onResult: () => assert.fail('no result expected'),
      onError: e => errors.push(e),
    });
    await controller.stopped({ threadId: 1 });
    assert.equal(errors.length, 1);
    assert.equal(errors[0]!.kind, 'adapter');
    assert.match(errors[0]!.message, /boom/);
  });
});
