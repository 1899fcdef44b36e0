// A read snapshot file's steps as what the decoder takes: a live stop's struct fields and bytes
// (unread bytes unknown, never zero), or a simulation replayed to a step through the model.
import { decodeHeap } from '../decoder/decode';
import type { DecodedHeapView, HeapSnapshot } from '../decoder/types';
import { ByteImage } from '../memory/byteImage';
import { BuddyHeap } from '../model/buddyHeap';
import type { OwnershipResult } from '../ownership/ownershipResult';
import { scanOwnership } from '../ownership/scanOwnership';
import { SegmentedMemory } from '../ownership/segmentedMemory';
import { type LiveSnapshotFile, type SimulatedSnapshotFile, type SnapshotFile, type SnapshotOperation, stepCount } from './format';

export function liveStepSnapshot(file: LiveSnapshotFile, step: number): HeapSnapshot {
  const stop = file.stops[step];
  if (!stop) throw new RangeError(`no step ${step}: the snapshot has ${file.stops.length}`);
  const memory = new ByteImage(stop.imageSize, { pointerWidth: file.pointerWidth, endianness: file.endianness, unknownUntilWritten: true });
  for (const [offset, bytes] of stop.memory) memory.write(offset, bytes);
  return { fields: stop.fields, pointerWidth: file.pointerWidth, endianness: file.endianness, memory };
}

/** Applies one simulated operation as the simulation did; a refused one leaves the heap as it was. */
export function applyOperation(heap: BuddyHeap, op: SnapshotOperation): void {
  if (op.kind === 'alloc') heap.allocate(op.size, op.align, op.owner);
  else heap.deallocateAt(op.address, op.size, op.align);
}

/** The simulated heap after the first `step` operations. */
export function simulatedHeapAt(file: SimulatedSnapshotFile, step: number): BuddyHeap {
  if (!Number.isInteger(step) || step < 0 || step > file.operations.length)
    throw new RangeError(`no step ${step}: the snapshot has ${file.operations.length + 1}`);
  const created = BuddyHeap.create(file.layout);
  // The reader validated the layout, so the model accepts it.
  if (!created.ok) throw new Error(`layout refused: ${created.error}`);
  for (let i = 0; i < step; i++) applyOperation(created.heap, file.operations[i]!);
  return created.heap;
}

/** The decoded heap at one step of a snapshot file. */
export function viewAtStep(file: SnapshotFile, step: number): DecodedHeapView {
  if (file.kind === 'live') return decodeHeap(liveStepSnapshot(file, step));
  const heap = simulatedHeapAt(file, step);
  return decodeHeap({
    fields: heap.structFields(),
    pointerWidth: heap.layout.pointerWidth,
    endianness: heap.layout.endianness,
    memory: heap.image,
  });
}

/** "a step number" parsed against a file: the shown step when absent. */
export function resolveStep(file: SnapshotFile, step: number | undefined): number {
  const total = stepCount(file);
  const chosen = step ?? file.shownStep;
  if (!Number.isInteger(chosen) || chosen < 0 || chosen >= total)
    throw new RangeError(`step ${chosen} does not exist: the snapshot has steps 0 to ${total - 1}`);
  return chosen;
}

/**
 * A live stop's ownership scan again, from the roots and bytes it read then (saved with the stop);
 * undefined when no scan ran there or the heap was not decodable.
 */
export function stopOwnership(file: LiveSnapshotFile, step: number, view: DecodedHeapView): OwnershipResult | undefined {
  const inputs = file.stops[step]?.ownership;
  if (!inputs || view.blocks.count === 0) return undefined;
  const format = { pointerWidth: file.pointerWidth, endianness: file.endianness };
  const segments = inputs.rootMemory.map(([address, bytes]) => {
    const image = new ByteImage(bytes.length, format);
    image.write(0, bytes);
    return { address, image };
  });
  return scanOwnership({
    heap: view,
    heapMemory: liveStepSnapshot(file, step).memory,
    roots: inputs.roots,
    rootMemory: new SegmentedMemory(segments),
    heapStruct: inputs.heapStruct,
  });
}
