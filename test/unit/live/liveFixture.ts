// A C heap in fake target memory that the test can change between stops: after each model
// operation, remap() lays the struct and heap bytes out again, as the firmware's writes would.
import { encodeWord } from '../../../core/memory/byteImage';
import { BuddyHeap } from '../../../core/model/buddyHeap';
import { LiveHeapReader } from '../../../extension/dap/liveHeapReader';
import { FakeGdbSession } from '../dap/fakeGdbSession';
import { C_OFFSETS } from '../dap/heapFixture';
import { LiveHeapSource, type OwnershipScanner } from '../../../extension/live/liveHeapSource';
import { eventFromAdapter, eventFromClient } from '../../../extension/dap/sessionEvents';

export const STRUCT_ADDRESS = 0x2000_0004n;
export const HEAP_BASE = 0x2000_1000n;

export interface LiveFixture {
  readonly heap: BuddyHeap;
  readonly session: FakeGdbSession;
  readonly source: LiveHeapSource;
  readonly logs: string[];
  remap(): void;
}

export function liveFixture(size = 64 * 1024, readMode: 'full' | 'sparse' = 'full', ownership?: OwnershipScanner): LiveFixture {
  const created = BuddyHeap.create({ base: HEAP_BASE, size: BigInt(size), orders: 12, pointerWidth: 4, endianness: 'little' });
  if (!created.ok) throw new Error(created.error);
  const heap = created.heap;
  const session = new FakeGdbSession({
    expression: 'HEAP',
    address: STRUCT_ADDRESS,
    offsets: C_OFFSETS,
    orders: 12,
    pointerWidth: 4,
    typeName: 'Heap',
  });
  const remap = () => {
    session.regions.length = 0;
    const fields = heap.structFields();
    const struct = new Uint8Array(64);
    const put = (at: number, value: bigint) => struct.set(encodeWord(value, 4, true), at);
    put(C_OFFSETS.heapBase, fields.heapBase);
    put(C_OFFSETS.heapSize, fields.heapSize);
    fields.freeLists.forEach((head, k) => put(C_OFFSETS.freeLists + k * 4, head));
    put(C_OFFSETS.minBlockSize, fields.minBlockSize);
    struct[C_OFFSETS.minBlockSizeLog2] = fields.minBlockSizeLog2;
    session.map(STRUCT_ADDRESS, struct);
    session.map(HEAP_BASE, heap.image.read(0, size) ?? new Uint8Array(size));
  };
  remap();
  const logs: string[] = [];
  const reader = new LiveHeapReader(session, { kind: 'expression', expression: 'HEAP' }, { mode: readMode });
  const source = new LiveHeapSource({
    sessionId: 's1',
    sessionName: 'fw (QEMU)',
    heapName: 'HEAP',
    reader,
    log: m => logs.push(m),
    ...(ownership ? { ownership } : {}),
  });
  return { heap, session, source, logs, remap };
}

export const stopped = (threadId = 1) => ({
  type: 'event',
  event: 'stopped',
  body: { reason: 'function breakpoint', threadId, allThreadsStopped: true },
});
export const continued = { type: 'event', event: 'continued', body: { threadId: 1, allThreadsContinued: true } };
export const terminated = { type: 'event', event: 'terminated', body: {} };

/** The product's path for a message the adapter sends: the session tracker's parser, then the source. */
export function adapterSends(source: LiveHeapSource, message: unknown): void {
  const event = eventFromAdapter(message);
  if (event) source.handle(event);
}

/** The product's path for a request VS Code sends the adapter (continue, step, …). */
export function clientSends(source: LiveHeapSource, message: unknown): void {
  const event = eventFromClient(message);
  if (event) source.handle(event);
}
