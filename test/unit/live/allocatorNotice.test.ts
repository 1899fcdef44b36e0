// Stopped inside the allocator: the notice says so and findings are possibly transient, not
// corruption. The rule is checked against the function names of the C and Rust e2e targets.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { decodeHeap } from '../../../core/decoder/decode';
import { encodeWord } from '../../../core/memory/byteImage';
import { type LiveHeapRead, LiveHeapReader } from '../../../extension/dap/liveHeapReader';
import { LiveHeapSource } from '../../../extension/live/liveHeapSource';
import { LiveNotices, allocatorFrame, midUpdateCause } from '../../../extension/live/liveNotices';
import { adapterSends, continued, stopped } from './liveFixture';
import { C_OFFSETS, cFirmwareHeap, makeFixture } from '../dap/heapFixture';

/** A discovered heap's read with its stack, which the reader leaves to its caller to ask for once the heap is shown. */
async function readWithStack(reader: LiveHeapReader): Promise<LiveHeapRead> {
  const read = await reader.read({ threadId: 1 });
  assert.ok(read.askStack, 'a discovered heap can ask for the stack');
  assert.equal(read.stack, undefined, 'and leaves the asking to its caller');
  return { ...read, stack: await read.askStack() };
}

const TARGETS = path.join(__dirname, '../../../../test/e2e/targets');

/** The functions a target defines, by a definition pattern on its source. */
function defined(file: string, pattern: RegExp): string[] {
  return [...readFileSync(path.join(TARGETS, file), 'utf8').matchAll(pattern)].map(m => m[1]!);
}

/**
 * The C firmware's heap, with one bad next pointer (a finding), behind a lock wrapper found in
 * its debug info: LockedHeap { struct spin_lock lock; union { Heap heap; } cell; }, the flag 4
 * bytes before the heap.
 */
function lockedHeap() {
  const { session, structAddress } = makeFixture('c');
  const struct = session.regions.find(r => r.start === structAddress)!.bytes;
  struct.set(encodeWord(0x1000n, 4, true), C_OFFSETS.freeLists + 4 * 3);
  const flag = new Uint8Array(4);
  session.map(structAddress - 4n, flag);
  const reader = new LiveHeapReader(
    session,
    cFirmwareHeap(structAddress, { path: 'BOOT_HEAP.cell.heap', lock: { path: 'BOOT_HEAP.lock.held', offset: -4, size: 4 } }),
  );
  return { session, structAddress, flag, reader };
}

