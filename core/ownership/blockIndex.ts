// Finds the block holding a heap offset among sorted block starts, in about O(1): the heap is cut
// into as many equal buckets as there are blocks (a power of two), each remembering the first block
// that reaches into it, and a short binary search runs inside the bucket. Memory is one int per
// block, however large the heap.

export class BlockIndex {
  private readonly bucketSize: number;
  /** For each bucket, the last block starting at or before the bucket's start (-1: none). */
  private readonly firstInBucket: Int32Array;

  /**
   * @param starts block start offsets, ascending (blocks need not tile the heap).
   * @param heapSize a power of two ≥ every start.
   * @param minBlock the smallest block size, a power of two: no bucket is smaller.
   */
  constructor(
    private readonly starts: Float64Array,
    private readonly count: number,
    heapSize: number,
    minBlock: number,
  ) {
    let buckets = 1;
    while (buckets < count && heapSize / (buckets * 2) >= minBlock) buckets *= 2;
    this.bucketSize = heapSize / buckets;
    this.firstInBucket = new Int32Array(buckets);
    let block = -1;
    for (let bucket = 0; bucket < buckets; bucket++) {
      const at = bucket * this.bucketSize;
      while (block + 1 < count && starts[block + 1]! <= at) block++;
      this.firstInBucket[bucket] = block;
    }
  }

  /** Index of the last block starting at or before `offset` (0 ≤ offset < heap size), -1 if none. */
  find(offset: number): number {
    const bucket = Math.floor(offset / this.bucketSize);
    let lo = this.firstInBucket[bucket]!;
    let hi = bucket + 1 < this.firstInBucket.length ? this.firstInBucket[bucket + 1]! : this.count - 1;
    // Invariant: starts[lo] ≤ offset (or lo = -1); the answer lies in [lo, hi].
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }
}
