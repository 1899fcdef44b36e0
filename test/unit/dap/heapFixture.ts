// A model heap with some history, laid out in fake target memory the way a C or Rust build would
// store it: the struct at its address (fields at the given offsets) and the heap region's bytes.
import { encodeWord } from '../../../core/memory/byteImage';
import { BuddyHeap } from '../../../core/model/buddyHeap';
import type { DiscoveredHeapSpec, FieldOffsets } from '../../../extension/dap/heapSpec';
import { FakeGdbSession } from './fakeGdbSession';

export const C_OFFSETS: FieldOffsets = { heapBase: 0, heapSize: 4, freeLists: 8, minBlockSize: 56, minBlockSizeLog2: 60 };
export const RUST_OFFSETS: FieldOffsets = { freeLists: 0, heapBase: 128, heapSize: 136, minBlockSize: 144, minBlockSizeLog2: 152 };

export interface Fixture {
  readonly heap: BuddyHeap;
  readonly session: FakeGdbSession;
  readonly structAddress: bigint;
}

/** Allocates, frees every other block (so several lists are non-empty), and maps it all in the given byte order. */
export function makeFixture(
  kind: 'c' | 'rust',
  heapSize = 64 * 1024,
  endianness: 'little' | 'big' = 'little',
  /** Where the struct lies; by default well away from the heap region. */
  at?: (heapBase: bigint) => bigint,
): Fixture {
  const width = kind === 'c' ? 4 : 8;
  // A small C heap keeps 32-byte minimum blocks, as the firmware's 4 KiB variant does (Heap<8>).
  const orders = kind === 'c' ? Math.min(12, Math.log2(heapSize) - 4) : 16;
  const base = kind === 'c' ? 0x2000_1000n : 0x5555_556a_f000n;
  const offsets = kind === 'c' ? C_OFFSETS : RUST_OFFSETS;
  const created = BuddyHeap.create({ base, size: BigInt(heapSize), orders, pointerWidth: width, endianness });
  if (!created.ok) throw new Error(created.error);
  const heap = created.heap;
  const offsetsTaken: number[] = [];
  for (let i = 0; i < 12; i++) {
    const got = heap.allocate(24 + i * 40, 8);
    if (got.ok) offsetsTaken.push(got.offset);
  }
  offsetsTaken.forEach((offset, i) => {
    if (i % 2 === 0) heap.deallocate(offset, 24 + i * 40, 8);
  });
  const structAddress = at ? at(base) : kind === 'c' ? 0x2000_0004n : 0x5555_556b_0008n;
  const fields = heap.structFields();
  const span = kind === 'c' ? 64 : 160;
  const struct = new Uint8Array(span);
  const put = (at: number, value: bigint) => struct.set(encodeWord(value, width, endianness === 'little'), at);
  put(offsets.heapBase, fields.heapBase);
  put(offsets.heapSize, fields.heapSize);
  fields.freeLists.forEach((head, k) => put(offsets.freeLists + k * width, head));
  put(offsets.minBlockSize, fields.minBlockSize);
  struct[offsets.minBlockSizeLog2] = fields.minBlockSizeLog2;
  const session = new FakeGdbSession({
    expression: kind === 'c' ? 'HEAP' : 'prog::ALLOCATOR.inner.value',
    address: structAddress,
    offsets,
    orders,
    pointerWidth: width,
    typeName: kind === 'c' ? 'Heap' : `prog::Heap<${orders}>`,
    endianness,
  });
  session.map(structAddress, struct);
  // Allocated bytes are filled with a pattern so a reader that skips them cannot pass by luck.
  const bytes = heap.image.read(0, heapSize) ?? new Uint8Array(heapSize);
  for (const a of heap.liveAllocations()) bytes.fill(0xcc, a.offset, a.offset + heap.orderSize(a.order));
  session.map(base, bytes);
  return { heap, session, structAddress };
}

/** The C firmware's HEAP as found in its DWARF, at a fixture's struct. */
export function cFirmwareHeap(structAddress: bigint, overrides: Partial<DiscoveredHeapSpec> = {}): DiscoveredHeapSpec {
  return {
    kind: 'discovered',
    path: 'HEAP',
    address: structAddress,
    offsets: C_OFFSETS,
    orders: 12,
    pointerWidth: 4,
    endianness: 'little',
    log2Bytes: 1,
    program: '/w/fw.elf',
    ...overrides,
  };
}
