// What a refresh costs on the wire: DAP requests (by command) and bytes, for a heap found in the
// program's DWARF (address and offsets known: readMemory, plus stackTrace for the stopped-inside-
// the-allocator check and the lock flag's small read) against the same heap configured by
// expression (evaluate to locate it, then readMemory). Counted by a recording channel around the
// unit tests' fake cdt-gdb-adapter, so the numbers are the reader's own requests, deterministic,
// with no target needed. First stop (locating included) and a later stop (location cached).
import { type DapChannel } from '../../extension/dap/dapSession';
import type { HeapSpec } from '../../extension/dap/heapSpec';
import { LiveHeapReader } from '../../extension/dap/liveHeapReader';
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
) {
  const { session, structAddress } = makeFixture(kind, heapSize);
  session.frames = [{ name: 'checkpoint' }, { name: 'main' }];
  // The Rust wrapper's spin lock sits right after the heap struct (Locked<Heap<16>>: lock at +160).
  if (kind === 'rust') session.map(structAddress + 160n, new Uint8Array(1));
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

export async function benchRefreshRequests(): Promise<Record<string, number | string>> {
  const out: Record<string, number | string> = {};
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
