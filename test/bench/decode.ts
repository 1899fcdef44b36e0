// Decode speed on a 1M-leaf heap (16 MiB, 16-byte minimum blocks, N = 21) in two shapes:
// fragmented (every other leaf allocated: 512K free blocks on one list) and sparse (a few thousand
// allocations of mixed sizes, half of them freed again). Reports the median decode time of each,
// and the fastest run too: on a shared machine the median moves with other processes' load, the
// minimum much less.
import { decodeHeap } from '../../core/decoder/decode';
import type { DecodedHeapView, HeapSnapshot } from '../../core/decoder/types';
import type { HeapLayout } from '../../core/layout';
import { BuddyHeap } from '../../core/model/buddyHeap';
import { Random } from '../support/random';

const LAYOUT: HeapLayout = { base: 0x2000_0000n, size: 16n << 20n, orders: 21, pointerWidth: 4, endianness: 'little' };
const WARMUP_RUNS = 2;
const MEASURED_RUNS = 9;

export async function benchDecode(): Promise<Record<string, number>> {
  const fragmented = snapshotOf(fragmentedHeap());
  const sparse = snapshotOf(sparseHeap());
  const results: Record<string, number> = {};
  for (const [name, snapshot, touchEntries] of [
    ['decode 16 MiB fragmented (512K free blocks)', fragmented, false],
    ['decode 16 MiB fragmented + build the 512K entry objects', fragmented, true],
    ['decode 16 MiB sparse', sparse, false],
  ] as const) {
    const times = decodeTimes(snapshot, touchEntries);
    results[`${name}, median ms`] = round(times[times.length >> 1]!);
    results[`${name}, min ms`] = round(times[0]!);
  }
  return results;
}

function newHeap(): BuddyHeap {
  const created = BuddyHeap.create(LAYOUT);
  if (!created.ok) throw new Error(`bench layout rejected: ${created.error}`);
  return created.heap;
}

function fragmentedHeap(): BuddyHeap {
  const heap = newHeap();
  const leaves = heap.leaves;
  for (let i = 0; i < leaves; i++) {
    if (!heap.allocate(16, 16).ok) throw new Error('bench heap filled early');
  }
  for (let leaf = 0; leaf < leaves; leaf += 2) {
    if (!heap.deallocate(leaf * 16, 16, 16).ok) throw new Error('bench free failed');
  }
  return heap;
}

function sparseHeap(): BuddyHeap {
  const heap = newHeap();
  const random = mulberry32(0x5eed);
  const live: { offset: number; size: number }[] = [];
  for (let i = 0; i < 4000; i++) {
    const size = 16 * 2 ** Math.floor(random() * 10);
    const result = heap.allocate(size, 16);
    if (result.ok) live.push({ offset: result.offset, size });
  }
  for (const block of live) {
    if (random() < 0.5 && !heap.deallocate(block.offset, block.size, 16).ok) throw new Error('bench free failed');
  }
  return heap;
}

function snapshotOf(heap: BuddyHeap): HeapSnapshot {
  return { fields: heap.structFields(), pointerWidth: heap.layout.pointerWidth, endianness: heap.layout.endianness, memory: heap.image };
}

/** Measured decode times, fastest first. */
function decodeTimes(snapshot: HeapSnapshot, touchEntries: boolean): number[] {
  const times: number[] = [];
  for (let run = 0; run < WARMUP_RUNS + MEASURED_RUNS; run++) {
    const started = performance.now();
    const view = decodeHeap(snapshot);
    if (touchEntries) touchAllEntries(view);
    const elapsed = performance.now() - started;
    if (view.findings.length > 0) throw new Error(`bench heap decoded with findings: ${view.findings[0]?.message}`);
    if (run >= WARMUP_RUNS) times.push(elapsed);
  }
  return times.sort((a, b) => a - b);
}

function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}

function touchAllEntries(view: DecodedHeapView): void {
  let count = 0;
  for (const list of view.freeLists) count += list.entries.length;
  if (count === 0) throw new Error('no free list entries');
}

/** Seeded uniform numbers in [0, 1), the same on every run. */
function mulberry32(seed: number): () => number {
  const random = new Random(seed);
  return () => random.next();
}

if (require.main === module) {
  void benchDecode().then(results => {
    for (const [name, ms] of Object.entries(results)) console.log(`${name}: ${ms}`);
  });
}
