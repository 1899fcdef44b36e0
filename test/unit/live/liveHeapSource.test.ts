// The live heap source on a fake gdb adapter: stops refresh it, the history says what changed
// between stops (as core/diff classifies it), a resume makes it stale without reads, failures
// become notices (never throws), the end keeps the last snapshot, and simulation never writes.
import * as assert from 'node:assert/strict';
import type { SourceChange } from '../../../extension/panel/panelSource';
import { CHANGE_KINDS } from '../../../core/protocol/viewModel';
import { decodeHeap } from '../../../core/decoder/decode';
import { LiveHeapSource, READING_TOLD_AFTER_MS } from '../../../extension/live/liveHeapSource';
import { simulateOnSource } from '../../../extension/live/liveSimulation';
import { LiveHeapReader } from '../../../extension/dap/liveHeapReader';
import { makeFixture } from '../dap/heapFixture';
import { adapterSends, clientSends, continued, liveFixture, stopped, terminated } from './liveFixture';

function changesOf(fixture: ReturnType<typeof liveFixture>, step: number): string[] {
  return fixture.source
    .history()
    .entry(step)
    .changes.map(c => `${c.kind} ${c.offset}/${c.order}`);
}

describe('live heap source', () => {
  it('reads at each stop and records what changed since the previous stop', async () => {
    const f = liveFixture();
    adapterSends(f.source, stopped());
    await f.source.idle();
    assert.equal(f.source.history().total, 1);
    assert.equal(f.source.status().state, 'ok');
    assert.deepEqual(
      f.source.current().view.freeLists.map(l => l.entries.map(e => e.offset)),
      f.heap.freeLists(),
    );
    assert.match(f.source.history().entry(0).detail, /first snapshot: 64 KiB of 64 KiB free/);

    const a = f.heap.allocate(100, 8);
    assert.ok(a.ok);
    f.remap();
    adapterSends(f.source, continued);
    adapterSends(f.source, stopped());
    await f.source.idle();
    assert.equal(f.source.history().total, 2);
    const changes = changesOf(f, 1);
    // The model split the top block down to a 128 B block (order 2) and allocated it.
    assert.ok(changes.includes(`new 0/${a.order}`), changes.join(', '));
    assert.ok(
      changes.some(c => c.startsWith('split 0/')),
      changes.join(', '),
    );
    assert.match(f.source.history().entry(1).detail, /allocated 1 \(128 B\)/);

    f.heap.deallocate(a.offset, 100, 8);
    f.remap();
    adapterSends(f.source, continued);
    adapterSends(f.source, stopped());
    await f.source.idle();
    assert.ok(changesOf(f, 2).includes(`freed 0/${a.order}`));
    assert.ok(changesOf(f, 2).some(c => c.startsWith('merged 0/')));
    assert.equal(f.source.history().entry(2).op, 'snapshot');
    for (const c of f.source.history().entry(2).changes) assert.ok(CHANGE_KINDS.includes(c.kind));
  });

  it('steps back through kept snapshots and compares any two', async () => {
    const f = liveFixture();
    for (let i = 0; i < 3; i++) {
      if (i > 0) {
        assert.ok(f.heap.allocate(64 * i, 8).ok);
        f.remap();
      }
      adapterSends(f.source, stopped());
      await f.source.idle();
    }
    const before = f.source.viewAt(0)!;
    assert.ok(f.source.stepTo(0));
    assert.equal(f.source.history().current, 0);
    assert.equal(f.source.current().view, before);
    assert.match(f.source.describe().detail, /showing step 0 of 2/);
    assert.equal(f.source.stepTo(7), false);
    // A new stop shows the newest snapshot again.
    adapterSends(f.source, stopped());
    await f.source.idle();
    assert.equal(f.source.history().current, 3);
  });

  it('a resume marks the view stale, keeps the snapshot and reads nothing while running', async () => {
    const f = liveFixture();
    const changes: SourceChange[] = [];
    f.source.onDidChange(c => changes.push(c));
    adapterSends(f.source, stopped());
    await f.source.idle();
    const view = f.source.current().view;
    const requests = f.session.requests.length;
    f.session.running = true;
    adapterSends(f.source, continued);
    assert.equal(f.source.status().state, 'stale');
    assert.equal(f.source.current().view, view);
    assert.match(f.source.describe().detail, /STALE — target running, showing stop 1/);
    assert.equal(changes.at(-1)?.notice?.title, 'Target running');
    await f.source.refresh();
    await f.source.idle();
    assert.equal(f.session.requests.length, requests, 'no request while running');
  });

  it('a resume during a read cancels it: nothing half-read reaches the history', async () => {
    const f = liveFixture();
    f.session.delay = 5;
    adapterSends(f.source, stopped());
    await new Promise(resolve => setTimeout(resolve, 12));
    adapterSends(f.source, continued);
    await f.source.idle();
    assert.equal(f.source.latestRead, undefined);
    assert.equal(f.source.history().entry(0).op, 'heap', 'only the placeholder step');
    assert.equal(f.source.status().state, 'waiting');
  });

  it('a continue or step request marks the view stale at once (adapters need not send continued); a refused one does not', async () => {
    const f = liveFixture();
    const notices: string[] = [];
    f.source.onDidChange(c => {
      if (c.notice) notices.push(c.notice.title);
    });
    adapterSends(f.source, stopped());
    await f.source.idle();
    const requests = f.session.requests.length;
    clientSends(f.source, { type: 'request', seq: 41, command: 'evaluate', arguments: {} });
    assert.equal(f.source.status().state, 'ok', 'an evaluate does not resume the target');
    clientSends(f.source, { type: 'request', seq: 42, command: 'next', arguments: { threadId: 1 } });
    assert.equal(f.source.status().state, 'stale');
    // The adapter's own continued event after it changes nothing and says nothing twice.
    adapterSends(f.source, continued);
    assert.deepEqual(notices, ['Target running']);
    adapterSends(f.source, { type: 'response', request_seq: 42, command: 'next', success: true });
    assert.equal(f.source.status().state, 'stale');
    assert.equal(f.session.requests.length, requests, 'no read while running');
    adapterSends(f.source, stopped());
    await f.source.idle();
    assert.equal(f.source.status().state, 'ok');
    assert.equal(f.source.history().total, 2);

    // "Cannot step here": the target never ran, so the view is current again, with no read.
    const before = f.session.requests.length;
    clientSends(f.source, { type: 'request', seq: 50, command: 'stepOut', arguments: { threadId: 1 } });
    assert.equal(f.source.status().state, 'stale');
    adapterSends(f.source, { type: 'response', request_seq: 49, command: 'evaluate', success: false });
    assert.equal(f.source.status().state, 'stale', 'another request failing changes nothing');
    adapterSends(f.source, {
      type: 'response',
      request_seq: 50,
      command: 'stepOut',
      success: false,
      message: 'cannot step out of the outermost frame',
    });
    assert.equal(f.source.status().state, 'ok');
    assert.equal(f.session.requests.length, before);
    assert.equal(f.source.history().total, 2);
  });

  it('a memory event during the read of a new stop keeps that stop as its own history step', async () => {
    const f = liveFixture();
    adapterSends(f.source, stopped());
    await f.source.idle();
    adapterSends(f.source, continued);
    f.session.delay = 5;
    adapterSends(f.source, stopped());
    // The memory event overtakes the stop's read (it restarts it), before anything was read.
    adapterSends(f.source, { type: 'event', event: 'memory', body: { memoryReference: '0x20001000', offset: 0, count: 4 } });
    await f.source.idle();
    assert.equal(f.source.history().total, 2, 'the second stop is a step even though the heap did not change');
    assert.match(f.source.history().entry(1).text, /^stop 2: function breakpoint/);
  });

  it('errors become notices with the reason: bad expression, busy target, disconnect', async () => {
    const f = liveFixture();
    const logs: string[] = [];
    const source = new LiveHeapSource({
      sessionId: 's',
      sessionName: 'fw',
      heapName: 'HEAP2',
      reader: new LiveHeapReader(f.session, { kind: 'expression', expression: 'HEAP2' }),
      log: m => logs.push(m),
    });
    const notices: string[] = [];
    source.onDidChange(c => {
      if (c.notice) notices.push(`${c.notice.level}: ${c.notice.title}: ${c.notice.message}`);
    });
    adapterSends(source, stopped());
    await source.idle();
    assert.equal(source.status().state, 'error');
    assert.match(notices.at(-1)!, /^error: HEAP2: Heap expression does not evaluate: The heap expression "HEAP2" does not evaluate/);
    assert.ok(
      logs.some(l => l.includes('does not evaluate')),
      'the output channel has it too',
    );
    assert.equal(source.current().view.blocks.count, 0, 'an empty view, not a made-up heap');

    const g = liveFixture();
    g.session.running = true;
    adapterSends(g.source, stopped());
    await g.source.idle();
    assert.equal(g.source.status().state, 'waiting');
    assert.match(g.source.status().message!, /running/);

    const h = liveFixture();
    h.session.onRequest = request => {
      if (request.command === 'readMemory') h.session.gone = true;
    };
    adapterSends(h.source, stopped());
    await h.source.idle();
    assert.equal(h.source.status().state, 'ended');
    assert.match(h.source.status().message!, /debug session ended while the heap was being read/);
  });

  it('a busy adapter is a warning, not a running target: a refresh reads once it is idle', async () => {
    const f = liveFixture();
    const notices: string[] = [];
    f.source.onDidChange(c => {
      if (c.notice) notices.push(`${c.notice.level}: ${c.notice.title}`);
    });
    f.session.busy = 'Target is busy';
    adapterSends(f.source, stopped());
    await f.source.idle();
    assert.deepEqual(notices, ['warning: HEAP: Debug adapter busy']);
    assert.equal(f.source.status().state, 'error');
    assert.match(f.source.status().message!, /busy.*Refresh Live Heap/);
    f.session.busy = undefined;
    await f.source.refresh();
    assert.equal(f.source.status().state, 'ok', 'read at once, not refused as "target running"');
    assert.equal(f.source.history().total, 1);
  });

  it('chunks that cannot be read are a panel notice too, one per read (merged with findings), not only a log line', async () => {
    const f = liveFixture();
    const notices: SourceChange['notice'][] = [];
    f.source.onDidChange(c => {
      if (c.notice !== undefined) notices.push(c.notice);
    });
    f.session.failing.push({ start: 0x2000_1000n + 8192n, end: 0x2000_1000n + 12288n });
    adapterSends(f.source, stopped());
    await f.source.idle();
    const notice = notices.at(-1);
    assert.equal(notice?.level, 'warning');
    assert.equal(notice?.title, 'HEAP: part of the heap could not be read');
    assert.match(
      notice!.message,
      /1 of 17 reads failed; those bytes are shown as unknown, never as free\. First failure: 0x20003000: .*Unable to read memory.*maxChunkBytes/,
    );
    assert.equal(notices.filter(n => n?.title.includes('could not be read')).length, 1, 'one notice for the read');
    const stop = async () => {
      adapterSends(f.source, continued);
      adapterSends(f.source, stopped());
      await f.source.idle();
    };
    f.session.failing.length = 0;
    await stop();
    assert.equal(notices.at(-1), null, 'a clean read clears it');
    // With integrity findings as well, the findings lead and the read problem follows in one notice.
    for (let i = 0; i < 6; i++) f.heap.allocate(32, 8);
    f.heap.deallocate(0, 32, 8);
    f.remap();
    const head = f.heap.structFields().freeLists[0]!;
    const region = f.session.regions[1]!;
    new DataView(region.bytes.buffer, region.bytes.byteOffset).setUint32(Number(head - 0x2000_1000n), Number(head), true);
    f.session.failing.push({ start: 0x2000_1000n + 8192n, end: 0x2000_1000n + 12288n });
    await stop();
    const merged = notices.at(-1)!;
    assert.equal(merged.level, 'error');
    assert.match(merged.title, /integrity finding/);
    assert.match(merged.message, /Also, part of the heap could not be read: 1 of 17 reads failed/);
  });

  it('an auto-attached heap absent from the session is reported once, as information, then retried quietly', async () => {
    const f = liveFixture();
    const logs: string[] = [];
    const source = new LiveHeapSource({
      sessionId: 's',
      sessionName: 'Rust prog',
      heapName: 'HEAP2',
      reader: new LiveHeapReader(f.session, { kind: 'expression', expression: 'HEAP2' }),
      log: m => logs.push(m),
      quietWhenAbsent: true,
    });
    const notices: string[] = [];
    source.onDidChange(c => {
      if (c.notice) notices.push(`${c.notice.level}: ${c.notice.title}: ${c.notice.message}`);
    });
    for (let i = 0; i < 4; i++) {
      adapterSends(source, stopped());
      await source.idle();
      adapterSends(source, continued);
    }
    adapterSends(source, stopped());
    await source.idle();
    assert.equal(notices.filter(n => !n.includes('Target running')).length, 1, notices.join('\n'));
    assert.match(
      notices[0]!,
      /^info: HEAP2: not found in "Rust prog": The heap expression "HEAP2" does not evaluate.*"debugType", "program" or "sessionName"/,
    );
    assert.equal(logs.filter(l => l.includes('does not evaluate')).length, 1, 'one log line, not one per stop');
    assert.equal(source.status().state, 'waiting', 'not an error');
    assert.equal(
      f.session.requests.filter(r => r.command === 'evaluate' && r.args.expression === '&(HEAP2)').length,
      5,
      'still retried at each stop',
    );
  });

  it('a refresh or memory event at the same stop that finds nothing changed adds no step; a change or a new stop does', async () => {
    const f = liveFixture();
    adapterSends(f.source, stopped());
    await f.source.idle();
    await f.source.refresh();
    adapterSends(f.source, { type: 'event', event: 'memory', body: { memoryReference: '0x20001000', offset: 0, count: 4 } });
    await f.source.idle();
    assert.equal(f.source.history().total, 1, 'nothing changed: still one step');
    assert.equal(f.source.status().state, 'ok');
    assert.ok(
      f.logs.some(l => /stop 1: refresh: nothing changed since the last read/.test(l)),
      f.logs.join('\n'),
    );

    assert.ok(f.heap.allocate(200, 8).ok);
    f.remap();
    await f.source.refresh();
    assert.equal(f.source.history().total, 2, 'the refresh saw the change');
    assert.match(f.source.history().entry(1).detail, /allocated 1/);

    // Stepped back, an unchanged refresh shows the latest step again.
    assert.ok(f.source.stepTo(0));
    await f.source.refresh();
    assert.deepEqual([f.source.history().total, f.source.history().current], [2, 1]);

    // A new stop is a new step even when the heap is the same.
    adapterSends(f.source, continued);
    adapterSends(f.source, stopped());
    await f.source.idle();
    assert.equal(f.source.history().total, 3);
  });

  for (const mode of ['full', 'sparse'] as const)
    it(`a new stop that changed nothing (${mode} read) is a new step showing the view decoded before; a change is decoded anew`, async () => {
      const f = liveFixture(64 * 1024, mode);
      assert.ok(f.heap.allocate(300, 8).ok);
      f.remap();
      adapterSends(f.source, stopped());
      await f.source.idle();
      const first = f.source.viewAt(0)!;
      const firstRead = f.source.latestRead!.read;

      adapterSends(f.source, continued);
      adapterSends(f.source, stopped());
      await f.source.idle();
      assert.equal(f.source.history().total, 2, 'a new stop is a new step');
      assert.equal(f.source.viewAt(1), first, 'the same bytes: the view decoded at stop 1');
      assert.match(f.source.history().entry(1).detail, /^no change \(free /);
      assert.deepEqual(f.source.history().entry(1).changes, []);
      assert.match(f.source.history().entry(1).text, /^stop 2/);
      const status = f.source.status();
      assert.deepEqual([status.state, status.stops, status.findings], ['ok', 2, 0]);
      assert.match(f.source.describe().detail, /stop 2/);
      // The read of this stop is what the source keeps (statistics, Save Heap Snapshot).
      assert.notEqual(f.source.latestRead!.read, firstRead);
      assert.equal(f.source.capturedSteps('all').find(c => c.step === 1)?.capture.snapshot, f.source.latestRead!.snapshot);
      assert.equal(f.source.latestRead!.view, first);

      assert.ok(f.heap.allocate(1000, 8).ok);
      f.remap();
      adapterSends(f.source, continued);
      adapterSends(f.source, stopped());
      await f.source.idle();
      const third = f.source.viewAt(2)!;
      assert.notEqual(third, first);
      assert.match(f.source.history().entry(2).detail, /allocated 1/);
      const decoded = decodeHeap(f.source.latestRead!.snapshot);
      assert.deepEqual([third.blocks.count, third.stats], [decoded.blocks.count, decoded.stats]);
      assert.deepEqual(
        third.freeLists.map(l => l.entries.map(e => e.offset)),
        f.heap.freeLists(),
      );
    });

  it('a read that ends soon is told once, with its result; one still running a moment later is shown as reading first', async () => {
    const f = liveFixture();
    const details: string[] = [];
    f.source.onDidChange(change => details.push(change.state.source.detail));
    adapterSends(f.source, stopped());
    assert.equal(f.source.status().state, 'reading', 'the status says reading at once');
    await f.source.idle();
    assert.equal(details.length, 1, details.join('\n'));
    assert.match(details[0]!, /^Live · stop 1 · /);

    details.length = 0;
    f.session.delay = 2 * READING_TOLD_AFTER_MS; // each request: the read takes longer than that
    adapterSends(f.source, continued);
    adapterSends(f.source, stopped());
    await f.source.idle();
    const told = details.filter(d => !/STALE/.test(d));
    assert.deepEqual(
      told.map(d => /^Live · (reading at stop|stop) \d/.exec(d)?.[1]),
      ['reading at stop', 'stop'],
      details.join('\n'),
    );
    assert.equal(f.source.status().state, 'ok');
  });

  it('a module event or a manual refresh finds the static heap again; plain stops do not evaluate', async () => {
    const f = liveFixture();
    const evaluates = () => f.session.requests.filter(r => r.command === 'evaluate').length;
    adapterSends(f.source, stopped());
    await f.source.idle();
    const located = evaluates();
    adapterSends(f.source, continued);
    adapterSends(f.source, stopped());
    await f.source.idle();
    assert.equal(evaluates(), located, 'a static is not looked up again at a stop');
    adapterSends(f.source, { type: 'event', event: 'module', body: { reason: 'changed', module: { id: 1, name: 'fw.elf' } } });
    adapterSends(f.source, continued);
    adapterSends(f.source, stopped());
    await f.source.idle();
    assert.equal(evaluates(), 2 * located, 'located again after the module changed');
    await f.source.refresh();
    assert.equal(evaluates(), 3 * located, 'and on a manual refresh');
  });

  it('a heap struct of zeros (not set up yet) is a warning once, not an empty heap; a good read resets it', async () => {
    const f = liveFixture();
    const struct = f.session.regions[0]!;
    const saved = struct.bytes.slice();
    const notices: string[] = [];
    f.source.onDidChange(c => {
      if (c.notice) notices.push(`${c.notice.level}: ${c.notice.title}`);
    });
    const stop = async () => {
      adapterSends(f.source, continued);
      adapterSends(f.source, stopped());
      await f.source.idle();
    };
    struct.bytes.fill(0);
    await stop();
    await stop();
    assert.deepEqual(
      notices.filter(n => !n.includes('Target running')),
      ['warning: HEAP: Heap struct reads as zeros'],
    );
    assert.equal(f.source.status().state, 'error');
    assert.match(f.source.status().message!, /not initialised yet/);
    assert.equal(f.source.latestRead, undefined, 'no snapshot of zeros');
    struct.bytes.set(saved);
    await stop();
    assert.equal(f.source.status().state, 'ok');
    struct.bytes.fill(0);
    await stop();
    assert.equal(notices.filter(n => n.includes('zeros')).length, 2, 'said again after a good read');
  });

  it('a setting the target contradicts (byte order) is a panel notice and a log line at the read that found it, not at every stop', async () => {
    const { heap, session } = makeFixture('c', 64 * 1024, 'big');
    const logs: string[] = [];
    const source = new LiveHeapSource({
      sessionId: 's',
      sessionName: 'fw',
      heapName: 'HEAP',
      reader: new LiveHeapReader(session, { kind: 'expression', expression: 'HEAP' }),
      log: m => logs.push(m),
    });
    const notices: SourceChange['notice'][] = [];
    source.onDidChange(c => {
      if (c.notice !== undefined) notices.push(c.notice);
    });
    adapterSends(source, stopped());
    await source.idle();
    assert.equal(notices.at(-1)?.level, 'warning');
    assert.equal(notices.at(-1)?.title, 'HEAP: check the heap settings');
    assert.match(
      notices.at(-1)!.message,
      /The target is big-endian .* but buddyHeap\.live\.endianness says little; reading it as big-endian/,
    );
    assert.equal(logs.filter(l => /The target is big-endian/.test(l)).length, 1);
    assert.deepEqual(
      source.current().view.freeLists.map(l => l.entries.map(e => e.offset)),
      heap.freeLists(),
    );
    adapterSends(source, continued);
    adapterSends(source, stopped());
    await source.idle();
    assert.equal(notices.at(-1), null, 'the next stop has nothing new to say');
    assert.equal(logs.filter(l => /The target is big-endian/.test(l)).length, 1);
  });

  describe('the frame the user selects', () => {
    /** A heap that is a local of frame 1001 (the caller of the top frame 1000 a stop reads in). */
    function callerLocal() {
      const f = liveFixture();
      f.session.struct = { ...f.session.struct!, local: true, frame: 1001 };
      const evaluatesIn = () => f.session.requests.filter(r => r.command === 'evaluate').map(r => r.args.frameId);
      return { ...f, evaluatesIn };
    }

    it('a heap local to a caller is read once its frame is selected; later reads at that stop stay there; a new stop goes back to the top frame', async () => {
      const f = callerLocal();
      adapterSends(f.source, stopped());
      await f.source.idle();
      assert.equal(f.source.status().state, 'error', 'not in the top frame');
      assert.ok(f.evaluatesIn().every(id => id === 1000));
      f.session.requests.length = 0;
      await f.source.selectFrame(1001);
      assert.equal(f.source.status().state, 'ok');
      assert.deepEqual(
        f.source.current().view.freeLists.map(l => l.entries.map(e => e.offset)),
        f.heap.freeLists(),
      );
      assert.ok(f.evaluatesIn().length > 0 && f.evaluatesIn().every(id => id === 1001));
      assert.ok(
        f.logs.some(l => l.includes('stop 1: frame selected')),
        f.logs.join('\n'),
      );
      // The same frame again: nothing to do.
      f.session.requests.length = 0;
      await f.source.selectFrame(1001);
      assert.equal(f.session.requests.length, 0);
      // A memory event at this stop reads in the selected frame.
      adapterSends(f.source, { type: 'event', event: 'memory', body: { memoryReference: '0x20001000', offset: 0, count: 4 } });
      await f.source.idle();
      assert.deepEqual([...new Set(f.evaluatesIn())], [1001]);
      // A fresh stop: the stopped thread's top frame (VS Code has not moved the active item yet).
      f.session.requests.length = 0;
      adapterSends(f.source, continued);
      adapterSends(f.source, stopped());
      await f.source.idle();
      assert.ok(f.session.requests.some(r => r.command === 'stackTrace'));
      assert.deepEqual([...new Set(f.evaluatesIn())], [1000]);
    });

    it("a selection during the stop's read waits for it, and adds no read when that read used the frame", async () => {
      const f = callerLocal();
      f.session.delay = 2;
      adapterSends(f.source, stopped());
      void f.source.selectFrame(1000);
      await f.source.idle();
      assert.equal(f.session.requests.filter(r => r.command === 'stackTrace').length, 1);
      assert.ok(
        f.evaluatesIn().every(id => id === 1000),
        'one read, in the top frame',
      );
      adapterSends(f.source, continued);
      adapterSends(f.source, stopped());
      void f.source.selectFrame(1001);
      await f.source.idle();
      assert.equal(f.source.status().state, 'ok', 'read again in 1001 once the top-frame read settled');
    });

    it('a static heap is not read again for another frame; nor is anything read while running', async () => {
      const f = liveFixture();
      adapterSends(f.source, stopped());
      await f.source.idle();
      const requests = f.session.requests.length;
      await f.source.selectFrame(1001);
      assert.equal(f.session.requests.length, requests, 'located once: the frame does not matter');
      const g = callerLocal();
      adapterSends(g.source, stopped());
      await g.source.idle();
      adapterSends(g.source, continued);
      const before = g.session.requests.length;
      await g.source.selectFrame(1001);
      assert.equal(g.session.requests.length, before);
    });
  });

  it('a non-heap expression says so plainly', async () => {
    const f = liveFixture();
    f.session.others.push({ expression: 'op_count', address: 0x2000_0100n, typeName: 'uint32_t' });
    const source = new LiveHeapSource({
      sessionId: 's',
      sessionName: 'fw',
      heapName: 'op_count',
      reader: new LiveHeapReader(f.session, { kind: 'expression', expression: 'op_count' }),
      log: () => undefined,
    });
    adapterSends(source, stopped());
    await source.idle();
    assert.equal(source.status().state, 'error');
    assert.match(source.status().message!, /"op_count" \(type uint32_t\) is not a buddyalloc Heap<N>/);
  });

  it('terminated ends the source: the last snapshot stays and later events are ignored', async () => {
    const f = liveFixture();
    adapterSends(f.source, stopped());
    await f.source.idle();
    adapterSends(f.source, terminated);
    assert.equal(f.source.status().state, 'ended');
    assert.equal(f.source.history().total, 1);
    const requests = f.session.requests.length;
    adapterSends(f.source, stopped());
    await f.source.idle();
    assert.equal(f.session.requests.length, requests);
    assert.match(f.source.describe().detail, /session ended/);
  });

  it('findings of a corrupt heap reach the notice and the status', async () => {
    const f = liveFixture();
    for (let i = 0; i < 6; i++) f.heap.allocate(32, 8);
    f.heap.deallocate(0, 32, 8);
    f.heap.deallocate(64, 32, 8);
    f.remap();
    const head = f.heap.structFields().freeLists[0]!;
    // The free block's next word now points back at itself: a cycle (DuplicateInList) on list 0.
    const region = f.session.regions[1]!;
    new DataView(region.bytes.buffer, region.bytes.byteOffset).setUint32(Number(head - 0x2000_1000n), Number(head), true);
    let notice: SourceChange['notice'];
    f.source.onDidChange(c => {
      if (c.notice !== undefined) notice = c.notice;
    });
    adapterSends(f.source, stopped());
    await f.source.idle();
    assert.ok(f.source.status().findings > 0);
    assert.equal(notice?.level, 'error');
    assert.match(notice!.title, /integrity finding/);
  });

  it('simulates an allocation on a copy of the snapshot, as the model would, without writing', async () => {
    const f = liveFixture();
    f.heap.allocate(100, 8);
    f.heap.allocate(40, 8);
    f.remap();
    adapterSends(f.source, stopped());
    await f.source.idle();
    const expected = f.heap.clone().allocate(200, 16);
    assert.ok(expected.ok);
    const result = simulateOnSource(f.source, 200n, 16n);
    assert.ok(result.ok, result.notice.message);
    assert.equal(result.offset, expected.offset);
    assert.equal(result.order, expected.order);
    assert.match(result.notice.message, /alloc\(200, 16\) would succeed .*block \(order 3\) at 0x2000/);
    assert.ok(!f.session.requests.some(r => r.command === 'writeMemory'));
    // The snapshot itself is untouched: a second simulation gets the same block.
    assert.equal((simulateOnSource(f.source, 200n, 16n) as { offset: number }).offset, expected.offset);
    const tooBig = simulateOnSource(f.source, 1n << 20n, 8n);
    assert.equal(tooBig.ok, false);
    assert.match(tooBig.notice.message, /would fail/);
  });

  it('finds the block holding an address', async () => {
    const f = liveFixture();
    const a = f.heap.allocate(100, 8);
    assert.ok(a.ok);
    f.remap();
    adapterSends(f.source, stopped());
    await f.source.idle();
    assert.deepEqual(f.source.blockAt(0x2000_1000n + BigInt(a.offset) + 5n), { offset: a.offset, order: a.order });
    assert.equal(f.source.blockAt(0x1000n), undefined);
  });
});
