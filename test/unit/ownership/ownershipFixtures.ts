// Hand-built target memory for the ownership scan: a real heap from the model (real block addresses
// in a real layout), allocated blocks cleared (stale free-list words would be references too) and
// pointers written into them, plus a "static" region elsewhere in the address space for roots.
import * as assert from 'node:assert/strict';
import { decodeHeap } from '../../../core/decoder/decode';
import type { Endianness, HeapLayout, PointerWidth } from '../../../core/layout';
import { ByteImage } from '../../../core/memory/byteImage';
import type { BuddyHeap } from '../../../core/model/buddyHeap';
import { SegmentedMemory } from '../../../core/ownership/segmentedMemory';
import { scanOwnership } from '../../../core/ownership/scanOwnership';
import type { OwnershipResult } from '../../../core/ownership/ownershipResult';
import type { HeapMemory, OwnershipOptions, RootRegion } from '../../../core/ownership/types';
import { BASE, layoutOf, newHeap, snapshotOf } from '../decoder/heapFixtures';

const HIGH_BASE = 0xffff_8000_0010_0000n;

export const STATICS = 0x1000_0000n;
export const STATICS_SIZE = 4096;

export const TARGETS: readonly { readonly pointerWidth: PointerWidth; readonly endianness: Endianness }[] = [
  { pointerWidth: 4, endianness: 'little' },
  { pointerWidth: 4, endianness: 'big' },
  { pointerWidth: 8, endianness: 'little' },
  { pointerWidth: 8, endianness: 'big' },
];

/** A target: a model heap, and a statics image at STATICS that roots read. */
export class Target {
  readonly heap: BuddyHeap;
  readonly statics: ByteImage;
  readonly width: PointerWidth;

  constructor(layout: HeapLayout) {
    this.heap = newHeap(layout);
    this.width = layout.pointerWidth;
    this.statics = new ByteImage(STATICS_SIZE, {
      pointerWidth: layout.pointerWidth,
      endianness: layout.endianness,
      unknownUntilWritten: true,
    });
    this.statics.write(0, new Uint8Array(STATICS_SIZE));
  }

  /** A 4 KiB heap of 16-byte minimum blocks; 8-byte targets get a base above 2^32, as a 64-bit kernel's. */
  static of(pointerWidth: PointerWidth, endianness: Endianness, size = 4096, orders = 9): Target {
    return new Target(layoutOf(size, orders, pointerWidth, endianness, pointerWidth === 8 ? HIGH_BASE : BASE));
  }

  /** Allocates `size` bytes (aligned to the word) and clears the block; returns its address. */
  alloc(size: number): bigint {
    const result = this.heap.allocate(size, this.width);
    assert.ok(result.ok, `allocate ${size} failed: ${!result.ok && result.error}`);
    this.heap.image.write(result.offset, new Uint8Array(this.heap.orderSize(result.order)));
    return this.heap.address(result.offset);
  }

  /**
   * Allocations that each end up alone in their decoded span: each is followed by a guard of the
   * same size (its buddy, or in the way of merging), and the guards are freed at the end.
   */
  allocApart(...sizes: number[]): bigint[] {
    const guards: bigint[] = [];
    const blocks = sizes.map(size => {
      const block = this.alloc(size);
      guards.push(this.alloc(size));
      return block;
    });
    for (const guard of guards) this.free(guard);
    return blocks;
  }

  free(address: bigint): void {
    const record = this.heap.allocationAt(Number(address - this.heap.layout.base));
    assert.ok(record, `nothing allocated at ${address.toString(16)}`);
    const result = this.heap.deallocate(record.offset, record.size, record.align);
    assert.ok(result.ok, `free failed: ${!result.ok && result.message}`);
  }

  /** Writes a pointer-sized word at a target address in the heap or the statics. */
  put(at: bigint, value: bigint): void {
    const heapOffset = at - this.heap.layout.base;
    if (heapOffset >= 0n && heapOffset < this.heap.layout.size) this.heap.image.writeWord(Number(heapOffset), value);
    else this.statics.writeWord(Number(at - STATICS), value);
  }

  /** The block size the model gave the allocation at an address. */
  blockSize(address: bigint): number {
    const allocation = this.heap.allocationAt(Number(address - this.heap.layout.base));
    assert.ok(allocation, `nothing allocated at ${address.toString(16)}`);
    return this.heap.orderSize(allocation.order);
  }

  scan(roots: readonly RootRegion[], options: OwnershipOptions = {}, heapMemory: HeapMemory = this.heap.image): OwnershipResult {
    const view = decodeHeap(snapshotOf(this.heap));
    assert.deepEqual(view.findings, []);
    return scanOwnership(
      { heap: view, heapMemory, roots, rootMemory: new SegmentedMemory([{ address: STATICS, image: this.statics }]) },
      options,
    );
  }
}

/** The inferred block at an address, which must exist and start there. */
export function blockStartingAt(result: OwnershipResult, address: bigint): number {
  const block = result.blockAt(address);
  assert.ok(block >= 0, `no block holds 0x${address.toString(16)}`);
  assert.equal(
    result.address(block),
    address,
    `the block holding 0x${address.toString(16)} starts at 0x${result.address(block).toString(16)}`,
  );
  return block;
}

/** A static with typed slots: one pointer word per path, at consecutive word offsets. */
export function typedStatic(label: string, at: bigint, paths: readonly string[], width: number): RootRegion {
  return { kind: 'static', label, address: at, size: paths.length * width, slots: paths.map((path, i) => ({ offset: i * width, path })) };
}
