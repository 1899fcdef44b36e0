// A heap layout: everything the seed's Heap<N>::new takes or derives, plus how the target stores
// pointers. Addresses and sizes are bigint so a 64-bit kernel heap keeps every bit.

/** The seed's MIN_HEAP_ALIGN: the base must be aligned to it, and no alignment above it is served. */
export const MIN_HEAP_ALIGN = 4096n;

export type PointerWidth = 4 | 8;
export type Endianness = 'little' | 'big';

export interface HeapLayout {
  /** Address of the first heap byte (the seed's `heap_base`). */
  readonly base: bigint;
  /** Bytes in the heap (the seed's `heap_size`). */
  readonly size: bigint;
  /** Number of free lists (the seed's const generic N). */
  readonly orders: number;
  readonly pointerWidth: PointerWidth;
  readonly endianness: Endianness;
}

/** The seed's HeapError, in the order Heap::new checks them. */
export type HeapError = 'BadBaseAlignment' | 'BadHeapSize' | 'MinBlockTooSmall' | 'BadSizeAlignment';

/** Errors a layout can have that the seed cannot express (they come before the seed's checks). */
export type LayoutShapeError = 'BadOrders' | 'AddressOverflow' | 'NullBase' | 'BadPointerWidth' | 'BadEndianness';

export const HEAP_ERROR_EXPLANATIONS: Readonly<Record<HeapError | LayoutShapeError, string>> = {
  BadBaseAlignment: 'the heap base must be aligned to 4096 bytes (MIN_HEAP_ALIGN); round the base address to a multiple of 0x1000',
  BadHeapSize: 'the heap size is smaller than one minimum block (size >> (orders - 1)); make the heap larger',
  MinBlockTooSmall:
    'the minimum block (size >> (orders - 1)) is smaller than a pointer, so a free block cannot hold its next pointer; use fewer orders or a larger heap',
  BadSizeAlignment: 'the heap size must be a power of two (e.g. 0x10000)',
  BadOrders: 'the number of orders N must be a whole number from 1 to 32',
  AddressOverflow:
    'the heap would run past the end of the address space for this pointer width; lower the base or the size, or use 8-byte pointers',
  NullBase: 'the heap base cannot be 0 (Heap::new takes a NonNull base, and a block at address 0 would read as an empty list)',
  BadPointerWidth: 'the pointer width must be 4 or 8 bytes',
  BadEndianness: 'the endianness must be "little" or "big"',
};

export const MAX_ORDERS = 32;

/** `usize::MAX + 1` for the layout's pointer width. */
export function addressSpace(pointerWidth: PointerWidth): bigint {
  return 1n << BigInt(pointerWidth * 8);
}

/** The seed's `heap_size >> (N - 1)`, computed as the target's usize would. */
export function minBlockSize(layout: Pick<HeapLayout, 'size' | 'orders'>): bigint {
  return layout.size >> BigInt(layout.orders - 1);
}

/** The seed's `math::log2` (floor, with log2(0) = 0). */
export function log2Floor(n: bigint): number {
  let result = 0;
  let temp = n >> 1n;
  while (temp !== 0n) {
    result++;
    temp >>= 1n;
  }
  return result;
}

export function isPowerOfTwo(n: bigint): boolean {
  return n > 0n && (n & (n - 1n)) === 0n;
}

/**
 * Validates a layout exactly as `Heap::<N>::new` would (same errors, same order), after the checks
 * the seed leaves to the type system (N in range, the heap fitting the address space).
 * Returns undefined when the seed would accept the heap.
 */
export function validateLayout(layout: HeapLayout): HeapError | LayoutShapeError | undefined {
  if (!Number.isInteger(layout.orders) || layout.orders < 1 || layout.orders > MAX_ORDERS) return 'BadOrders';
  if (layout.pointerWidth !== 4 && layout.pointerWidth !== 8) return 'BadPointerWidth';
  if (layout.endianness !== 'little' && layout.endianness !== 'big') return 'BadEndianness';
  const space = addressSpace(layout.pointerWidth);
  if (layout.base < 0n || layout.size < 0n || layout.base >= space || layout.size >= space || layout.base + layout.size > space) {
    return 'AddressOverflow';
  }
  if (layout.base === 0n) return 'NullBase';
  const minBlock = minBlockSize(layout);
  if ((layout.base & (MIN_HEAP_ALIGN - 1n)) !== 0n) return 'BadBaseAlignment';
  if (layout.size < minBlock) return 'BadHeapSize';
  if (minBlock < BigInt(layout.pointerWidth)) return 'MinBlockTooSmall';
  if (!isPowerOfTwo(layout.size)) return 'BadSizeAlignment';
  return undefined;
}

/** Lowercase `0x` hex, the one spelling of addresses on every wire and in every message. */
export function hex(value: bigint | number): string {
  return '0x' + value.toString(16);
}

/** Hex padded to the pointer width, as a debugger shows a pointer. */
export function hexPadded(value: bigint, pointerWidth: PointerWidth): string {
  return '0x' + value.toString(16).padStart(pointerWidth * 2, '0');
}

/** Human byte counts: 64 → "64 B", 65536 → "64 KiB". */
export function formatBytes(n: bigint | number): string {
  const value = BigInt(n);
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB'];
  let unit = 0;
  let whole = value;
  while (unit < units.length - 1 && whole >= 1024n && whole % 1024n === 0n) {
    whole /= 1024n;
    unit++;
  }
  if (unit === 0 && value >= 1024n) {
    return `${(Number(value) / 1024).toFixed(1)} KiB`;
  }
  return `${whole} ${units[unit]}`;
}
