// What the heap must look like, from two independent sources: the script replayed on the core
// model, and the program's own op log replayed on the model. Plus the checks that compare a
// decoded live heap with a model.
import * as assert from 'node:assert/strict';
import type { DecodedHeapView } from '../../../core/decoder/types';
import { BlockState } from '../../../core/decoder/types';
import type { Endianness, HeapLayout } from '../../../core/layout';
import { BuddyHeap } from '../../../core/model/buddyHeap';
import { HEAP_SCRIPT } from '../targets/script';
import { CORTEX_VARIANTS } from './buildTargets';

/** One op_log/OP_LOG entry: kind 1 = alloc (addr), 2 = failed alloc, 3 = free. */
export interface LogEntry {
  readonly kind: number;
  readonly addr: bigint;
  readonly size: number;
  readonly align: number;
}

export function newModel(layout: HeapLayout): BuddyHeap {
  const created = BuddyHeap.create(layout);
  if (!created.ok) throw new Error(`the model rejects the target's heap: ${created.error}`);
  return created.heap;
}

/** The firmware's 64k heap (Heap<12>, 32-bit words) with its arena at `base`, in the target's byte order. */
export function firmwareHeapLayout(base: bigint, endianness: Endianness = 'little'): HeapLayout {
  const { heapSize, orders } = CORTEX_VARIANTS['64k'];
  return { base, size: BigInt(heapSize), orders, pointerWidth: 4, endianness };
}

/** The firmware's failed-alloc code for a model error (enum alloc_error in buddy.h). */
const C_ALLOC_ERRORS: Readonly<Record<string, bigint>> = {
  HeapExhausted: 1n,
  'InvalidSize(BadAlignment)': 2n,
  'InvalidSize(TooLarge)': 3n,
};

/** Replays the script through `upToStep` and returns the model and the log the firmware must have written. */
export function replayScript(layout: HeapLayout, upToStep: number): { heap: BuddyHeap; log: LogEntry[] } {
  const heap = newModel(layout);
  const log: LogEntry[] = [];
  const slots = new Map<number, { offset: number; size: number; align: number }>();
  for (const step of HEAP_SCRIPT) {
    if (step.step > upToStep) break;
    for (const op of step.ops) {
      if (op.kind === 'alloc') {
        const got = heap.allocate(op.size, op.align);
        if (got.ok) slots.set(op.slot, { offset: got.offset, size: op.size, align: op.align });
        log.push(
          got.ok
            ? { kind: 1, addr: heap.address(got.offset), size: op.size, align: op.align }
            : { kind: 2, addr: C_ALLOC_ERRORS[got.error] ?? -1n, size: op.size, align: op.align },
        );
      } else {
        const slot = slots.get(op.slot);
        if (!slot) throw new Error(`script frees empty slot ${op.slot}`);
        const freed = heap.deallocate(slot.offset, slot.size, slot.align);
        if (!freed.ok) throw new Error(freed.message);
        log.push({ kind: 3, addr: heap.address(slot.offset), size: slot.size, align: slot.align });
        slots.delete(op.slot);
      }
    }
  }
  return { heap, log };
}

/** Replays what the program logged; every alloc must land where the model puts it. */
export function replayLog(layout: HeapLayout, entries: readonly LogEntry[]): BuddyHeap {
  const heap = newModel(layout);
  entries.forEach((entry, i) => {
    if (entry.kind === 1) {
      const got = heap.allocate(entry.size, entry.align);
      assert.ok(got.ok, `log #${i}: the program got a block for ${entry.size}/${entry.align}, the model did not`);
      assert.equal(heap.address(got.offset), entry.addr, `log #${i}: alloc ${entry.size}/${entry.align} address`);
    } else if (entry.kind === 2) {
      assert.equal(heap.allocate(entry.size, entry.align).ok, false, `log #${i}: the program's alloc failed, the model's did not`);
    } else if (entry.kind === 3) {
      const freed = heap.deallocate(Number(entry.addr - layout.base), entry.size, entry.align);
      assert.ok(freed.ok, `log #${i}: ${!freed.ok ? freed.message : ''}`);
    } else {
      assert.fail(`log #${i}: unknown kind ${entry.kind}`);
    }
  });
  return heap;
}

/** Decodes a log written as words in the target's byte order: kind, addr, size, align. */
export function parseLog(bytes: Buffer, count: number, width: 4 | 8, endianness: Endianness = 'little'): LogEntry[] {
  const word =
    endianness === 'little'
      ? (at: number) => (width === 4 ? BigInt(bytes.readUInt32LE(at)) : bytes.readBigUInt64LE(at))
      : (at: number) => (width === 4 ? BigInt(bytes.readUInt32BE(at)) : bytes.readBigUInt64BE(at));
  return Array.from({ length: count }, (_, i) => {
    const at = i * width * 4;
    return { kind: Number(word(at)), addr: word(at + width), size: Number(word(at + 2 * width)), align: Number(word(at + 3 * width)) };
  });
}

/** The decoded live heap equals the model: lists in order, no findings, allocations inside allocated blocks. */
export function assertViewMatchesModel(view: DecodedHeapView, model: BuddyHeap, what: string): void {
  assert.deepEqual(
    view.findings.map(f => f.message),
    [],
    `${what}: findings`,
  );
  assert.deepEqual(
    view.freeLists.map(list => list.entries.map(e => e.offset)),
    model.freeLists(),
    `${what}: free lists`,
  );
  assert.equal(view.stats.freeBytes, model.freeBytes(), `${what}: free bytes`);
  assert.equal(view.stats.unknownBytes, 0, `${what}: unknown bytes`);
  const { offsets, orders, states, count } = view.blocks;
  for (const allocation of model.liveAllocations()) {
    let index = 0;
    while (index + 1 < count && offsets[index + 1]! <= allocation.offset) index++;
    const end = offsets[index]! + view.minBlockSize * 2 ** orders[index]!;
    assert.ok(offsets[index]! <= allocation.offset && allocation.offset < end, `${what}: a block covers ${allocation.offset}`);
    assert.equal(
      states[index],
      BlockState.Allocated,
      `${what}: the block at ${offsets[index]} holding allocation ${allocation.offset} is allocated`,
    );
  }
}
