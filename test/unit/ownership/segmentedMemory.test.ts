// Target memory from byte images at addresses: words inside a segment read, words outside or
// across a segment's end are unknown, overlapping segments are refused.
import * as assert from 'node:assert/strict';
import { ByteImage } from '../../../core/memory/byteImage';
import { SegmentedMemory } from '../../../core/ownership/segmentedMemory';

function image(size: number, fill: number): ByteImage {
  const out = new ByteImage(size, { pointerWidth: 4, endianness: 'little', unknownUntilWritten: true });
  out.write(0, new Uint8Array(size).fill(fill));
  return out;
}

describe('ownership: segmented target memory', () => {
  const memory = new SegmentedMemory([
    { address: 0x2000_0000n, image: image(16, 0x22) },
    { address: 0x1000_0000n, image: image(8, 0x11) },
  ]);

  it('reads words from whichever segment holds them, in any order given', () => {
    assert.equal(memory.readWord(0x1000_0004n), 0x1111_1111n);
    assert.equal(memory.readWord(0x2000_000cn), 0x2222_2222n);
  });

  it('reads nothing outside the segments or across the end of one', () => {
    assert.equal(memory.readWord(0x0fff_fffcn), undefined);
    assert.equal(memory.readWord(0x1000_0006n), undefined);
    assert.equal(memory.readWord(0x1000_0008n), undefined);
    assert.equal(memory.readWord(0x3000_0000n), undefined);
  });

  it('refuses overlapping segments', () => {
    assert.throws(
      () =>
        new SegmentedMemory([
          { address: 0x100n, image: image(16, 0) },
          { address: 0x108n, image: image(16, 0) },
        ]),
      /overlap/,
    );
  });
});
