// Zero configuration: no heap settings at all. The real extension finds each heap in the debugged
// program's debug info (the launch configuration's "program"), reads it with readMemory alone,
// and at every checkpoint equals the model: the Cortex-M3 firmware in QEMU (ET_EXEC, gcc DWARF 5)
// the same firmware on big-endian MIPS (QEMU malta), and the native Rust program (PIE, rustc's
// reordered Heap<16>) through cdt-gdb-adapter. A stop
// inside the C allocator says the free lists may be mid-update.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { LiveHeapSource } from '../../../extension/live/liveHeapSource';
import type { BuddyHeapApi } from '../../../extension/main';
import { buildMips, requireTools } from '../support/buildTargets';
import { assertViewMatchesModel, firmwareHeapLayout, replayScript } from '../support/heapModel';
import { lineInProgramSource } from '../support/sourceLines';
import { MIPS_MALTA_QEMU, type Qemu, startQemu } from '../support/processes';
import { assertViewMatchesRustProgram, atEveryCheckpoint } from './support/checkpoints';
import {
  attachedHeap,
  debugFirmware,
  debugRustProgram,
  endDebugging,
  evaluateNumber,
  extensionApi,
  qemuAttachConfig,
  rustGdbLaunchConfig,
  rustProgramOrSkip,
  setLiveSettings,
  settledAt,
  setupOrSkip,
  startCortexFirmware,
  startSession,
  waitFor,
} from './support/hostDebug';

/** The refresh sent readMemory and at most the baseline threads + stackTrace (for the allocator check): no evaluate. */
function assertNoEvaluate(source: LiveHeapSource): void {
  const { stats } = source.latestRead!.read;
  assert.ok(stats.requests - stats.readMemoryRequests <= 2, `requests beyond readMemory: ${stats.requests - stats.readMemoryRequests}`);
}

const RUST_EXPRESSION = 'prog::ALLOCATOR.inner.value';

