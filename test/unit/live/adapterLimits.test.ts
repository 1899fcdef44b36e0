// Live heap sources on adapters that cannot read, or not now: an adapter without readMemory gets no
// request and the user hears why once per debug session (not per heap, not per stop); the
// "target is running" answers of lldb-dap and Cortex-Debug make the view stale, never unreadable.
import * as assert from 'node:assert/strict';
import { LiveHeapSource } from '../../../extension/live/liveHeapSource';
import { AdapterCapabilities } from '../../../extension/dap/adapterCapabilities';
import { LiveHeapReader } from '../../../extension/dap/liveHeapReader';
import type { SourceChange } from '../../../extension/panel/panelSource';
import type { FakeGdbSession } from '../dap/fakeGdbSession';
import { adapterSends, continued, liveFixture, stopped } from './liveFixture';

/** What the lldb-dap 19 tracker records: an initialize answer without supportsReadMemoryRequest. */
const lldb19 = () =>
  AdapterCapabilities.fromInitialize('lldb-dap', { __lldb: { version: 'lldb version 19.1.7' }, supportsConfigurationDoneRequest: true });

function sourceOn(session: FakeGdbSession, heapName: string, logs: string[], firstInSession?: (what: string) => boolean) {
  const notices: NonNullable<SourceChange['notice']>[] = [];
  const source = new LiveHeapSource({
    sessionId: 's1',
    sessionName: 'prog (lldb-dap)',
    heapName,
    reader: new LiveHeapReader(session, { kind: 'expression', expression: 'HEAP' }),
    log: m => logs.push(m),
    ...(firstInSession ? { firstInSession } : {}),
  });
  source.onDidChange(change => {
    if (change.notice) notices.push(change.notice);
  });
  return { source, notices };
}

async function stopAll(sources: readonly LiveHeapSource[], stops: number): Promise<void> {
  for (let i = 0; i < stops; i++) {
    for (const source of sources) {
      if (i > 0) adapterSends(source, continued);
      adapterSends(source, stopped());
    }
    await Promise.all(sources.map(s => s.idle()));
  }
}

describe('live heap source on limited adapters', () => {
  it('says once per session what the adapter lacks, and never sends it a request', async () => {
    const f = liveFixture();
    f.session.capabilities = lldb19();
    const said = new Set<string>();
    const firstInSession = (what: string) => !said.has(what) && said.add(what) !== undefined;
    const logs: string[] = [];
    const a = sourceOn(f.session, 'HEAP', logs, firstInSession);
    const b = sourceOn(f.session, 'boot heap', logs, firstInSession);
    await stopAll([a.source, b.source], 3);

    assert.deepEqual(f.session.requests, [], 'no request of any kind reached the adapter');
    const all = [...a.notices, ...b.notices];
    assert.equal(all.length, 1, JSON.stringify(all));
    assert.equal(all[0]!.level, 'warning');
    assert.equal(all[0]!.title, 'HEAP: Heap cannot be read with this debug adapter');
    assert.match(
      all[0]!.message,
      /^lldb-dap 19\.1\.7 does not support reading memory \(no supportsReadMemoryRequest.*lldb-dap 20 and newer/,
    );
    assert.equal(logs.filter(l => l.includes('does not support reading memory')).length, 1, logs.join('\n'));
    for (const { source } of [a, b]) {
      assert.equal(source.status().state, 'error');
      assert.match(source.status().message ?? '', /does not support reading memory/);
      assert.equal(source.status().stops, 3);
    }
  });

  it('without a session to share with, each heap says it once', async () => {
    const f = liveFixture();
    f.session.capabilities = lldb19();
    const logs: string[] = [];
    const a = sourceOn(f.session, 'HEAP', logs);
    await stopAll([a.source], 4);
    assert.equal(a.notices.length, 1);
    assert.deepEqual(f.session.requests, []);
  });

  for (const [what, command, answer] of [
    ['lldb-dap readMemory', 'readMemory', 'notStopped'],
    ['lldb-dap stackTrace', 'stackTrace', 'invalid thread'],
    ['lldb-dap evaluate', 'evaluate', "can't evaluate expressions when the process is running."],
    ['Cortex-Debug', 'evaluate', 'Busy'],
    ['Cortex-Debug readMemory', 'readMemory', 'Busy'],
  ] as const) {
    it(`${what} answering "${answer}" makes the view stale, not unreadable`, async () => {
      const f = liveFixture();
      adapterSends(f.source, stopped());
      await f.source.idle();
      assert.equal(f.source.status().state, 'ok');
      const notices: NonNullable<SourceChange['notice']>[] = [];
      f.source.onDidChange(change => {
        if (change.notice) notices.push(change.notice);
      });
      // The target runs again without a continued event reaching us (another client resumed it).
      f.session.onRequest = request => {
        if (request.command === command) throw new Error(answer);
      };
      await f.source.refresh();
      assert.equal(f.source.status().state, 'stale', JSON.stringify(f.source.status()));
      assert.equal(notices.length, 1);
      assert.equal(notices[0]!.level, 'info');
      assert.equal(notices[0]!.title, 'HEAP: Target running');
      assert.equal(f.source.history().total, 1, 'no snapshot of unknown bytes was added');
    });
  }
});
