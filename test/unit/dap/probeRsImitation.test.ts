// The e2e proxy that imitates probe-rs's DAP server must refuse what probe-rs refuses, or the
// "nothing was refused" check of the probe-rs-like e2e proves nothing: anything but a bare name in
// the watch context, readMemory at a non-numeric reference, a command probe-rs does not implement.
// And every request the extension's live reader sends for a discovered heap must pass.
import * as assert from 'node:assert/strict';
import { LiveHeapReader } from '../../../extension/dap/liveHeapReader';
import { PROBE_RS_CAPABILITIES, cdtAttachArguments, probeRsRefusal } from '../../e2e/support/probeRsRules';
import { cFirmwareHeap, makeFixture } from './heapFixture';

describe('probe-rs imitation rules (e2e proxy)', () => {
  it('evaluates bare names in the watch context only', () => {
    assert.equal(probeRsRefusal('evaluate', { expression: 'HEAP', context: 'watch' }), undefined);
    assert.equal(probeRsRefusal('evaluate', { expression: 'step', context: 'watch' }), undefined);
    for (const expression of ['&HEAP', 'HEAP.heap_base', 'sizeof(HEAP)', 'prog::ALLOCATOR', '&(HEAP).free_lists', '*(Heap *)0x20000000'])
      assert.match(probeRsRefusal('evaluate', { expression, context: 'watch' }) ?? '', /only bare variable names/, expression);
    for (const context of ['repl', 'hover', 'clipboard', undefined])
      assert.match(probeRsRefusal('evaluate', { expression: 'HEAP', context }) ?? '', /is not supported/, String(context));
  });

  it('reads memory at numeric references only, and refuses commands probe-rs lacks', () => {
    assert.equal(probeRsRefusal('readMemory', { memoryReference: '0x20000000', count: 4 }), undefined);
    assert.equal(probeRsRefusal('readMemory', { memoryReference: '536870912', count: 4 }), undefined);
    assert.match(probeRsRefusal('readMemory', { memoryReference: '&HEAP', count: 4 }) ?? '', /not a number/);
    for (const command of ['modules', 'setFunctionBreakpoints', 'loadedSources', 'dataBreakpointInfo'])
      assert.match(probeRsRefusal(command, {}) ?? '', /unsupported command/, command);
    assert.equal((PROBE_RS_CAPABILITIES as Record<string, unknown>).supportsModulesRequest, undefined, 'no modules');
    assert.equal((PROBE_RS_CAPABILITIES as Record<string, unknown>).supportsFunctionBreakpoints, undefined, 'no function breakpoints');
  });

  it('maps a probe-rs configuration to cdt-gdb-adapter attach arguments, and refuses one without the ELF', () => {
    assert.deepEqual(cdtAttachArguments({ coreConfigs: [{ programBinary: '/fw.elf' }], gdbTarget: { port: '1234' } }), {
      gdb: 'gdb-multiarch',
      program: '/fw.elf',
      target: { type: 'remote', host: '127.0.0.1', port: '1234' },
    });
    assert.throws(() => cdtAttachArguments({ gdbTarget: { port: '1234' } }), /programBinary/);
  });

  it("passes every request of a discovered heap's refresh", async () => {
    const { session, structAddress } = makeFixture('c');
    session.frames = [{ name: 'checkpoint' }];
    const reader = new LiveHeapReader(session, cFirmwareHeap(structAddress));
    // Each read with the stack its caller asks for once the heap is shown.
    await (await reader.read({})).askStack?.();
    await (await reader.read({ threadId: 1 })).askStack?.();
    assert.ok(session.requests.some(r => r.command === 'stackTrace') && session.requests.some(r => r.command === 'readMemory'));
    for (const request of session.requests) assert.equal(probeRsRefusal(request.command, request.args), undefined, request.command);
  });
});
