// Checks the heap struct's fields and derives the geometry the decoder works in. The geometry comes
// from heap_size and N alone (what Heap::new derives everything else from); min_block_size and
// min_block_size_log2 are checked against it. Fields the decoder cannot work with (N outside 1..32,
// heap_size zero, not a power of two or above 2^52, minimum blocks smaller than a pointer) refuse
// the snapshot: no geometry, so nothing is walked and nothing is allocated for it.
import { MAX_ORDERS, MIN_HEAP_ALIGN, addressSpace, formatBytes, hex, isPowerOfTwo, log2Floor } from '../layout';
import type { FindingLog } from './findingLog';
import type { HeapSnapshot } from './types';

/** Offsets above this lose precision as JS numbers; larger heaps are refused. */
export const MAX_DECODABLE_HEAP_SIZE = 2n ** 52n;

export interface HeapGeometry {
  readonly base: bigint;
  readonly size: number;
  /** N: the number of free lists. */
  readonly orders: number;
  readonly minBlock: number;
  readonly minBlockLog2: number;
  /** Minimum blocks in the heap: 2^(N-1), at most 2^31. */
  readonly leaves: number;
}

export function checkStruct(snapshot: HeapSnapshot, log: FindingLog): HeapGeometry | undefined {
  const { fields, pointerWidth } = snapshot;
  const orders = fields.freeLists.length;
  if (orders < 1 || orders > MAX_ORDERS) {
    log.add({
      kind: 'BadOrders',
      message: `The heap has ${orders} free lists but the decoder handles N from 1 to ${MAX_ORDERS}; nothing was decoded.`,
    });
    return undefined;
  }
  const size = fields.heapSize;
  if (!isPowerOfTwo(size)) {
    log.add({
      kind: 'BadHeapSize',
      message: `heap_size ${hex(size)} is not a power of two, so it cannot be split into buddy blocks; nothing was decoded.`,
    });
    return undefined;
  }
  if (size > MAX_DECODABLE_HEAP_SIZE) {
    log.add({
      kind: 'BadHeapSize',
      message: `heap_size ${hex(size)} is larger than the 2^52 bytes the decoder can index exactly; nothing was decoded.`,
    });
    return undefined;
  }
  checkBase(snapshot, log);
  const minBlock = size >> BigInt(orders - 1);
  if (minBlock < BigInt(pointerWidth)) {
    log.add({
      kind: 'BadMinBlockSize',
      message: `The minimum block heap_size >> (N - 1) = ${formatBytes(size)} >> ${orders - 1} = ${minBlock} bytes cannot hold a ${pointerWidth}-byte next pointer; nothing was decoded.`,
    });
    return undefined;
  }
  const minBlockLog2 = log2Floor(minBlock);
  if (fields.minBlockSize !== minBlock) {
    log.add({
      kind: 'BadMinBlockSize',
      message: `min_block_size is ${fields.minBlockSize} but heap_size >> (N - 1) is ${minBlock}; the decoder uses ${minBlock}.`,
    });
  }
  if (fields.minBlockSizeLog2 !== minBlockLog2) {
    log.add({
      kind: 'BadMinBlockSize',
      message: `min_block_size_log2 is ${fields.minBlockSizeLog2} but log2(${minBlock}) is ${minBlockLog2}, so the crate would compute wrong block sizes.`,
    });
  }
  return { base: fields.heapBase, size: Number(size), orders, minBlock: Number(minBlock), minBlockLog2, leaves: 2 ** (orders - 1) };
}

/** Base problems are reported but do not stop decoding: offsets stay relative to the base given. */
function checkBase(snapshot: HeapSnapshot, log: FindingLog): void {
  const base = snapshot.fields.heapBase;
  const end = base + snapshot.fields.heapSize;
  if (base === 0n) {
    log.add({
      kind: 'BadHeapBase',
      address: base,
      message: 'heap_base is null (0x0); Heap::new takes a non-null base, and a block at address 0 reads as an empty list.',
    });
  } else if ((base & (MIN_HEAP_ALIGN - 1n)) !== 0n) {
    log.add({
      kind: 'BadHeapBase',
      address: base,
      message: `heap_base ${hex(base)} is not aligned to ${MIN_HEAP_ALIGN} bytes (MIN_HEAP_ALIGN).`,
    });
  }
  if (base < 0n || end > addressSpace(snapshot.pointerWidth)) {
    log.add({
      kind: 'BadHeapBase',
      address: base,
      message: `The heap ${hex(base)}..${hex(end)} does not fit the ${snapshot.pointerWidth * 8}-bit address space.`,
    });
  }
}
