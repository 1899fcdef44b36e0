// What discovery reports for each buddy heap it finds in a program's debug info.
import type { Endianness, PointerWidth } from '../layout';

/** Byte offsets of the five Heap<N> fields from the struct's address. */
export interface HeapFieldOffsets {
  readonly heapBase: number;
  readonly heapSize: number;
  readonly freeLists: number;
  readonly minBlockSize: number;
  readonly minBlockSizeLog2: number;
}

export const HEAP_FIELD_NAMES: Readonly<Record<keyof HeapFieldOffsets, string>> = {
  heapBase: 'heap_base',
  heapSize: 'heap_size',
  freeLists: 'free_lists',
  minBlockSize: 'min_block_size',
  minBlockSizeLog2: 'min_block_size_log2',
};

/** A heap inside a Rust enum (e.g. `Option<Heap<N>>`): it is there only while the discriminant has this value. */
export interface VariantCondition {
  /** The variant's name ("Some"). */
  readonly variant: string;
  /** Where the discriminant is, in bytes from the heap struct's address (may be negative), and its size. */
  readonly discriminantOffset: number;
  readonly discriminantSize: number;
  readonly value: number | bigint;
}

/** The flag of the lock a wrapper holds the heap under: non-zero while held (the free lists may be mid-update). */
export interface HeapLockFlag {
  /** Its full path (`prog::ALLOCATOR.lock.v.value`). */
  readonly path: string;
  /** Bytes from the heap struct's address (negative when the lock comes first). */
  readonly offset: number;
  /** 1, 2, 4 or 8 bytes. */
  readonly size: number;
}

export interface DiscoveredHeap {
  /** The heap struct's full path: the static's crate/namespace path, then fields (`prog::ALLOCATOR.inner.value`). */
  readonly path: string;
  /** The heap struct's address in the ELF (before any load bias). */
  readonly address: bigint;
  /** N: the number of free lists. */
  readonly orders: number;
  readonly pointerWidth: PointerWidth;
  readonly endianness: Endianness;
  readonly offsets: HeapFieldOffsets;
  /** Bytes of min_block_size_log2 (1 for the crate's u8). */
  readonly log2Bytes: number;
  /** The struct's type name as DWARF gives it ("Heap<16>", "Heap"). */
  readonly typeName: string | undefined;
  readonly structSize: number | undefined;
  /** The static the heap lives in (itself, or a wrapper around it). */
  readonly variable: { readonly path: string; readonly address: bigint; readonly typeName: string | undefined };
  /** Set when the heap sits in an enum variant; one condition per enclosing enum, outermost first. */
  readonly conditions: readonly VariantCondition[];
  /** The innermost enclosing wrapper's lock flag, when it has one. */
  readonly lock?: HeapLockFlag;
}

/** A struct with the heap's field names that cannot be read as one, and why (so "no heap found" can say). */
export interface NearMiss {
  readonly path: string;
  readonly typeName: string | undefined;
  readonly reason: string;
}

export interface HeapDiscovery {
  readonly heaps: readonly DiscoveredHeap[];
  readonly nearMisses: readonly NearMiss[];
  /** Statics with a fixed address that were looked at (in the units that mention the heap's fields). */
  readonly staticsScanned: number;
}
