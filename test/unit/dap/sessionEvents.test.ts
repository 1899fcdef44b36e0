// The one parser of DAP traffic: what each message means to a live heap, and that nothing else
// (malformed messages, unrelated requests and responses) means anything.
import * as assert from 'node:assert/strict';
import { eventFromAdapter, eventFromClient } from '../../../extension/dap/sessionEvents';

describe('session events', () => {
  it('resuming requests are "resumed" with their seq; other requests are nothing', () => {
    for (const command of ['continue', 'next', 'stepIn', 'stepOut', 'stepBack', 'reverseContinue', 'goto', 'restartFrame', 'restart'])
      assert.deepEqual(eventFromClient({ type: 'request', seq: 7, command, arguments: {} }), { kind: 'resumed', requestSeq: 7 }, command);
    for (const command of ['evaluate', 'readMemory', 'stackTrace', 'threads', 'pause', 'setBreakpoints'])
      assert.equal(eventFromClient({ type: 'request', seq: 7, command }), undefined, command);
    assert.equal(eventFromClient({ type: 'response', command: 'continue', request_seq: 1, success: true }), undefined);
  });

  it('stopped keeps thread, reason and description; continued is resumed', () => {
    assert.deepEqual(
      eventFromAdapter({ type: 'event', event: 'stopped', body: { reason: 'breakpoint', threadId: 3, description: 'Paused' } }),
      { kind: 'stopped', stop: { threadId: 3, reason: 'breakpoint', description: 'Paused' } },
    );
    assert.deepEqual(eventFromAdapter({ type: 'event', event: 'stopped' }), { kind: 'stopped', stop: { reason: 'stopped' } });
    assert.deepEqual(eventFromAdapter({ type: 'event', event: 'continued', body: { threadId: 1 } }), { kind: 'resumed' });
  });

  it('memory and invalidated are memoryChanged; module, loadedSource and process are programChanged; terminated and exited end', () => {
    for (const event of ['memory', 'invalidated'])
      assert.deepEqual(eventFromAdapter({ type: 'event', event, body: {} }), { kind: 'memoryChanged' });
    for (const event of ['module', 'loadedSource', 'process'])
      assert.deepEqual(eventFromAdapter({ type: 'event', event, body: {} }), { kind: 'programChanged' });
    for (const event of ['terminated', 'exited']) assert.deepEqual(eventFromAdapter({ type: 'event', event }), { kind: 'terminated' });
    assert.equal(eventFromAdapter({ type: 'event', event: 'output', body: { output: 'x' } }), undefined);
  });

  it('capabilities come from the initialize response and from capabilities events', () => {
    assert.deepEqual(
      eventFromAdapter({
        type: 'response',
        command: 'initialize',
        request_seq: 1,
        success: true,
        body: { supportsReadMemoryRequest: true },
      }),
      { kind: 'capabilities', capabilities: { supportsReadMemoryRequest: true }, initial: true },
    );
    assert.deepEqual(
      eventFromAdapter({ type: 'event', event: 'capabilities', body: { capabilities: { supportsFunctionBreakpoints: true } } }),
      { kind: 'capabilities', capabilities: { supportsFunctionBreakpoints: true }, initial: false },
    );
    assert.equal(eventFromAdapter({ type: 'response', command: 'initialize', request_seq: 1, success: false }), undefined);
  });

  it('only a failed resume response is a refused resume', () => {
    assert.deepEqual(eventFromAdapter({ type: 'response', command: 'stepOut', request_seq: 50, success: false, message: 'no' }), {
      kind: 'resumeRefused',
      requestSeq: 50,
    });
    assert.equal(eventFromAdapter({ type: 'response', command: 'stepOut', request_seq: 50, success: true }), undefined);
    assert.equal(eventFromAdapter({ type: 'response', command: 'evaluate', request_seq: 49, success: false }), undefined);
  });

  it('malformed messages mean nothing and never throw', () => {
    for (const junk of [
      undefined,
      null,
      'garbage',
      42,
      [],
      {},
      { type: 'event' },
      { type: 'response', command: 'next' },
      { type: 'request' },
    ]) {
      assert.equal(eventFromAdapter(junk), undefined, JSON.stringify(junk));
      assert.equal(eventFromClient(junk), undefined, JSON.stringify(junk));
    }
  });
});
