// Growing columnar typed arrays (block tables, change lists) without one object per row.

/** A copy of `array` with room for `capacity` elements (same type, contents kept). */
export function grown<T extends Float64Array | Uint8Array>(array: T, capacity: number): T {
  const next = new (array.constructor as new (length: number) => T)(capacity);
  next.set(array);
  return next;
}
