// The native Rust program under lldb-dap, read the way the extension reads at a stop: the
// adapter's messages feed the session's capabilities and a LiveHeapSource (as the extension's
// DebugAdapterTracker does), whose reader asks the adapter. lldb-dap 19 advertises no readMemory
// and aborts on it: the source must send it nothing, say why once, and leave the session alive.
// lldb-dap 22 reads: the heap must equal the program's own OP_LOG replayed on the model.
import * as assert from 'node:assert/strict';
import type { WireNotice } from '../../core/protocol/viewModel';
import { LiveHeapSource } from '../../extension/live/liveHeapSource';
import { eventFromAdapter } from '../../extension/dap/sessionEvents';
import { LiveHeapReader } from '../../extension/dap/liveHeapReader';
import { HEAP_SCRIPT } from './targets/script';
import { RUST_HEAP } from './support/buildTargets';
import type { DapClient } from './support/dapClient';
import { type TargetSession, continueToNextStop, evaluateNumber, targetMemory } from './support/debugTargets';
import { assertViewMatchesModel } from './support/heapModel';
import { rustProgramModel } from './support/rustOpLog';
import { type LldbDap, type LldbSession, adapterAlive, lldbDap19, lldbDap22, startLldbSession } from './support/lldbDap';
import { setupOrSkip } from './support/skips';

const EXPRESSION = 'prog::ALLOCATOR.inner.value';

interface Product {
  readonly source: LiveHeapSource;
  readonly notices: WireNotice[];
  readonly logs: string[];
}

/** A session with an auto-attached heap source wired as LiveDebugging wires one (firstInSession included). */
async function startWithSource(adapter: () => LldbDap): Promise<{ session: LldbSession; product: Product }> {
  const notices: WireNotice[] = [];
  const logs: string[] = [];
  const said = new Set<string>();
  let source: LiveHeapSource | undefined;
  const session = await startLldbSession(adapter(), (client: DapClient) => {
    const attached = new LiveHeapSource({
      sessionId: 'lldb',
      sessionName: 'prog (lldb-dap)',
      heapName: 'ALLOCATOR',
      reader: new LiveHeapReader(client, { kind: 'expression', expression: EXPRESSION }),
      log: message => logs.push(message),
      quietWhenAbsent: true,
      firstInSession: what => !said.has(what) && said.add(what).size > 0,
    });
    attached.onDidChange(change => {
      if (change.notice) notices.push(change.notice);
    });
    client.onEvent(message => {
      const event = eventFromAdapter(message);
      if (event) attached.handle(event);
    });
    source = attached;
  });
  return { session, product: { source: source!, notices, logs } };
}

async function threadCount(session: TargetSession): Promise<number> {
  return (await session.client.request('threads', undefined)).threads.length;
}

describe('e2e: lldb-dap 19 (no readMemory) on the native Rust program', function () {
  let session: LldbSession | undefined;
  let product: Product;

  before(async function () {
    ({ session, product } = await setupOrSkip(this, () => startWithSource(lldbDap19)));
  });
  after(async () => {
    await session?.close();
  });

  it('sends no readMemory, says once why the heap cannot be read, and the session lives on', async () => {
    const s = session!;
    assert.equal(s.capabilities.supportsReadMemoryRequest, undefined, 'lldb-dap 19 does not advertise readMemory');
    for (let stop = 1; stop <= 2; stop++) {
      if (stop > 1) await continueToNextStop(s);
      await product.source.idle();
      const status = product.source.status();
      assert.equal(status.stops, stop);
      assert.equal(status.state, 'error');
      assert.match(status.message ?? '', /^lldb-dap 19\.\d+\.\d+ does not support reading memory \(no supportsReadMemoryRequest/);
      assert.ok(adapterAlive(s.client), `lldb-dap 19 is alive after stop ${stop}`);
      assert.ok((await threadCount(s)) >= 1, 'threads is answered');
      assert.equal(await evaluateNumber(s, 'step'), BigInt(HEAP_SCRIPT[stop - 1]!.step), 'the program stops at its checkpoints');
    }
    assert.ok(!s.client.sent.some(r => r.command === 'readMemory'), 'no readMemory was ever sent');
    assert.equal(product.notices.length, 1, JSON.stringify(product.notices));
    assert.equal(product.notices[0]!.level, 'warning');
    assert.match(product.notices[0]!.message, /heap cannot be read in this debug session.*lldb-dap 20 and newer support it/);
    assert.equal(product.logs.filter(l => l.includes('does not support reading memory')).length, 1, product.logs.join('\n'));
  });

  it('(what the gate prevents: a readMemory ends lldb-dap 19, and with it the debug session)', async () => {
    const s = session!;
    await assert.rejects(s.client.request('readMemory', { memoryReference: '0x1000', count: 8 }, 5000));
    // It aborts: LLVM's crash handler symbolizes its stack first, which took over 5 s on a loaded machine.
    const started = Date.now();
    const deadline = started + 30_000;
    while (adapterAlive(s.client) && Date.now() < deadline) await new Promise(resolve => setTimeout(resolve, 20));
    assert.ok(!adapterAlive(s.client), `lldb-dap 19 ended on readMemory (still alive after ${Date.now() - started} ms)`);
  });
});

describe('e2e: lldb-dap 22 (readMemory) on the native Rust program', function () {
  let session: LldbSession | undefined;
  let product: Product;

  before(async function () {
    ({ session, product } = await setupOrSkip(this, () => startWithSource(lldbDap22)));
  });
  after(async () => {
    await session?.close();
  });

  it("reads the heap at every checkpoint, equal to the program's OP_LOG replayed on the model", async () => {
    const s = session!;
    assert.equal(s.capabilities.supportsReadMemoryRequest, true);
    for (const [index, step] of HEAP_SCRIPT.entries()) {
      if (index > 0) await continueToNextStop(s);
      await product.source.idle();
      const what = `step ${step.step} (${step.what})`;
      assert.equal(await evaluateNumber(s, 'step'), BigInt(step.step), `${what}: the checkpoint`);
      const status = product.source.status();
      assert.equal(status.state, 'ok', `${what}: ${status.message}`);
      const { read, view } = product.source.latestRead!;
      assert.deepEqual([read.location.orders, read.location.pointerWidth], [RUST_HEAP.orders, 8]);
      const model = await rustProgramModel(targetMemory(s), view.heapBase);
      assert.deepEqual(read.snapshot.fields, model.structFields(), `${what}: struct fields`);
      assertViewMatchesModel(view, model, what);
    }
    assert.equal(product.source.history().total, HEAP_SCRIPT.length);
    const reads = s.client.sent.filter(r => r.command === 'readMemory');
    assert.ok(reads.length > 0);
    for (const r of reads) assert.match(String((r.arguments as { memoryReference: unknown }).memoryReference), /^0x[0-9a-f]+$/);
    for (const r of s.client.sent.filter(x => x.command === 'evaluate'))
      assert.equal((r.arguments as { context?: unknown }).context, 'watch');
    assert.deepEqual(
      product.notices.filter(n => n.level !== 'info'),
      [],
      'no warnings or errors',
    );
  });
});
