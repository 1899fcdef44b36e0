// ByteImage.sameContent against the byte-by-byte definition (same size, the same bytes known, equal
// where known), on random writes into images of every page kind: array pages (a page cut at the
// image end too) and map pages (images over 4 GiB), live images and simulation ones, with the
// default comparer and with Node's Buffer#equals (what the live source passes).
import * as assert from 'node:assert/strict';
import { ByteImage } from '../../../core/memory/byteImage';
import { Random } from '../../support/random';

type Kind = { readonly size: number; readonly live: boolean };

/** The definition, from the images' own reads: the same known ranges holding the same bytes. */
function alikeByReads(a: ByteImage, b: ByteImage, live: boolean): boolean {
  if (a.size !== b.size) return false;
  // A simulation image knows every byte (unwritten ones are zero).
  const ranges = live ? a.knownRanges() : [[0, a.size] as [number, number]];
  if (live && JSON.stringify(ranges) !== JSON.stringify(b.knownRanges())) return false;
  return ranges.every(([offset, length]) => Buffer.from(a.read(offset, length)!).equals(b.read(offset, length)!));
}

const bufferEquals = (a: Uint8Array, b: Uint8Array) =>
  Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));

function image(kind: Kind): ByteImage {
  return new ByteImage(kind.size, { pointerWidth: 4, endianness: 'little', unknownUntilWritten: kind.live });
}

describe('byte image content equality', () => {
  const kinds: Kind[] = [
    { size: 4096, live: true },
    { size: 70_000, live: true }, // a whole 64 KiB page and a short last one
    { size: 70_000, live: false },
    { size: 2 ** 33, live: true }, // map pages of 256 bytes
  ];
  for (const kind of kinds)
    it(`agrees with the byte-by-byte definition: ${kind.size} bytes, ${kind.live ? 'live' : 'simulation'}`, () => {
      const random = new Random(kind.size + (kind.live ? 1 : 0));
      let same = 0;
      for (let trial = 0; trial < 120; trial++) {
        const a = image(kind);
        const b = image(kind);
        const span = Math.min(kind.size, 140_000);
        const writes = random.int(0, 6);
        for (let w = 0; w < writes; w++) {
          const length = random.int(1, random.chance(0.3) ? 70_000 : 300);
          const offset = random.int(0, Math.max(0, span - length));
          const bytes = Uint8Array.from({ length: Math.min(length, kind.size - offset) }, () => random.int(0, 3));
          a.write(offset, bytes);
          // b gets the same write, or one changed byte, or part of it, or none.
          const choice = random.int(0, 9);
          if (choice === 0) continue;
          const copy = bytes.slice(0, choice === 1 ? random.int(0, bytes.length - 1) : bytes.length);
          if (choice === 2 && copy.length > 0) {
            const k = random.int(0, copy.length - 1);
            copy[k] = (copy[k]! + 1) & 3;
          }
          b.write(offset, copy);
        }
        // Zeros written into one simulation image alone: known zeros there, zeros never written here.
        if (!kind.live && random.chance(0.2)) b.write(random.int(0, kind.size - 8), new Uint8Array(8));
        const expected = alikeByReads(a, b, kind.live);
        if (expected) same++;
        assert.equal(a.sameContent(b), expected, `trial ${trial}`);
        assert.equal(b.sameContent(a), expected, `trial ${trial}, the other way round`);
        assert.equal(a.sameContent(b, bufferEquals), expected, `trial ${trial}, Buffer#equals`);
      }
      assert.ok(same > 10 && same < 110, `${same} of 120 pairs alike: both outcomes are tested`);
    });

  it('a byte known in one image and unknown in the other differs, even when it reads as 0 once written', () => {
    const a = image({ size: 4096, live: true });
    const b = image({ size: 4096, live: true });
    a.write(10, Uint8Array.of(0));
    assert.ok(!a.sameContent(b) && !b.sameContent(a));
    b.write(10, Uint8Array.of(0));
    assert.ok(a.sameContent(b));
    // A live image and a simulation image: unwritten bytes are unknown in one, zeros in the other.
    const sim = image({ size: 4096, live: false });
    assert.ok(!image({ size: 4096, live: true }).sameContent(sim));
    assert.ok(image({ size: 4096, live: false }).sameContent(sim));
    assert.ok(!image({ size: 4096, live: true }).sameContent(image({ size: 8192, live: true })), 'another size');
  });
});
