// Snapshot files made from the model: a live stop is what a sparse read of a model heap would keep
// (the struct, and each free block's next word); a simulation is its layout and operations.
import * as assert from 'node:assert/strict';
import type { HeapLayout } from '../../../core/layout';
import { ByteImage } from '../../../core/memory/byteImage';
import { BuddyHeap } from '../../../core/model/buddyHeap';
import type { LiveSnapshotFile, SimulatedSnapshotFile, SnapshotOperation, SnapshotStop } from '../../../core/snapshot/format';
import { applyOperation } from '../../../core/snapshot/snapshotSteps';

export const LAYOUT: HeapLayout = { base: 0x2000_1000n, size: 0x1_0000n, orders: 12, pointerWidth: 4, endianness: 'little' };

export const OPERATIONS: readonly SnapshotOperation[] = [
  { kind: 'alloc', size: 100n, align: 8n, owner: 'uart_rx' },
  { kind: 'alloc', size: 32n, align: 32n },
  { kind: 'alloc', size: 4096n, align: 4096n, owner: 'dma' },
  { kind: 'free', address: 0x2000_1000n, size: 100n, align: 8n },
  // Refused (never allocated): a simulation records it too.
  { kind: 'free', address: 0x2000_1800n, size: 16n, align: 8n },
];

export function simulatedFile(shownStep = OPERATIONS.length): SimulatedSnapshotFile {
  return {
    kind: 'simulated',
    name: 'Simulated heap',
    savedAt: '2026-12-05T15:00:00.000Z',
    shownStep,
    layout: LAYOUT,
    operations: OPERATIONS,
  };
}

/** A sparse read of `heap`: only the words of free blocks (what the live reader fetches in sparse mode). */
export function sparseStop(heap: BuddyHeap, text: string, time: string): SnapshotStop {
  const image = new ByteImage(heap.size, { pointerWidth: 4, endianness: 'little', unknownUntilWritten: true });
  const fields = heap.structFields();
  for (let order = 0; order < fields.freeLists.length; order++) {
    let at = fields.freeLists[order]!;
    // Every free block's next word; the top order's is never read.
    for (let guard = 0; at !== 0n && order < fields.freeLists.length - 1 && guard < 10_000; guard++) {
      const offset = Number(at - heap.layout.base);
      const bytes = heap.image.read(offset, 4);
      assert.ok(bytes);
      image.write(offset, bytes);
      at = heap.image.readWord(offset)!;
    }
  }
  return {
    text,
    reason: 'breakpoint',
    time,
    frame: { id: 1000, name: 'main' },
    fields,
    imageSize: heap.size,
    memory: image.knownRanges().map(([offset, length]) => [offset, image.read(offset, length)!] as const),
  };
}

export function liveFile(): LiveSnapshotFile {
  const created = BuddyHeap.create(LAYOUT);
  assert.ok(created.ok);
  const heap = created.heap;
  const stops: SnapshotStop[] = [];
  OPERATIONS.forEach((op, i) => {
    applyOperation(heap, op);
    stops.push(sparseStop(heap, `stop ${i + 1}: breakpoint`, `2026-12-05T15:00:0${i}.000Z`));
  });
  // The last stop carries an ownership scan's inputs (a static holding a block, a stack, a register).
  const last = stops[stops.length - 1]!;
  const held = heap.liveAllocations()[0];
  const word = new Uint8Array(4);
  if (held) new DataView(word.buffer).setUint32(0, Number(heap.address(held.offset)), true);
  stops[stops.length - 1] = {
    ...last,
    ownership: {
      heapStruct: { address: 0x2000_0004n, size: 64 },
      roots: [
        {
          kind: 'static',
          label: 'app::HELD',
          address: 0x1000_0000n,
          size: 4,
          slots: [{ offset: 0, path: 'ptr', fat: { lengthOffset: 0, elementSize: 1 } }],
        },
        { kind: 'stack', label: 'thread 1 stack', address: 0x2040_0000n - 16n, size: 16 },
        { kind: 'register', label: 'thread 1 r4', value: 0x2000_1040n },
      ],
      rootMemory: [
        [0x1000_0000n, word],
        [0x2040_0000n - 16n, new Uint8Array(16)],
      ],
    },
  };
  return {
    kind: 'live',
    name: 'kheap',
    savedAt: '2026-12-05T15:01:00.000Z',
    program: { path: '/fw/build/fw.elf', buildId: 'a1b2c3' },
    shownStep: 2,
    pointerWidth: 4,
    endianness: 'little',
    stops,
  };
}
