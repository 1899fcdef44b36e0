// `memory` and `invalidated` events while stopped make the live source read again. First what the
// real adapter does after writeMemory (cdt-gdb-adapter 1.7.0 sends neither event), then the live
// source fed by the real session's event stream, with the events the adapter never sends injected
// into that stream after real writes, so the re-read must see the written bytes.
import * as assert from 'node:assert/strict';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { eventFromAdapter } from '../../extension/dap/sessionEvents';
import { LiveHeapSource } from '../../extension/live/liveHeapSource';
import { LiveHeapReader } from '../../extension/dap/liveHeapReader';
import { type TargetSession, continueToNextStop, evaluateNumber, readBytes, startCortexSession } from './support/debugTargets';
import { setupOrSkip } from './support/skips';

const FREE_LISTS_OFFSET = 8;

async function writeBytes(session: TargetSession, address: bigint, bytes: Buffer): Promise<void> {
  await session.client.request('writeMemory', { memoryReference: `0x${address.toString(16)}`, data: bytes.toString('base64') });
}

function word(value: number): Buffer {
  const bytes = Buffer.alloc(4);
  bytes.writeUInt32LE(value);
  return bytes;
}

describe('e2e: memory and invalidated events on the real adapter', function () {
  let session: TargetSession;

  before(async function () {
    session = await setupOrSkip(this, () => startCortexSession('4k'));
    // A few operations in, so some free list above the largest order holds blocks.
    await continueToNextStop(session);
    await continueToNextStop(session);
  });
  after(async () => {
    await session?.close();
  });

  it('cdt-gdb-adapter sends no memory or invalidated event after writeMemory (hence the injected events below)', async () => {
    const seen: string[] = [];
    const stop = session.client.onEvent(e => seen.push(e.event));
    const struct = await evaluateNumber(session, '&HEAP');
    // Writing the bytes that are there already: a real write that changes nothing.
    await writeBytes(session, struct, await readBytes(session, struct, 64));
    await new Promise(resolve => setTimeout(resolve, 300));
    stop();
    assert.deepEqual(
      seen.filter(e => e === 'memory' || e === 'invalidated'),
      [],
      `events after writeMemory: ${seen.join(', ') || 'none'}`,
    );
  });

  it('a synthetic memory event after a real write re-reads while stopped; invalidated does too; neither reads while running', async () => {
    const reader = new LiveHeapReader(session.client, { kind: 'expression', expression: 'HEAP' }, { mode: 'full' });
    const logs: string[] = [];
    const source = new LiveHeapSource({ sessionId: 'e2e', sessionName: 'QEMU', heapName: 'HEAP', reader, log: m => logs.push(m) });
    // The real stream feeds the source, as the extension's DebugAdapterTracker does.
    const unsubscribe = session.client.onEvent(e => {
      const event = eventFromAdapter(e);
      if (event) source.handle(event);
    });
    try {
      await continueToNextStop(session);
      await source.idle();
      assert.equal(source.status().state, 'ok', source.status().message);
      assert.equal(source.history().total, 1);
      const before = source.current().view;
      const list = before.freeLists.find(l => l.entries.length > 0)!;
      assert.ok(list, 'some free list holds a block');
      const head = (await evaluateNumber(session, '&HEAP')) + BigInt(FREE_LISTS_OFFSET + 4 * list.order);
      const original = await readBytes(session, head, 4);

      // Empty that list's head on the target, then say so the way an adapter would.
      await writeBytes(session, head, word(0));
      const sentBefore = session.client.sent.length;
      session.client.injectEvent('memory', {
        memoryReference: `0x${head.toString(16)}`,
        offset: 0,
        count: 4,
      } satisfies DebugProtocol.MemoryEvent['body']);
      await source.idle();
      assert.ok(
        session.client.sent.slice(sentBefore).some(r => r.command === 'readMemory'),
        'the memory event made it read',
      );
      assert.equal(source.history().total, 2);
      assert.match(source.history().entry(1).text, /memory changed/);
      assert.equal(source.current().view.freeLists[list.order]!.entries.length, 0, 'the re-read sees the written head');

      await writeBytes(session, head, original);
      session.client.injectEvent('invalidated', {
        areas: ['all'],
        threadId: session.lastStop.body.threadId ?? 1,
      } satisfies DebugProtocol.InvalidatedEvent['body']);
      await source.idle();
      assert.equal(source.history().total, 3);
      assert.deepEqual(
        source.current().view.freeLists[list.order]!.entries.map(e => e.offset),
        list.entries.map(e => e.offset),
        'the restored list is read back',
      );

      // Running: a memory event must not read (no reads while the target runs).
      session.client.injectEvent('continued', { threadId: 1, allThreadsContinued: true });
      const sentRunning = session.client.sent.length;
      session.client.injectEvent('memory', { memoryReference: `0x${head.toString(16)}`, offset: 0, count: 4 });
      await source.idle();
      assert.equal(session.client.sent.length, sentRunning, 'no request while running');
      assert.equal(source.status().state, 'stale');
    } finally {
      unsubscribe();
      source.dispose();
    }
  });
});
