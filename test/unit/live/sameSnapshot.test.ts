// Snapshot equality for re-reads at the same stop: same fields and bytes are equal; a changed
// field, a changed byte, or a byte known in one and unknown in the other are not.
import * as assert from 'node:assert/strict';
import type { HeapSnapshot } from '../../../core/decoder/types';
import { ByteImage } from '../../../core/memory/byteImage';
import { sameSnapshot } from '../../../extension/live/sameSnapshot';

function snapshot(fill: (image: ByteImage) => void, freeLists: bigint[] = [0n, 0x2000_1000n]): HeapSnapshot {
  const memory = new ByteImage(8192, { pointerWidth: 4, endianness: 'little', unknownUntilWritten: true });
  fill(memory);
  return {
    fields: { heapBase: 0x2000_1000n, heapSize: 8192n, freeLists, minBlockSize: 32n, minBlockSizeLog2: 5 },
    pointerWidth: 4,
    endianness: 'little',
    memory,
  };
}

const whole = (image: ByteImage) => image.write(0, new Uint8Array(8192).fill(7));
const sparse = (image: ByteImage) => {
  image.write(16, Uint8Array.of(1, 2, 3, 4));
  image.write(5000, Uint8Array.of(9));
};

describe('same snapshot', () => {
  it('the same fields and bytes, read whole or sparsely, are the same', () => {
    assert.ok(sameSnapshot(snapshot(whole), snapshot(whole)));
    assert.ok(sameSnapshot(snapshot(sparse), snapshot(sparse)));
  });

  it('a changed free-list head or other field differs', () => {
    assert.ok(!sameSnapshot(snapshot(whole), snapshot(whole, [0n, 0x2000_1020n])));
    const other = snapshot(whole);
    assert.ok(!sameSnapshot(snapshot(whole), { ...other, fields: { ...other.fields, minBlockSizeLog2: 4 } }));
  });

  it('one changed byte differs, in a whole read and in a sparse one', () => {
    assert.ok(
      !sameSnapshot(
        snapshot(whole),
        snapshot(image => {
          whole(image);
          image.write(8191, Uint8Array.of(8));
        }),
      ),
    );
    assert.ok(
      !sameSnapshot(
        snapshot(sparse),
        snapshot(image => {
          sparse(image);
          image.write(5000, Uint8Array.of(10));
        }),
      ),
    );
  });

  it('a byte known in one read and unknown in the other differs', () => {
    assert.ok(
      !sameSnapshot(
        snapshot(sparse),
        snapshot(image => {
          sparse(image);
          image.write(6000, Uint8Array.of(0));
        }),
      ),
    );
    assert.ok(
      !sameSnapshot(
        snapshot(whole),
        snapshot(image => image.write(0, new Uint8Array(8191).fill(7))),
      ),
    );
  });
});
