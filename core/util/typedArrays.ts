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

type Column = Uint8Array | Uint16Array | Uint32Array | Float64Array;
type ColumnCtor<T extends Column> = new (buffer: ArrayBuffer, byteOffset: number, length: number) => T;

/** Buffers splice() made, with room to spare: only these are ever edited in place. */
const roomy = new WeakSet<ArrayBufferLike>();

/**
 * `array` with its elements [first, last) replaced by `inserted` slots (left for the caller to
 * fill) and the rest moved after them. With `inPlace`, a buffer an earlier splice made is edited
 * where it is when it has room (then `array` must not be read again): a million-entry column costs
 * a memmove, not a fresh allocation whose pages fault in. Otherwise a new buffer with room for
 * later splices is made.
 */
export function splice<T extends Column>(array: T, first: number, last: number, inserted: number, inPlace: boolean): T {
  const ctor = array.constructor as ColumnCtor<T>;
  const bytes = array.BYTES_PER_ELEMENT;
  const length = array.length - (last - first) + inserted;
  const buffer = array.buffer;
  if (inPlace && roomy.has(buffer) && array.byteOffset === 0 && buffer.byteLength >= length * bytes) {
    new ctor(buffer as ArrayBuffer, 0, Math.max(length, array.length)).copyWithin(first + inserted, last, array.length);
    return new ctor(buffer as ArrayBuffer, 0, length);
  }
  const room = new ArrayBuffer((length + (length >> 3) + 64) * bytes);
  roomy.add(room);
  const out = new ctor(room, 0, length);
  out.set(array.subarray(0, first));
  out.set(array.subarray(last), first + inserted);
  return out;
}
