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
