// What a refresh costs on the wire: DAP requests (by command) and bytes, for a heap found in the
// program's DWARF (address and offsets known: readMemory, plus stackTrace for the stopped-inside-
// the-allocator check and the lock flag's small read) against the same heap configured by
// expression (evaluate to locate it, then readMemory). Counted by a recording channel around the
// unit tests' fake cdt-gdb-adapter, so the numbers are the reader's own requests, deterministic,
// with no target needed. First stop (locating included) and a later stop (location cached).
import { type DapChannel } from '../../extension/dap/dapSession';
import type { HeapSpec } from '../../extension/dap/heapSpec';
import { decodeHeap } from '../../core/decoder/decode';
import { BlockState } from '../../core/decoder/blockState';
import { encodeWord } from '../../core/memory/byteImage';
import { LiveHeapReader } from '../../extension/dap/liveHeapReader';
import { DEFAULT_OWNERSHIP_SETTINGS, scanLiveOwnership } from '../../extension/dap/ownership/liveOwnership';
import { C_OFFSETS, RUST_OFFSETS, makeFixture } from '../unit/dap/heapFixture';
import type { FakeGdbSession } from '../unit/dap/fakeGdbSession';

interface Traffic {
  requests: Map<string, number>;
  /** JSON bytes of the requests' arguments and the responses' bodies: what crosses the adapter's pipe. */
  wireBytes: number;
}

/** A channel that counts every request and its JSON size both ways, then forwards it. */
class RecordingChannel implements DapChannel {
  traffic: Traffic = { requests: new Map(), wireBytes: 0 };
  constructor(private readonly inner: FakeGdbSession) {}
  get capabilities() {
    return this.inner.capabilities;
  }
  async customRequest(command: string, args?: unknown): Promise<unknown> {
    this.traffic.requests.set(command, (this.traffic.requests.get(command) ?? 0) + 1);
    this.traffic.wireBytes += JSON.stringify({ command, arguments: args ?? {} }).length;
    const body = await this.inner.customRequest(command, args);
    this.traffic.wireBytes += JSON.stringify(body ?? {}).length;
    return body;
  }
  take(): Traffic {
    const taken = this.traffic;
    this.traffic = { requests: new Map(), wireBytes: 0 };
    return taken;
  }
}

function describe(traffic: Traffic): string {
  return [...traffic.requests.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([command, count]) => `${command} ${count}`)
    .join(', ');
}

async function measureRoute(
  kind: 'c' | 'rust',
  heapSize: number,
  spec: (structAddress: bigint) => HeapSpec,
  out: Record<string, number | string>,
  label: string,
  /** Where the struct lies (by default well away from the heap). */
  at?: (heapBase: bigint) => bigint,
) {
  const { session, structAddress } = makeFixture(kind, heapSize, 'little', at);
  session.frames = [{ name: 'checkpoint' }, { name: 'main' }];
  // The Rust wrapper's spin lock sits right after the heap struct (Locked<Heap<16>>: lock at +160).
  if (kind === 'rust') session.map(structAddress + 160n, new Uint8Array(1));
  // The C wrapper's spin lock (4 bytes) just before the struct.
  if (kind === 'c' && at) session.map(structAddress - 4n, new Uint8Array(4));
  const channel = new RecordingChannel(session);
  const reader = new LiveHeapReader(channel, spec(structAddress));
  for (const stop of ['first stop', 'later stop'] as const) {
    const read = await reader.read({ threadId: 1 });
    const traffic = channel.take();
    const total = [...traffic.requests.values()].reduce((a, b) => a + b, 0);
    out[`refresh ${label}, ${stop}: requests`] = total;
    out[`refresh ${label}, ${stop}: requests by command`] = describe(traffic);
    out[`refresh ${label}, ${stop}: memory bytes read`] = read.stats.bytesRead;
    out[`refresh ${label}, ${stop}: DAP JSON bytes`] = traffic.wireBytes;
  }
}

/**
 * The ownership scan after a sparse read of the C 64 KiB heap: a static of 16 pointer words
 * (each held block's address), a 1 KiB stack and frame-0 registers. What it costs on the wire,
 * against what it may read at most: the statics' pointer words + the stack + the allocated spans.
 */
