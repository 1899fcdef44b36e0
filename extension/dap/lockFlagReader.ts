// Reads the lock flag of a discovered heap's wrapper (Rust `Locked`'s `lock.v.value`, std's
// `Mutex` futex word, a C `spin_lock.held`): non-zero means the lock is held, so the target may
// have stopped in the middle of a change to the free lists. One readMemory of 1–8 bytes; an
// unreadable flag says nothing (undefined) rather than failing the heap's read.
import { readMemory } from './dapSession';
import type { DiscoveredHeapSpec } from './heapSpec';
import { readablePart } from './readableBytes';
import type { ReadStats } from './readStats';

export interface LockState {
  /** The flag's path (`prog::ALLOCATOR.lock.v.value`). */
  readonly path: string;
  readonly held: boolean;
}

export async function readLockFlag(
  session: Parameters<typeof readMemory>[0],
  source: DiscoveredHeapSpec,
  stats: ReadStats,
  signal?: AbortSignal,
): Promise<LockState | undefined> {
  const lock = source.lock;
  if (!lock) return undefined;
  const address = BigInt.asUintN(source.pointerWidth * 8, source.address + BigInt(lock.offset));
  stats.readMemoryRequests++;
  stats.bytesRequested += lock.size;
  try {
    const readable = readablePart(await readMemory(session, address, lock.size, stats, signal), address, lock.size);
    stats.bytesRead += readable.data.length;
    if (readable.address !== address || readable.data.length < lock.size) return undefined;
    // Any byte order: a flag is held exactly when one of its bytes is not zero.
    return { path: lock.path, held: readable.data.some(byte => byte !== 0) };
  } catch {
    return undefined;
  }
}
