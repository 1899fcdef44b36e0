// abortable: the requests of one refresh share one abort listener. An abort rejects every request
// still waiting (as cancelled) at once, answers that came before it stay answered, and requests
// under another signal are untouched.
import * as assert from 'node:assert/strict';
import { abortable } from '../../../extension/dap/dapSession';
import { LiveReadError } from '../../../extension/dap/liveErrors';

/** A request the test answers when it likes. */
function pending<T>(): { promise: Promise<T>; answer(value: T): void; fail(error: Error): void } {
  let answer!: (value: T) => void;
  let fail!: (error: Error) => void;
  const promise = new Promise<T>((resolve, reject) => {
    answer = resolve;
    fail = reject;
  });
  return { promise, answer, fail };
}

const isCancelled = (error: unknown) => error instanceof LiveReadError && error.kind === 'cancelled';

describe('abortable requests', () => {
  it('an abort rejects every request still waiting under its signal, and only those', async () => {
    const refresh = new AbortController();
    const other = new AbortController();
    const requests = Array.from({ length: 5 }, () => pending<number>());
    const wrapped = requests.map(r => abortable(r.promise, refresh.signal));
    const elsewhere = pending<number>();
    const untouched = abortable(elsewhere.promise, other.signal);
    requests[0]!.answer(10);
    requests[1]!.fail(new Error('unmapped'));
    assert.equal(await wrapped[0], 10);
    await assert.rejects(wrapped[1]!, /unmapped/);
    refresh.abort();
    for (const request of wrapped.slice(2)) await assert.rejects(request, isCancelled);
    // Answers after the abort change nothing; a request made after it fails at once.
    requests[2]!.answer(12);
    await assert.rejects(abortable(Promise.resolve(1), refresh.signal), isCancelled);
    elsewhere.answer(7);
    assert.equal(await untouched, 7);
    assert.equal(await abortable(Promise.resolve(3), undefined), 3);
  });

  it('many requests under one signal each settle with their own answer', async () => {
    const refresh = new AbortController();
    const answers = await Promise.all(Array.from({ length: 200 }, (_, i) => abortable(Promise.resolve(i), refresh.signal)));
    assert.deepEqual(
      answers,
      Array.from({ length: 200 }, (_, i) => i),
    );
    refresh.abort();
  });
});
