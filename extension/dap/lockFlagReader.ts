// Reads the lock flag of a discovered heap's wrapper (Rust `Locked`'s `lock.v.value`, std's
// `Mutex` futex word, a C `spin_lock.held`): non-zero means the lock is held, so the target may
// have stopped in the middle of a change to the free lists. Usually it comes with the struct's
// own read (structWithHeap.ts); otherwise one readMemory of 1–8 bytes. An unreadable flag says
// nothing (undefined) rather than failing the heap's read.
import { readMemory } from './dapSession';
import type { DiscoveredHeapSpec } from './heapSpec';
import { readablePart } from './readableBytes';
import type { ReadStats } from './readStats';

export interface LockState {
  /** The flag's path (`prog::ALLOCATOR.lock.v.value`). */
  readonly path: string;
  readonly held: boolean;
}

/** Where the flag's bytes are in the running program. */
export function lockFlagBytes(source: DiscoveredHeapSpec): { address: bigint; size: number } | undefined {
  const lock = source.lock;
  if (!lock) return undefined;
  return { address: BigInt.asUintN(source.pointerWidth * 8, source.address + BigInt(lock.offset)), size: lock.size };
}

/** The flag's state from its bytes. */
export function lockStateOf(source: DiscoveredHeapSpec, bytes: Uint8Array): LockState | undefined {
  // Any byte order: a flag is held exactly when one of its bytes is not zero.
  return source.lock ? { path: source.lock.path, held: bytes.some(byte => byte !== 0) } : undefined;
}

export async function readLockFlag(
  session: Parameters<typeof readMemory>[0],
  source: DiscoveredHeapSpec,
  stats: ReadStats,
  signal?: AbortSignal,
): Promise<LockState | undefined> {
  const where = lockFlagBytes(source);
  if (!where) return undefined;
  const { address, size } = where;
  stats.readMemoryRequests++;
  stats.bytesRequested += size;
  try {
    const readable = readablePart(await readMemory(session, address, size, stats, signal), address, size);
    stats.bytesRead += readable.data.length;
    if (readable.address !== address || readable.data.length < size) return undefined;
    return lockStateOf(source, readable.data);
  } catch {
    return undefined;
  }
}
