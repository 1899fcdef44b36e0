// The capability gate: a session's capabilities come from the adapter's initialize answer and
// capabilities events; a request kind the adapter did not advertise is never sent (the request
// log stays empty of it), baseline requests always pass, and every request goes out with the
// argument shapes all adapters accept.
import * as assert from 'node:assert/strict';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { AdapterCapabilities } from '../../../extension/dap/adapterCapabilities';
import { LiveHeapReader } from '../../../extension/dap/liveHeapReader';
import { LiveReadError } from '../../../extension/dap/liveErrors';
import { requestArgumentProblem } from '../../../extension/dap/requestArguments';
import { type CapabilityFlag, REQUEST_CAPABILITY } from '../../../extension/dap/requestCapabilities';
import { CDT_GDB_CAPABILITIES, FakeGdbSession } from './fakeGdbSession';
import { C_OFFSETS } from './heapFixture';

/** Compile-time: every flag the table names is a real DAP capability. */
const FLAGS_ARE_DAP: CapabilityFlag extends keyof DebugProtocol.Capabilities ? true : false = true;

/** lldb-dap 19's answer to initialize has no memory flags (Debian lldb-19; shared notes more-targets.md). */
const LLDB_19_ANSWER = {
  __lldb: { version: 'lldb version 19.1.7' },
  supportsConfigurationDoneRequest: true,
  supportsFunctionBreakpoints: true,
  supportsDisassembleRequest: true,
  supportsModulesRequest: true,
  supportsLoadedSourcesRequest: false,
};

function session(): FakeGdbSession {
  const fake = new FakeGdbSession({
    expression: 'HEAP',
    address: 0x2000_0004n,
    offsets: C_OFFSETS,
    orders: 12,
    pointerWidth: 4,
    typeName: 'Heap',
  });
  fake.map(0x2000_0004n, new Uint8Array(64));
  return fake;
}

async function rejectsUnsupported(promise: Promise<unknown>, message: RegExp): Promise<void> {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(error instanceof LiveReadError, String(error));
    assert.equal(error.kind, 'unsupported');
    assert.match(error.message, message);
    return true;
  });
}

