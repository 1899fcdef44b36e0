// Random traces that exercise the allocator the way the differential test and the benchmark need:
// sizes from 0 to beyond the heap, power-of-two alignments up to past MIN_HEAP_ALIGN, and frees of
// real allocations in random order. Frees are chosen from the model's own answers, so a trace is
// only ever valid for an allocator that agrees with the model (a disagreement shows up earlier as
// a different address).
import { BuddyHeap } from '../../core/model/buddyHeap';
import type { HeapLayout, PointerWidth } from '../../core/layout';
import { Random } from './random';

export interface TraceLayout {
  readonly size: bigint;
  readonly orders: number;
  readonly base: bigint;
  readonly pointerWidth: PointerWidth;
}

export interface RandomTraceOptions {
  readonly ops: number;
  /** Probability of a dump after each operation. */
  readonly dumpRate: number;
  /** Probability that an operation is a free (when something is allocated). */
  readonly freeRate: number;
}

export interface GeneratedTrace {
  /** Our trace format. */
  readonly trace: string[];
  /** The reference oracle's line protocol, operation for operation (offsets relative to the base). */
  readonly reference: string[];
}

const ALIGNS = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048, 4096, 8192];

export function randomLayout(random: Random, pointerWidth: PointerWidth): TraceLayout {
  const orders = random.int(1, 20);
  let size: bigint;
  const shape = random.next();
  if (shape < 0.08)
    size = BigInt(random.int(1, 1 << 16)); // usually not a power of two
  else if (shape < 0.14)
    size = BigInt(1 << random.int(0, 6)); // tiny: often MinBlockTooSmall
  else size = 1n << BigInt(random.int(Math.max(3, orders + 2), Math.min(22, orders + 12)));
  const base =
    pointerWidth === 8 && random.chance(0.3)
      ? 0xffff_8000_0000_0000n + BigInt(random.int(0, 1 << 20)) * 4096n
      : 0x2000_0000n + BigInt(random.int(0, 1 << 12)) * 4096n;
  return { size, orders, base, pointerWidth };
}

/** A size that is anything from 0 to a few times the heap, biased toward small requests. */
function randomSize(random: Random, heapSize: bigint): bigint {
  const r = random.next();
  if (r < 0.05) return 0n;
  if (r < 0.6) return BigInt(random.int(1, 64));
  const limit = Number(heapSize < 1n << 40n ? heapSize : 1n << 40n) * 2;
  if (r < 0.95) return BigInt(Math.floor(random.next() ** 4 * limit));
  return BigInt(random.int(1, 8)) * BigInt(limit);
}

export function generateTrace(random: Random, layout: TraceLayout, options: RandomTraceOptions): GeneratedTrace {
  const trace = [`heap ${layout.size} orders=${layout.orders} base=0x${layout.base.toString(16)} ptr=${layout.pointerWidth}`];
  const reference = [`heap ${layout.orders} ${layout.size}`];
  const heapLayout: HeapLayout = {
    base: layout.base,
    size: layout.size,
    orders: layout.orders,
    pointerWidth: layout.pointerWidth,
    endianness: 'little',
  };
  const created = BuddyHeap.create(heapLayout);
  const live: { offset: number; size: bigint; align: bigint }[] = [];
  for (let i = 0; i < options.ops; i++) {
    if (created.ok && live.length > 0 && random.chance(options.freeRate)) {
      const [block] = live.splice(random.int(0, live.length - 1), 1);
      created.heap.deallocate(block!.offset, block!.size, block!.align);
      trace.push(`free 0x${(layout.base + BigInt(block!.offset)).toString(16)} ${block!.size} ${block!.align}`);
      reference.push(`free ${block!.offset} ${block!.size} ${block!.align}`);
    } else {
      const size = randomSize(random, layout.size);
      const align = BigInt(random.pick(ALIGNS));
      trace.push(`alloc ${size} ${align}`);
      reference.push(`alloc ${size} ${align}`);
      if (created.ok) {
        const result = created.heap.allocate(size, align);
        if (result.ok) live.push({ offset: result.offset, size, align });
      }
    }
    if (random.chance(options.dumpRate)) {
      trace.push('dump');
      reference.push('dump');
    }
  }
  trace.push('dump');
  reference.push('dump');
  return { trace, reference };
}
