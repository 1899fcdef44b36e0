// The native Rust program launched under gdb through the fixture's gdb type: the heap is attached
// by expression with the Attach command, rustc's reordered Heap<16> fields are found where they
// are, and at every checkpoint the live source equals the program's own OP_LOG replayed on the
// model (std allocates through the same global allocator, so the log is the truth).
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { BuddyHeapApi } from '../../../extension/main';
import { assertViewMatchesRustProgram, atEveryCheckpoint } from './support/checkpoints';
import {
  debugRustProgram,
  evaluateNumber,
  extensionApi,
  rustProgramOrSkip,
  setLiveSettings,
  settledAt,
  stopSession,
  waitFor,
} from './support/hostDebug';

const RUST_OFFSETS = { freeLists: 0, heapBase: 128, heapSize: 136, minBlockSize: 144, minBlockSizeLog2: 152 };
const EXPRESSION = 'prog::ALLOCATOR.inner.value';

describe('e2e host: live heap of the native Rust program (Locked<Heap<16>>)', function () {
  let api: BuddyHeapApi;
  let session: vscode.DebugSession | undefined;
  let program: string;

  before(async function () {
    program = await rustProgramOrSkip(this);
    api = await extensionApi();
    await setLiveSettings({ heaps: [], autoAttach: true });
  });
  after(async () => {
    await stopSession(session);
  });

  it('attaches by expression, finds the reordered fields, and matches the program at every checkpoint', async () => {
    session = await debugRustProgram('Rust program (live e2e)', program);
    const s = session;
    await waitFor('the first stop', () => api.live.isStopped(s.id));
    // A wrong expression first: the lock wrapper is not the heap, and the message says so.
    const wrong = await vscode.commands.executeCommand<{ ok: boolean; message: string }>('buddyHeap.live.attach', {
      sessionId: s.id,
      expression: 'prog::ALLOCATOR',
      name: 'wrapper',
    });
    assert.equal(wrong.ok, false);
    assert.match(wrong.message, /"prog::ALLOCATOR" \(type prog::Locked<prog::Heap<16>>\) is not a buddyalloc Heap<N>.*inner\.value/);
    const attached = await vscode.commands.executeCommand<{ ok: boolean; state: string; heap: string }>('buddyHeap.live.attach', {
      sessionId: s.id,
      expression: EXPRESSION,
      name: 'ALLOCATOR',
    });
    assert.equal(attached.ok, true, JSON.stringify(attached));
    const source = api.live.allSources(s.id).find(x => x.heapName === 'ALLOCATOR')!;
    assert.equal(api.app.sources.active, source);
    await atEveryCheckpoint(s, source, async ({ index, what, read, view }) => {
      assert.deepEqual(read.location.offsets, RUST_OFFSETS, 'offsets as rustc laid them out, not as declared');
      assert.deepEqual([read.location.orders, read.location.pointerWidth, read.stats.mode], [16, 8, 'sparse']);
      await assertViewMatchesRustProgram(s, view, what);
      assert.equal(source.history().total, index + 1);
    });
    // What Rust users write for a locked allocator: lock() is never run on the target (it would
    // take the spinlock for good); the lock's data field is read instead, the same heap.
    const locked = await vscode.commands.executeCommand<{ ok: boolean; message?: string }>('buddyHeap.live.attach', {
      sessionId: s.id,
      expression: 'prog::ALLOCATOR.lock()',
      name: 'locked',
    });
    assert.equal(locked.ok, true, JSON.stringify(locked));
    const lockedSource = api.live.allSources(s.id).find(x => x.heapName === 'locked')!;
    await settledAt(lockedSource, 1);
    assert.equal(lockedSource.latestRead!.read.location.label, EXPRESSION);
    assert.deepEqual(lockedSource.latestRead!.read.snapshot.fields, source.latestRead!.read.snapshot.fields);
    assert.equal(await evaluateNumber(s, 'prog::ALLOCATOR.lock.v.value as u8'), 0n, 'the spinlock was never taken');
  });
});