describe('adapter capabilities', () => {
  it('names only real DAP capability flags', () => {
    assert.equal(FLAGS_ARE_DAP, true);
    for (const [command, flag] of Object.entries(REQUEST_CAPABILITY)) assert.ok(flag === null || flag.startsWith('supports'), command);
  });

  it('learns them from the initialize answer, and capabilities events update them', () => {
    const caps = new AdapterCapabilities('lldb-dap');
    assert.equal(caps.known, false);
    caps.observe({ type: 'response', command: 'threads', success: true, body: { supportsReadMemoryRequest: true } });
    caps.observe({ type: 'event', event: 'capabilities', body: { capabilities: { supportsReadMemoryRequest: true } } });
    assert.equal(caps.known, false, 'only the initialize answer sets them');
    caps.observe({ type: 'response', command: 'initialize', success: true, request_seq: 1, body: LLDB_19_ANSWER });
    assert.equal(caps.known, true);
    assert.equal(caps.adapter, 'lldb-dap 19.1.7');
    assert.equal(caps.supports('readMemory'), false);
    assert.equal(caps.supports('modules'), true);
    assert.equal(caps.supports('loadedSources'), false, 'advertised false is not advertised');
    caps.observe({ type: 'event', event: 'capabilities', body: { capabilities: { supportsReadMemoryRequest: true } } });
    assert.equal(caps.supports('readMemory'), true);
    // lldb-dap 22 puts its version elsewhere.
    assert.equal(
      AdapterCapabilities.fromInitialize('lldb-dap', { $__lldb_version: 'lldb version 22.1.8', supportsReadMemoryRequest: true }).adapter,
      'lldb-dap 22.1.8',
    );
  });

  it('lets baseline requests through, refuses the rest when not advertised, unknown, or never sent', () => {
    const lldb19 = AdapterCapabilities.fromInitialize('lldb-dap', LLDB_19_ANSWER);
    for (const command of ['threads', 'stackTrace', 'evaluate', 'scopes', 'variables']) assert.equal(lldb19.refusal(command), undefined);
    const read = lldb19.refusal('readMemory')!;
    assert.equal(read.reason, 'notAdvertised');
    assert.equal(read.capability, 'supportsReadMemoryRequest');
    assert.match(read.message, /^lldb-dap 19\.1\.7 does not support reading memory \(no supportsReadMemoryRequest/);
    assert.match(read.message, /the heap cannot be read in this debug session/);
    assert.match(read.message, /lldb-dap 20 and newer support it/);
    assert.equal(lldb19.refusal('writeMemory')?.reason, 'notAdvertised');
    assert.equal(lldb19.refusal('setFunctionBreakpoints'), undefined);

    const gdb = AdapterCapabilities.fromInitialize('gdb', { supportsWriteMemoryRequest: true });
    assert.doesNotMatch(gdb.refusal('readMemory')!.message, /lldb-dap 20 and newer/);
    assert.match(gdb.refusal('readMemory')!.message, /^gdb does not support reading memory/);

    const unseen = new AdapterCapabilities('cortex-debug');
    assert.equal(unseen.refusal('evaluate'), undefined);
    assert.equal(unseen.refusal('readMemory')?.reason, 'capabilitiesUnknown');
    assert.match(unseen.refusal('readMemory')!.message, /did not see how cortex-debug answered "initialize".*Restart the debug session/);
    assert.equal(lldb19.refusal('locations')?.reason, 'unknownRequest');
    assert.equal(lldb19.refusal('fooBar')?.reason, 'unknownRequest');
    assert.equal(lldb19.refusal('constructor')?.reason, 'unknownRequest', 'no prototype key passes');
  });

  it('a reader on an adapter without readMemory sends no request at all, at any stop', async () => {
    const fake = session();
    fake.capabilities = AdapterCapabilities.fromInitialize('lldb-dap', LLDB_19_ANSWER);
    const reader = new LiveHeapReader(fake, { kind: 'expression', expression: 'HEAP' });
    for (let stop = 0; stop < 3; stop++) await rejectsUnsupported(reader.read({ threadId: 1 }), /no supportsReadMemoryRequest/);
    const address = new LiveHeapReader(fake, {
      kind: 'address',
      address: 0x2000_0004n,
      orders: 12,
      pointerWidth: 4,
      offsets: C_OFFSETS,
    });
    await rejectsUnsupported(address.read({}), /lldb-dap 19\.1\.7 does not support reading memory/);
    assert.deepEqual(fake.requests, []);

    fake.capabilities = new AdapterCapabilities('gdb');
    await rejectsUnsupported(reader.read({ threadId: 1 }), /did not see how gdb answered "initialize"/);
    assert.deepEqual(fake.requests, []);
  });

  it('once advertised (a capabilities event), the same reader reads', async () => {
    const fake = session();
    fake.capabilities = AdapterCapabilities.fromInitialize('gdb', { ...CDT_GDB_CAPABILITIES, supportsReadMemoryRequest: false });
    const reader = new LiveHeapReader(fake, { kind: 'expression', expression: 'HEAP' });
    await rejectsUnsupported(reader.read({ threadId: 1 }), /no supportsReadMemoryRequest/);
    fake.capabilities.observe({ type: 'event', event: 'capabilities', body: { capabilities: { supportsReadMemoryRequest: true } } });
    // The struct is all zeros here: the read gets as far as reading it, which is the point.
    await assert.rejects(reader.read({ threadId: 1 }), (error: unknown) => error instanceof LiveReadError && error.kind === 'zeroed');
    assert.ok(fake.readRequests().length > 0);
  });

  it('sends evaluate only in the watch context and readMemory only at a hex address', async () => {
    const fake = session();
    const reader = new LiveHeapReader(fake, { kind: 'expression', expression: 'HEAP' });
    await reader.read({ threadId: 1 }).catch(() => undefined);
    const evaluates = fake.requests.filter(r => r.command === 'evaluate');
    assert.ok(evaluates.length > 0 && fake.readRequests().length > 0);
    for (const r of evaluates) assert.equal(r.args.context, 'watch', JSON.stringify(r.args));
    for (const r of fake.readRequests()) assert.match(String(r.args.memoryReference), /^0x[0-9a-f]+$/);

    assert.equal(requestArgumentProblem('evaluate', { expression: 'HEAP', context: 'watch' }), undefined);
    assert.match(requestArgumentProblem('evaluate', { expression: 'HEAP' }) ?? '', /context "watch"/);
    assert.match(requestArgumentProblem('evaluate', { expression: 'HEAP', context: 'repl' }) ?? '', /context "watch"/);
    assert.equal(requestArgumentProblem('readMemory', { memoryReference: '0x20000004', count: 4 }), undefined);
    for (const memoryReference of ['&HEAP', '536870916', 'HEAP', '0x', ' 0x10', undefined])
      assert.match(requestArgumentProblem('readMemory', { memoryReference, count: 4 }) ?? '', /hex address/, String(memoryReference));
    assert.equal(requestArgumentProblem('threads', undefined), undefined);
  });
});
