import * as assert from 'node:assert/strict';
import { ByteImage, decodeWord, encodeWord } from '../../../core/memory/byteImage';

describe('byte image', () => {
  it('writes words with the layout width and endianness, as the target stores them', () => {
    const little = new ByteImage(64, { pointerWidth: 4, endianness: 'little' });
    little.writeWord(8, 0x2000_0040n);
    assert.deepEqual([...little.read(8, 4)!], [0x40, 0x00, 0x00, 0x20]);
    const big = new ByteImage(64, { pointerWidth: 8, endianness: 'big' });
    big.writeWord(16, 0xffff_8000_0000_0040n);
    assert.deepEqual([...big.read(16, 8)!], [0xff, 0xff, 0x80, 0, 0, 0, 0, 0x40]);
    assert.equal(big.readWord(16), 0xffff_8000_0000_0040n);
    big.writeWordParts(24, 0x40, 0xffff_8000);
    assert.equal(big.readWord(24), 0xffff_8000_0000_0040n);
    assert.equal(decodeWord(encodeWord(0x1234_5678n, 4, false), 4, false), 0x1234_5678n);
  });

  it('never reports unknown bytes as zero', () => {
    const live = new ByteImage(1 << 20, { pointerWidth: 4, endianness: 'little', unknownUntilWritten: true });
    assert.equal(live.readWord(0), undefined);
    live.write(100, new Uint8Array([1, 2, 3]));
    assert.equal(live.readWord(100), undefined, 'one byte of the word is still unknown');
    live.write(103, new Uint8Array([4]));
    assert.equal(live.readWord(100), 0x0403_0201n);
    assert.equal(live.read(99, 2), undefined);
    assert.equal(live.residentPages, 1, 'a 1 MiB image holds only the pages written');
  });

  it('holds a small live heap in a page of its own size, and a page cut at the image end works like a whole one', () => {
    // A 4 KiB heap read at every stop: its page is 4 KiB, and one whole write makes it all known.
    const small = new ByteImage(4096, { pointerWidth: 4, endianness: 'little', unknownUntilWritten: true });
    const bytes = Uint8Array.from({ length: 4096 }, (_, i) => i & 0xff);
    small.write(0, bytes.subarray(0, 2048));
    assert.equal(small.readWord(2048), undefined, 'the unwritten half is unknown');
    small.write(2048, bytes.subarray(2048));
    assert.equal(small.residentBytes, 4096);
    assert.deepEqual(small.read(0, 4096), bytes);
    assert.equal(small.readWord(4092), 0xfffe_fdfcn);
    assert.equal(small.readWord(4094), undefined, 'a word past the end');
    assert.deepEqual(small.knownRanges(), [[0, 4096]]);
    // An image of one and a half pages: the second page is half a page, writes and clones go through it.
    const size = (1 << 16) + (1 << 15);
    const tail = new ByteImage(size, { pointerWidth: 8, endianness: 'big', unknownUntilWritten: true });
    tail.write(size - 16, new Uint8Array(16).fill(7));
    tail.writeWord(1 << 16, 0x0102_0304_0506_0708n);
    assert.equal(tail.readWord(1 << 16), 0x0102_0304_0506_0708n);
    assert.equal(tail.residentBytes, 1 << 15);
    assert.deepEqual(tail.knownRanges(), [
      [1 << 16, 8],
      [size - 16, 16],
    ]);
    const copy = tail.clone();
    assert.equal(copy.readWord(size - 8), 0x0707_0707_0707_0707n);
    tail.write(0, new Uint8Array(1 << 16));
    assert.equal(tail.residentBytes, size);
  });

  it('handles words that straddle a page and reads outside the image', () => {
    const image = new ByteImage(1 << 17, { pointerWidth: 8, endianness: 'little' });
    image.writeWord((1 << 16) - 4, 0x0102_0304_0506_0708n);
    assert.equal(image.readWord((1 << 16) - 4), 0x0102_0304_0506_0708n);
    assert.equal(image.readWord((1 << 17) - 4), undefined);
    assert.throws(() => image.writeWord(1 << 17, 1n), /outside/);
    const copy = image.clone();
    copy.writeWord(0, 5n);
    assert.equal(image.readWord(0), 0n, 'a clone is independent');
  });
});

describe('byte image of huge heaps', () => {
  for (const log2 of [33, 48, 53, 60, 63]) {
    it(`holds a 2^${log2}-byte image in the pages written (no array of pages)`, () => {
      const size = 2 ** log2;
      const image = new ByteImage(size, { pointerWidth: 8, endianness: 'big' });
      // Words where a model with 2^31 leaves writes them: multiples of a large minimum block.
      const last = size - Math.max(8, 2 ** (log2 - 31));
      const offsets = [...new Set([0, 2 ** 20, size / 2, last, ...(log2 <= 52 ? [size - 8] : [])])];
      offsets.forEach((offset, i) => image.writeWord(offset, 0xffff_8000_0000_0000n + BigInt(i)));
      offsets.forEach((offset, i) =>
        assert.equal(image.readWord(offset), 0xffff_8000_0000_0000n + BigInt(i), `word at 2^${Math.log2(offset)}`),
      );
      assert.equal(image.readWord(size / 4), 0n, 'never written: zero in a simulation');
      image.writeWordParts(size / 4, 0x40, 0x2000);
      assert.equal(image.readWord(size / 4), 0x2000_0000_0040n);
      if (log2 <= 52) {
        assert.equal(image.readWord(size - 4), undefined, 'a word past the end');
        assert.throws(() => image.writeWord(size - 4, 1n), /outside/);
      }
      assert.equal(image.readWord(size), undefined);
      assert.throws(() => image.writeWord(size, 1n), /outside/);
      assert.ok(image.residentBytes <= 6 * (1 << 16), `${image.residentBytes} bytes resident`);
      const copy = image.clone();
      copy.writeWord(size / 2, 7n);
      assert.equal(image.readWord(size / 2), 0xffff_8000_0000_0002n, 'a clone is independent');
      assert.equal(copy.residentPages, image.residentPages);
    });
  }

  it('refuses sizes no heap can have', () => {
    assert.throws(() => new ByteImage(2 ** 64, { pointerWidth: 8, endianness: 'little' }), /not a byte count from 0 to 2\^63/);
    assert.throws(() => new ByteImage(-1, { pointerWidth: 8, endianness: 'little' }), /not a byte count/);
    assert.throws(() => new ByteImage(1.5, { pointerWidth: 8, endianness: 'little' }), /not a byte count/);
  });

  it('keeps unknown bytes unknown in a huge live image', () => {
    const live = new ByteImage(2 ** 40, { pointerWidth: 4, endianness: 'little', unknownUntilWritten: true });
    assert.equal(live.readWord(2 ** 39), undefined);
    live.write(2 ** 39, new Uint8Array([1, 2, 3, 4]));
    assert.equal(live.readWord(2 ** 39), 0x0403_0201n);
    // A word straddling two of its pages.
    live.write(2 ** 39 + 254, new Uint8Array([5, 6, 7, 8]));
    assert.equal(live.readWord(2 ** 39 + 254), 0x0807_0605n);
    assert.equal(live.readWord(2 ** 39 + 256), undefined, 'half known');
  });
});
