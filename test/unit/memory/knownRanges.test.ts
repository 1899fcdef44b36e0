// ByteImage.knownRanges (what a snapshot file keeps): the known bytes as joined ranges, checked
// against isKnown byte by byte, in array-paged and map-paged (huge) images.
import * as assert from 'node:assert/strict';
import * as fc from 'fast-check';
import { ByteImage } from '../../../core/memory/byteImage';

/** Known ranges found byte by byte (the slow way) over the span that writes touched. */
function bruteRanges(image: ByteImage, from: number, to: number): [number, number][] {
  const ranges: [number, number][] = [];
  for (let at = from; at < to; at++) {
    if (!image.isKnown(at, 1)) continue;
    const last = ranges[ranges.length - 1];
    if (last && last[0] + last[1] === at) last[1]++;
    else ranges.push([at, 1]);
  }
  return ranges;
}

describe('ByteImage.knownRanges', () => {
  for (const [name, size, origin] of [
    ['a 256 KiB image', 256 * 1024, 0],
    ['a 2^40-byte image (map pages)', 2 ** 40, 2 ** 39],
  ] as const)
    it(`lists exactly the written bytes of ${name}, adjacent writes joined`, () => {
      fc.assert(
        fc.property(fc.array(fc.tuple(fc.nat(200_000), fc.integer({ min: 1, max: 300 })), { maxLength: 12 }), writes => {
          const image = new ByteImage(size, { pointerWidth: 4, endianness: 'little', unknownUntilWritten: true });
          for (const [offset, length] of writes) image.write(origin + offset, new Uint8Array(length).fill(7));
          const ranges = image.knownRanges();
          assert.deepEqual(
            ranges.map(([o, l]) => [o - origin, l]),
            bruteRanges(image, origin, origin + 200_300).map(([o, l]) => [o - origin, l]),
          );
        }),
        { numRuns: 40 },
      );
    });
});