async function measureOwnershipScan(out: Record<string, number | string>): Promise<void> {
  const { session, heap } = makeFixture('c', 64 * 1024);
  session.frames = [{ name: 'checkpoint' }, { name: 'main' }];
  const statics = 0x1000_0000n;
  const held = heap.liveAllocations().slice(0, 16);
  const words = new Uint8Array(16 * 4);
  held.forEach((a, i) => words.set(encodeWord(heap.address(a.offset), 4, true), i * 4));
  session.map(statics, words);
  const stackTop = 0x3000_0400n;
  session.map(stackTop - 1024n, new Uint8Array(1024));
  session.registers = { r0: '0x0', r4: '0x0', sp: `0x${(stackTop - 1024n).toString(16)}`, pc: '0x100' };
  const read = await new LiveHeapReader(session, { kind: 'expression', expression: 'HEAP' }, { mode: 'sparse' }).read({ threadId: 1 });
  const view = decodeHeap(read.snapshot);
  const channel = new RecordingChannel(session);
  const roots = [
    {
      kind: 'static' as const,
      label: 'app::HELD',
      address: statics,
      size: words.length,
      slots: held.map((_, i) => ({ offset: i * 4, path: `[${i}]` })),
    },
  ];
  const started = process.cpuUsage();
  const scan = await scanLiveOwnership(channel, { roots, stackTop }, read, view, { threadId: 1 }, DEFAULT_OWNERSHIP_SETTINGS);
  const cpu = process.cpuUsage(started);
  const traffic = channel.take();
  let allocatedBytes = 0;
  for (let i = 0; i < view.blocks.count; i++)
    if (view.blocks.states[i] === BlockState.Allocated) allocatedBytes += view.minBlockSize * 2 ** view.blocks.orders[i]!;
  const label = 'ownership scan, C 64 KiB after a sparse read';
  out[`${label}: requests`] = [...traffic.requests.values()].reduce((a, b) => a + b, 0);
  out[`${label}: requests by command`] = describe(traffic);
  out[`${label}: memory bytes read`] = scan.stats.bytesRead;
  out[`${label}: most it may read (pointer words + stack + allocated spans)`] = words.length + 1024 + allocatedBytes;
  out[`${label}: CPU ms (reads and scan)`] = (cpu.user + cpu.system) / 1000;
  out[`${label}: blocks owned / leak suspects`] =
    `${scan.result.blockCount - scan.result.leakSummary().count} / ${scan.result.leakSummary().count}`;
}

export async function benchRefreshRequests(): Promise<Record<string, number | string>> {
  const out: Record<string, number | string> = {};
  await measureOwnershipScan(out);
  const c64k = 64 * 1024;
  await measureRoute('c', c64k, () => ({ kind: 'expression', expression: 'HEAP' }), out, 'C 64 KiB by expression');
  await measureRoute(
    'c',
    c64k,
    address => ({
      kind: 'discovered',
      path: 'HEAP',
      address,
      offsets: C_OFFSETS,
      orders: 12,
      pointerWidth: 4,
      endianness: 'little',
      log2Bytes: 1,
      program: 'fw.elf',
    }),
    out,
    'C 64 KiB by DWARF location',
  );
  // A static Heap<7> right before its static 2 KiB arena, in a wrapper whose spin lock precedes it:
  // from the second stop on, lock flag, struct and heap come in one readMemory.
  await measureRoute(
    'c',
    2048,
    address => ({
      kind: 'discovered',
      path: 'LOCKED.heap',
      address,
      offsets: C_OFFSETS,
      orders: 7,
      pointerWidth: 4,
      endianness: 'little',
      log2Bytes: 1,
      program: 'fw.elf',
      lock: { path: 'LOCKED.lock.held', offset: -4, size: 4 },
    }),
    out,
    'C 2 KiB next to its struct, by DWARF location (with its lock flag)',
    heapBase => heapBase - 64n,
  );
  const rust1m = 1 << 20;
  await measureRoute(
    'rust',
    rust1m,
    () => ({ kind: 'expression', expression: 'prog::ALLOCATOR.inner.value' }),
    out,
    'Rust 1 MiB by expression',
  );
  await measureRoute(
    'rust',
    rust1m,
    address => ({
      kind: 'discovered',
      path: 'prog::ALLOCATOR.inner.value',
      address,
      offsets: RUST_OFFSETS,
      orders: 16,
      pointerWidth: 8,
      endianness: 'little',
      log2Bytes: 1,
      program: 'prog',
      lock: { path: 'prog::ALLOCATOR.lock.v.value', offset: 160, size: 1 },
    }),
    out,
    'Rust 1 MiB by DWARF location (with its lock flag)',
  );
  return out;
}
