// Trace shapes for the replay bench beyond the random 1M-op trace: an allocator in steady state
// (what a long-running program does to its heap) and a free list grown long on purpose (where the
// crate's linear free_list_remove walks the whole list on every merge). Frees name the model's own
// answers, so a trace is valid only for an allocator that agrees with the model.
import { BuddyHeap } from '../../core/model/buddyHeap';
import type { HeapLayout } from '../../core/layout';
import { Random } from '../support/random';
import type { GeneratedTrace } from '../support/randomTrace';

/** Bump when a shape changes: the bench keeps generated traces under this version. */
export const SHAPES_VERSION = 2;

interface Live {
  readonly offset: number;
  readonly size: bigint;
  readonly align: bigint;
}

/** Writes our trace and the reference's protocol side by side, replaying on the model as it goes. */
class TraceWriter {
  readonly trace: string[];
  readonly reference: string[];
  readonly heap: BuddyHeap;

  constructor(private readonly layout: HeapLayout) {
    this.trace = [`heap ${layout.size} orders=${layout.orders} base=0x${layout.base.toString(16)} ptr=${layout.pointerWidth}`];
    this.reference = [`heap ${layout.orders} ${layout.size}`];
    const created = BuddyHeap.create(layout);
    if (!created.ok) throw new Error(`bench heap: ${created.error}`);
    this.heap = created.heap;
  }

  allocate(size: bigint, align: bigint): Live | undefined {
    this.trace.push(`alloc ${size} ${align}`);
    this.reference.push(`alloc ${size} ${align}`);
    const result = this.heap.allocate(size, align);
    return result.ok ? { offset: result.offset, size, align } : undefined;
  }

  free(block: Live): void {
    this.heap.deallocate(block.offset, block.size, block.align);
    this.trace.push(`free 0x${(this.layout.base + BigInt(block.offset)).toString(16)} ${block.size} ${block.align}`);
    this.reference.push(`free ${block.offset} ${block.size} ${block.align}`);
  }

  done(): GeneratedTrace {
    this.trace.push('dump');
    this.reference.push('dump');
    return { trace: this.trace, reference: this.reference };
  }
}

/**
 * 1 MiB heap, N = 16 (32-byte minimum blocks), 8-byte pointers; sizes 8 to 4,096, alignments 1 to
 * 16 (sizes log-uniform, so small ones dominate); up to `liveTarget` live blocks: the chance to
 * free grows with the live count, so it hovers there, and after a failed allocation (a full heap)
 * the next operation frees.
 */
export function steadyStateTrace(ops: number, liveTarget = 3000, seed = 16): GeneratedTrace {
  const random = new Random(seed);
  const writer = new TraceWriter({ base: 0x2000_0000n, size: 1n << 20n, orders: 16, pointerWidth: 8, endianness: 'little' });
  const live: Live[] = [];
  const aligns = [1n, 2n, 4n, 8n, 16n];
  let full = false;
  for (let i = 0; i < ops; i++) {
    if (live.length > 0 && (full || live.length >= liveTarget || random.chance(live.length / (2 * liveTarget)))) {
      full = false;
      // Swap-remove: the freed block is random, the list stays O(1) to update.
      const at = random.int(0, live.length - 1);
      const block = live[at]!;
      live[at] = live[live.length - 1]!;
      live.pop();
      writer.free(block);
    } else {
      // Log-uniform sizes: small requests are the common ones, as in real programs.
      const block = writer.allocate(BigInt(Math.floor(8 * 512 ** random.next())), random.pick(aligns));
      if (block) live.push(block);
      else full = true;
    }
  }
  return writer.done();
}

/**
 * Every minimum block allocated, the even ones freed in address order (an order-0 free list of
 * half the heap's blocks, the first freed at its tail), then the odd ones in address order: each
 * free's buddy sits at the far end of that list, so the crate walks it whole before merging. A
 * round is 2 × blocks operations; `rounds` of them.
 */
export function longFreeListTrace(blocks: number, rounds: number): GeneratedTrace {
  const orders = Math.log2(blocks) + 1;
  if (!Number.isInteger(orders)) throw new Error(`longFreeListTrace: ${blocks} blocks is not a power of two`);
  const writer = new TraceWriter({ base: 0x4000_0000n, size: BigInt(blocks * 32), orders, pointerWidth: 8, endianness: 'little' });
  for (let round = 0; round < rounds; round++) {
    const taken: Live[] = [];
    for (let i = 0; i < blocks; i++) {
      const block = writer.allocate(32n, 8n);
      if (!block) throw new Error('longFreeListTrace: the heap filled early');
      taken.push(block);
    }
    taken.sort((a, b) => a.offset - b.offset);
    for (let i = 0; i < blocks; i += 2) writer.free(taken[i]!);
    for (let i = 1; i < blocks; i += 2) writer.free(taken[i]!);
  }
  return writer.done();
}
