// Target memory as a few byte images placed at addresses: the statics and stacks a live session
// read, or the PT_LOAD segments of a core file. A word outside every segment, or crossing the end
// of one, is unknown (never zero).
import type { HeapWordReader } from '../memory/byteImage';
import type { TargetMemory } from './types';

export interface MemorySegment {
  /** Target address of the image's first byte. */
  readonly address: bigint;
  readonly image: HeapWordReader;
}

export class SegmentedMemory implements TargetMemory {
  private readonly segments: readonly MemorySegment[];

  constructor(segments: readonly MemorySegment[]) {
    const sorted = [...segments].sort((a, b) => (a.address < b.address ? -1 : a.address > b.address ? 1 : 0));
    for (let i = 1; i < sorted.length; i++) {
      const before = sorted[i - 1]!;
      if (before.address + BigInt(before.image.size) > sorted[i]!.address) {
        throw new RangeError(
          `memory segments at 0x${before.address.toString(16)} and 0x${sorted[i]!.address.toString(16)} overlap; give each byte once`,
        );
      }
    }
    this.segments = sorted;
  }

  readWord(address: bigint): bigint | undefined {
    const segment = this.segmentAt(address);
    if (segment === undefined) return undefined;
    return segment.image.readWord(Number(address - segment.address));
  }

  /** The last segment starting at or below the address, when the address lies in it. */
  private segmentAt(address: bigint): MemorySegment | undefined {
    let lo = 0;
    let hi = this.segments.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (this.segments[mid]!.address <= address) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    if (found < 0) return undefined;
    const segment = this.segments[found]!;
    return address - segment.address < BigInt(segment.image.size) ? segment : undefined;
  }
}