describe('e2e host: heaps found in the program, no heap settings', function () {
  let api: BuddyHeapApi;
  let qemu: Qemu | undefined;
  let session: vscode.DebugSession | undefined;

  before(async function () {
    api = await extensionApi();
    await setLiveSettings({ heaps: [], autoAttach: true, readMode: 'auto' });
  });
  afterEach(async () => {
    await endDebugging(session, qemu);
    session = undefined;
    qemu = undefined;
    vscode.debug.removeBreakpoints(vscode.debug.breakpoints);
    // Close the panel each test opened: a panel left open kept the workbench's renderer busy enough
    // to stall the next suites' settings writes on this 2-core machine.
    api.app.panel?.dispose();
  });

  it('Cortex-M3 firmware in QEMU: HEAP found and read correctly at every stop', async function () {
    const firmware = await startCortexFirmware(this);
    qemu = firmware.qemu;
    session = await debugFirmware('QEMU firmware (discovery e2e)', firmware.program, firmware.qemu);
    const s = session;
    const source = await attachedHeap(api, s, 'HEAP');
    assert.deepEqual(
      api.live.allSources(s.id).map(x => x.heapName),
      ['HEAP'],
    );
    await atEveryCheckpoint(s, source, async ({ step, what, read, view }) => {
      assert.equal(read.location.label, 'HEAP');
      assert.equal(read.location.address, await evaluateNumber(s, '&HEAP'), 'the DWARF address is where gdb puts HEAP');
      assertNoEvaluate(source);
      assertViewMatchesModel(view, replayScript(firmwareHeapLayout(view.heapBase), step.step).heap, what);
    });
  });

  it('big-endian MIPS firmware in QEMU malta: HEAP found big-endian and equal to the program at every stop', async function () {
    const program = await setupOrSkip(this, async () => {
      requireTools('qemu-system-mips', 'gdb-multiarch');
      return buildMips('64k');
    });
    qemu = await startQemu(program, MIPS_MALTA_QEMU);
    session = await debugFirmware('QEMU MIPS firmware (discovery e2e)', program, qemu);
    const s = session;
    const source = await attachedHeap(api, s, 'HEAP');
    await atEveryCheckpoint(s, source, async ({ step, what, read, view }) => {
      assert.equal(read.location.address, await evaluateNumber(s, '&HEAP'), 'the DWARF address is where gdb puts HEAP');
      assert.deepEqual([read.location.endianness, read.location.pointerWidth, read.location.orders], ['big', 4, 12]);
      // The program's own words, as gdb reads them in the target's byte order.
      assert.equal(view.heapBase, await evaluateNumber(s, 'HEAP.heap_base'), `${what}: heap_base`);
      assert.equal(BigInt(view.heapSize), await evaluateNumber(s, 'HEAP.heap_size'), `${what}: heap_size`);
      assertNoEvaluate(source);
      assertViewMatchesModel(view, replayScript(firmwareHeapLayout(view.heapBase, 'big'), step.step).heap, what);
    });
  });

  it('Cortex-M3 firmware stopped inside heap_allocate: the notice says the free lists may be mid-update', async function () {
    const firmware = await startCortexFirmware(this);
    qemu = firmware.qemu;
    vscode.debug.addBreakpoints([new vscode.FunctionBreakpoint('heap_allocate')]);
    session = await startSession(qemuAttachConfig('QEMU firmware (allocator stop)', firmware.program, firmware.qemu));
    const s = session;
    const source = await attachedHeap(api, s, 'HEAP');
    await settledAt(source, 1);
    assert.equal(source.latestRead!.read.stack?.[0], 'heap_allocate', 'stopped at the breakpoint');
    const notice = await waitFor(
      'the mid-update notice',
      () => api.app.panel?.controller.noticesSent.find(n => n?.title === 'HEAP: stopped inside heap_allocate') ?? undefined,
    );
    assert.match(notice.message, /^Stopped inside heap_allocate: the free lists may be mid-update\./);
    assert.notEqual(notice.level, 'error', 'not corruption');
  });

  it('native Rust program (PIE, reordered fields): prog::ALLOCATOR.inner.value found at its load address', async function () {
    const program = await rustProgramOrSkip(this);
    session = await debugRustProgram('Rust program (discovery e2e)', program);
    const s = session;
    const source = await attachedHeap(api, s, RUST_EXPRESSION);
    await atEveryCheckpoint(s, source, async ({ what, read, view }) => {
      assert.equal(read.location.address, await evaluateNumber(s, `&${RUST_EXPRESSION}`), 'the load bias is right');
      assert.deepEqual([read.location.orders, read.location.pointerWidth], [16, 8]);
      assert.deepEqual(read.lock, { path: 'prog::ALLOCATOR.lock.v.value', held: false }, `${what}: the spin lock is free at a checkpoint`);
      assertNoEvaluate(source);
      await assertViewMatchesRustProgram(s, view, what);
    });
  });

  it("native Rust program stopped inside Heap::allocate: the wrapper's spin lock reads held, and the notice says mid-update", async function () {
    const program = await rustProgramOrSkip(this);
    // Heap::allocate's first line, in the prog.rs the program was built from (the targets' builds
    // are shared by every checkout on the machine).
    const at = lineInProgramSource('gdb', program, 'Heap<16>::allocate<', 'let Some(needed) = self.order_of(size, align)');
    vscode.debug.addBreakpoints([
      new vscode.SourceBreakpoint(new vscode.Location(vscode.Uri.file(at.file), new vscode.Position(at.line, 0))),
    ]);
    session = await startSession(rustGdbLaunchConfig('Rust program (lock held e2e)', program));
    const s = session;
    const source = await attachedHeap(api, s, RUST_EXPRESSION);
    await settledAt(source, 1);
    const { read } = source.latestRead!;
    assert.ok(
      read.stack?.some(name => /Heap<16>::allocate/.test(name)),
      `stopped in allocate: ${read.stack?.join(' < ')}`,
    );
    assert.equal(await evaluateNumber(s, 'prog::ALLOCATOR.lock.v.value'), 1n, 'gdb reads the lock as held');
    assert.deepEqual(read.lock, { path: 'prog::ALLOCATOR.lock.v.value', held: true }, 'read through DWARF with readMemory');
    assertNoEvaluate(source);
    const notice = await waitFor(
      'the mid-update notice',
      () => api.app.panel?.controller.noticesSent.find(n => n?.title?.startsWith(`${RUST_EXPRESSION}: stopped inside`)) ?? undefined,
    );
    assert.match(notice.message, /the free lists may be mid-update\./);
    assert.notEqual(notice.level, 'error', 'not corruption');
  });
});
