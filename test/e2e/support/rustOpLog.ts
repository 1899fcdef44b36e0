// The native Rust program's own record of every alloc/dealloc its global allocator served
// (prog::OP_LOG: prog::OP_COUNT entries of four u64 words), read through whichever debugger
// connection a test holds (a DAP client of its own, or a session in the extension host), and the
// heap that record replays to on the model: the truth a live read of the program is checked against.
import type { HeapLayout } from '../../../core/layout';
import type { BuddyHeap } from '../../../core/model/buddyHeap';
import { RUST_HEAP } from './buildTargets';
import { type LogEntry, parseLog, replayLog } from './heapModel';

/** How a test reads the stopped program: an expression's number, and bytes at an address. */
export interface ProgramMemory {
  number(expression: string): Promise<bigint>;
  bytes(address: bigint, count: number): Promise<Buffer>;
}

/** kind, addr, size, align: four 64-bit words. */
const ENTRY_BYTES = 32;

/** OP_LOG's first `maxEntries` entries (all OP_COUNT of them by default). */
export async function readRustOpLog(memory: ProgramMemory, maxEntries = Number.POSITIVE_INFINITY): Promise<LogEntry[]> {
  const count = Math.min(Number(await memory.number('prog::OP_COUNT')), maxEntries);
  if (count === 0) return [];
  return parseLog(await memory.bytes(await memory.number('&prog::OP_LOG'), count * ENTRY_BYTES), count, 8);
}

/** The Rust program's heap, Heap<16> over 1 MiB on 64-bit little-endian x86-64, its arena at `base`. */
export function rustHeapLayout(base: bigint): HeapLayout {
  return { base, size: BigInt(RUST_HEAP.heapSize), orders: RUST_HEAP.orders, pointerWidth: 8, endianness: 'little' };
}

/** The heap the program's OP_LOG replays to, its arena at `base` (the decoded view's heapBase). */
export async function rustProgramModel(memory: ProgramMemory, base: bigint): Promise<BuddyHeap> {
  return replayLog(rustHeapLayout(base), await readRustOpLog(memory));
}
