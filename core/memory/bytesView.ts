// A read-only window on bytes already in memory (a core file's PT_LOAD segment) that reads words
// in place: no copy, so a core file's segments cost nothing beyond the file's own bytes.
import type { Endianness, PointerWidth } from '../layout';
import type { HeapWordReader } from './byteImage';

export class BytesView implements HeapWordReader {
  private readonly view: DataView;
  private readonly littleEndian: boolean;

  constructor(
    private readonly bytes: Uint8Array,
    readonly pointerWidth: PointerWidth,
    endianness: Endianness,
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.littleEndian = endianness === 'little';
  }

  get size(): number {
    return this.bytes.length;
  }

  readWord(offset: number): bigint | undefined {
    if (!Number.isInteger(offset) || offset < 0 || offset + this.pointerWidth > this.bytes.length) return undefined;
    return this.pointerWidth === 8
      ? this.view.getBigUint64(offset, this.littleEndian)
      : BigInt(this.view.getUint32(offset, this.littleEndian));
  }

  read(offset: number, length: number): Uint8Array | undefined {
    if (!Number.isInteger(offset) || !Number.isInteger(length) || offset < 0 || length < 0 || offset + length > this.bytes.length)
      return undefined;
    return this.bytes.subarray(offset, offset + length);
  }
}
