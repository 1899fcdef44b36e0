// Growing columnar typed arrays (block tables, change lists) without one object per row.

/** A copy of `array` with room for `capacity` elements (same type, contents kept). */
export function grown<T extends Float64Array | Uint8Array>(array: T, capacity: number): T {
  const next = new (array.constructor as new (length: number) => T)(capacity);
  next.set(array);
  return next;
}

/** First index in sorted[0, n) whose value is ≥ value (n when none is). */
export function lowerBound(sorted: Float64Array | Uint32Array, n: number, value: number): number {
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