describe('stopped inside the allocator', () => {
  it("knows the C firmware's allocator functions (as gdb names frames), and nothing else of it", () => {
    const all = defined('cortex-m3/buddy.c', /^[a-z][\w *]*?\b(\w+)\(/gm);
    const heapFunctions = all.filter(name => /^heap_(allocate|deallocate)$/.test(name));
    assert.equal(heapFunctions.length, 2, `buddy.c defines heap_allocate and heap_deallocate: ${all.join(', ')}`);
    for (const name of heapFunctions) assert.equal(allocatorFrame(['free_list_pop', name, 'main']), name);
    assert.equal(allocatorFrame(['checkpoint', 'main']), undefined);
  });

  it("knows the Rust program's Heap<N> methods and its GlobalAlloc impl (as gdb prints them)", () => {
    const source = readFileSync(path.join(TARGETS, 'rust/prog.rs'), 'utf8');
    const heapImpl = source.slice(source.indexOf('impl<const N: usize> Heap<N>'));
    const methods = [...heapImpl.slice(0, heapImpl.indexOf('\n}\n')).matchAll(/fn (\w+)/g)].map(m => m[1]!);
    assert.ok(methods.includes('allocate') && methods.includes('deallocate'), methods.join(', '));
    for (const method of methods) {
      const frame = `prog::Heap<16>::${method}`;
      assert.equal(allocatorFrame(['core::ptr::write<usize>', frame, 'prog::main']), frame);
    }
    const globalAlloc = defined('rust/prog.rs', /unsafe fn (alloc|dealloc)\(/g);
    assert.deepEqual(globalAlloc, ['alloc', 'dealloc']);
    for (const method of globalAlloc) {
      const frame = `<prog::Locked<prog::Heap<16>> as core::alloc::global::GlobalAlloc>::${method}`;
      assert.equal(allocatorFrame([`${frame}::{closure#0}`, frame, 'prog::main']), `${frame}::{closure#0}`);
    }
    assert.equal(allocatorFrame(['alloc::collections::binary_heap::BinaryHeap<i32>::push', 'prog::main']), undefined);
  });

  it('the notice says where it stopped and marks findings as possibly transient; outside, they are corruption', async () => {
    const { session, structAddress } = makeFixture('c');
    // A free-list head pointing outside the heap: a finding either way.
    const struct = session.regions.find(r => r.start === structAddress)!.bytes;
    struct.set(encodeWord(0x1000n, 4, true), C_OFFSETS.freeLists + 4 * 3);
    const reader = new LiveHeapReader(session, cFirmwareHeap(structAddress));
    session.frames = [{ name: 'free_list_insert' }, { name: 'heap_deallocate' }, { name: 'main' }];
    const inside = await readWithStack(reader);
    assert.deepEqual(inside.stack, ['free_list_insert', 'heap_deallocate', 'main']);
    const view = decodeHeap(inside.snapshot);
    assert.ok(view.findings.length > 0, 'the bad pointer is found');
    const told = new LiveNotices('HEAP', 'fw').readOk(inside, view).notice;
    assert.ok(told && told !== 'quiet');
    assert.equal(told.level, 'warning');
    assert.equal(told.title, 'HEAP: stopped inside heap_deallocate');
    assert.match(
      told.message,
      /^Stopped inside heap_deallocate: the free lists may be mid-update\. The \d+ integrity findings? .* may be transient, not corruption/,
    );

    session.frames = [{ name: 'checkpoint' }, { name: 'main' }];
    const outside = await readWithStack(reader);
    const corrupt = new LiveNotices('HEAP', 'fw').readOk(outside, decodeHeap(outside.snapshot)).notice;
    assert.ok(corrupt && corrupt !== 'quiet');
    assert.equal(corrupt.level, 'error');
    assert.match(corrupt.title, /integrity finding/);
    assert.ok(
      session.requests.every(r => r.command === 'readMemory' || r.command === 'stackTrace'),
      'a discovered heap never evaluates',
    );
  });

  it("the wrapper's lock flag held: the notice says so and findings are possibly transient; free, they are corruption", async () => {
    const { session, structAddress, flag, reader } = lockedHeap();
    session.frames = [{ name: 'checkpoint' }, { name: 'main' }];

    flag.set([0, 1, 0, 0]); // any non-zero byte: held, whatever the byte order
    const held = await reader.read({ threadId: 1 });
    assert.deepEqual(held.lock, { path: 'BOOT_HEAP.lock.held', held: true });
    const told = new LiveNotices('BOOT_HEAP.cell.heap', 'fw').readOk(held, decodeHeap(held.snapshot)).notice;
    assert.ok(told && told !== 'quiet');
    assert.equal(told.level, 'warning', 'not corruption');
    assert.equal(told.title, 'BOOT_HEAP.cell.heap: lock held');
    assert.match(
      told.message,
      /^The heap's lock is held \(BOOT_HEAP\.lock\.held is set\): the free lists may be mid-update\. The \d+ integrity findings? .* may be transient, not corruption: check again at a stop where the lock is free\.$/,
    );
    // The flag lies just before the struct: both come in one readMemory, from the flag on.
    const reads = session.readRequests();
    assert.equal(reads.filter(r => r.args.memoryReference === `0x${(structAddress - 4n).toString(16)}`).length, 1);
    assert.equal(reads[0]!.args.count, 4 + 61, 'the flag and the struct up to min_block_size_log2');
    assert.ok(
      reads.every(r => BigInt(String(r.args.memoryReference)) !== structAddress),
      'no read of the struct on its own',
    );

    flag.fill(0);
    const free = await reader.read({ threadId: 1 });
    assert.deepEqual(free.lock, { path: 'BOOT_HEAP.lock.held', held: false });
    const corrupt = new LiveNotices('BOOT_HEAP.cell.heap', 'fw').readOk(free, decodeHeap(free.snapshot)).notice;
    assert.ok(corrupt && corrupt !== 'quiet');
    assert.equal(corrupt.level, 'error');
    assert.ok(
      session.requests.every(r => r.command === 'readMemory' || r.command === 'stackTrace'),
      'the flag is read with readMemory: no evaluate',
    );
  });

  it('a lock flag that cannot be read says nothing and never fails the read; a frame of the allocator outranks the flag', async () => {
    const { session, structAddress } = makeFixture('c');
    const reader = new LiveHeapReader(
      session,
      cFirmwareHeap(structAddress, { lock: { path: 'LOCKED.lock', offset: -0x1000, size: 1 } }), // the lock: unmapped
    );
    session.frames = [{ name: 'checkpoint' }];
    const read = await readWithStack(reader);
    assert.equal(read.lock, undefined);
    assert.equal(midUpdateCause(read), undefined);
    assert.deepEqual(midUpdateCause({ stack: ['heap_allocate'], lock: { path: 'L', held: true } }), {
      kind: 'frame',
      frame: 'heap_allocate',
    });
    assert.deepEqual(midUpdateCause({ stack: ['checkpoint'], lock: { path: 'L', held: true } }), { kind: 'lock', flag: 'L' });
    assert.equal(midUpdateCause({ stack: ['checkpoint'], lock: { path: 'L', held: false } }), undefined);
  });

  it('a stop whose heap bytes did not change still reports its own lock flag and stack (the decoded view is reused)', async () => {
    const { session, flag, reader } = lockedHeap();
    const source = new LiveHeapSource({ sessionId: 's', sessionName: 'fw', heapName: 'BOOT_HEAP.cell.heap', reader, log: () => undefined });
    const notices: string[] = [];
    source.onDidChange(change => {
      if (change.notice) notices.push(`${change.notice.level}: ${change.notice.title}`);
    });
    const stopHere = async (frames: string[], held: boolean) => {
      session.frames = frames.map(name => ({ name }));
      flag.set(held ? [1, 0, 0, 0] : [0, 0, 0, 0]);
      adapterSends(source, continued);
      adapterSends(source, stopped());
      await source.idle();
      return notices.at(-1);
    };
    assert.equal(await stopHere(['checkpoint', 'main'], true), 'warning: BOOT_HEAP.cell.heap: lock held');
    const view = source.viewAt(0);
    assert.match((await stopHere(['checkpoint', 'main'], false))!, /^error: .*integrity finding/);
    assert.equal(source.viewAt(1), view, 'the same heap bytes: the view of the stop before');
    assert.deepEqual(source.latestRead!.read.lock, { path: 'BOOT_HEAP.lock.held', held: false });
    const before = notices.length;
    assert.equal(
      await stopHere(['free_list_insert', 'heap_deallocate', 'main'], false),
      'warning: BOOT_HEAP.cell.heap: stopped inside heap_deallocate',
    );
    assert.deepEqual(
      notices.slice(before).filter(n => n.startsWith('error')),
      [],
      'findings wait for the stack: no corruption error first',
    );
    assert.equal(source.viewAt(2), view);
    const status = source.status();
    assert.deepEqual([status.state, status.stops, source.history().total], ['ok', 3, 3]);
    assert.ok(status.findings > 0);
    source.dispose();
  });

  it('a clean heap is shown before its stack comes; stopped inside the allocator, the panel is told once the stack says so', async () => {
    const { session, structAddress } = makeFixture('c');
    const reader = new LiveHeapReader(session, cFirmwareHeap(structAddress));
    const source = new LiveHeapSource({ sessionId: 's', sessionName: 'fw', heapName: 'HEAP', reader, log: () => undefined });
    const told: string[] = [];
    let views = 0;
    source.onDidChange(change => {
      if (change.view) views++;
      // What is told about the heap (a resume says "Target running").
      if (change.notice && change.notice.title.startsWith('HEAP: ')) told.push(`${change.notice.level}: ${change.notice.title}`);
    });
    // Outside the allocator, the stack adds nothing to tell. (The first stop also finds the heap region.)
    session.frames = [{ name: 'checkpoint' }, { name: 'main' }];
    adapterSends(source, stopped());
    await source.idle();
    assert.equal(views, 1);
    assert.deepEqual(told, []);
    assert.deepEqual(source.latestRead!.read.stack, ['checkpoint', 'main']);
    // A refresh at the same stop that finds the same heap keeps the stop's stack, without asking again.
    const asked = session.requests.filter(r => r.command === 'stackTrace').length;
    await source.refresh();
    assert.equal(session.requests.filter(r => r.command === 'stackTrace').length, asked);
    assert.deepEqual(source.latestRead!.read.stack, ['checkpoint', 'main']);

    session.frames = [{ name: 'heap_allocate' }, { name: 'main' }];
    let unwind!: () => void;
    session.stackTraceGate = new Promise(resolve => (unwind = resolve));
    session.requests.length = 0;
    adapterSends(source, continued);
    adapterSends(source, stopped());
    for (let turns = 0; views === 1 && turns < 1000; turns++) await new Promise(resolve => setImmediate(resolve));
    assert.equal(views, 2, 'the heap is shown while the stack is still being unwound');
    assert.equal(source.latestRead!.view.findings.length, 0, 'a clean heap');
    assert.deepEqual(told, []);
    assert.equal(source.latestRead!.read.stack, undefined);
    // The stack is asked once the heap is shown: it holds up none of the heap's requests.
    const commands = session.requests.map(r => r.command);
    assert.equal(commands.at(-1), 'stackTrace');
    assert.ok(commands.length > 1 && commands.slice(0, -1).every(c => c === 'readMemory'), commands.join(', '));
    unwind();
    await source.idle();
    assert.deepEqual(told, ['info: HEAP: stopped inside heap_allocate']);
    assert.deepEqual(source.latestRead!.read.stack, ['heap_allocate', 'main']);
    assert.equal(views, 2, 'the stack adds a notice, not another view');

    // Resumed before the unwind answered: what it says is about a stop that is gone.
    session.stackTraceGate = new Promise(resolve => (unwind = resolve));
    session.frames = [{ name: 'heap_deallocate' }, { name: 'main' }];
    adapterSends(source, continued);
    adapterSends(source, stopped());
    for (let turns = 0; views === 2 && turns < 1000; turns++) await new Promise(resolve => setImmediate(resolve));
    assert.equal(views, 3);
    adapterSends(source, continued);
    unwind();
    await source.idle();
    assert.deepEqual(told, ['info: HEAP: stopped inside heap_allocate'], 'nothing told of a stop the target left');
    assert.equal(source.latestRead!.read.stack, undefined);
    source.dispose();
  });
});
