// A bounded cursor over bytes in one byte order. Every read checks the end first and throws a
// ProgramReadError naming the region ("section .debug_info") and the offset, so a truncated or
// corrupt file can never read past its data or loop without consuming input.
import { hexOffset, ProgramReadError } from './readError';

const TWO_32 = 0x1_0000_0000;

export class ByteReader {
  private readonly view: DataView;
  pos: number;

  constructor(
    readonly bytes: Uint8Array,
    readonly littleEndian: boolean,
    /** Names the region in error messages, e.g. "section .debug_info". */
    readonly region: string,
    start = 0,
    readonly end = bytes.length,
    view?: DataView,
  ) {
    this.view = view ?? new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.pos = start;
  }

  /** A reader over the same bytes limited to [start, end), e.g. one unit of a section (sharing the DataView: discovery makes many). */
  slice(start: number, end: number): ByteReader {
    if (start < 0 || end > this.end || start > end) this.fail(start, end - start);
    return new ByteReader(this.bytes, this.littleEndian, this.region, start, end, this.view);
  }

  get remaining(): number {
    return this.end - this.pos;
  }

  private need(n: number): number {
    const at = this.pos;
    if (n < 0 || at + n > this.end) this.fail(at, n);
    this.pos = at + n;
    return at;
  }

  private fail(at: number, n: number): never {
    throw new ProgramReadError('truncated', `${this.region} ends before the ${n} bytes needed at offset ${hexOffset(at)}`);
  }

  u8(): number {
    return this.bytes[this.need(1)]!;
  }
  u16(): number {
    return this.view.getUint16(this.need(2), this.littleEndian);
  }
  u32(): number {
    return this.view.getUint32(this.need(4), this.littleEndian);
  }
  u64(): bigint {
    return this.view.getBigUint64(this.need(8), this.littleEndian);
  }
  /** A 64-bit value as a number when it fits exactly, else a bigint. */
  u64Value(): number | bigint {
    const at = this.need(8);
    const lo = this.view.getUint32(at + (this.littleEndian ? 0 : 4), this.littleEndian);
    const hi = this.view.getUint32(at + (this.littleEndian ? 4 : 0), this.littleEndian);
    return hi < 0x20_0000 ? hi * TWO_32 + lo : (BigInt(hi) << 32n) | BigInt(lo);
  }
  /** A 64-bit file offset or size: must fit a number (no file is 9 PB). */
  u64Offset(what: string): number {
    const value = this.u64Value();
    if (typeof value === 'bigint') throw new ProgramReadError('malformed', `${this.region}: ${what} 0x${value.toString(16)} is too large`);
    return value;
  }
  /** 1, 2, 3, 4 or 8 bytes, unsigned, as a number or (only when it does not fit) a bigint. */
  unsigned(size: number): number | bigint {
    switch (size) {
      case 1:
        return this.u8();
      case 2:
        return this.u16();
      case 3: {
        const at = this.need(3);
        const b = this.bytes;
        return this.littleEndian ? b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16) : (b[at]! << 16) | (b[at + 1]! << 8) | b[at + 2]!;
      }
      case 4:
        return this.u32();
      case 8:
        return this.u64Value();
      default:
        throw new ProgramReadError(
          'malformed',
          `${this.region}: a ${size}-byte value at ${hexOffset(this.pos)} (only 1, 2, 4 or 8 are valid)`,
        );
    }
  }
  /** An address of `size` bytes, always a bigint. */
  address(size: number): bigint {
    const value = this.unsigned(size);
    return typeof value === 'bigint' ? value : BigInt(value);
  }
  /** A 4- or 8-byte section offset (DWARF's 32- and 64-bit formats). */
  offset(size: 4 | 8, what: string): number {
    return size === 4 ? this.u32() : this.u64Offset(what);
  }

  /** Unsigned LEB128 as a number, or a bigint when above 2^53. */
  ulebValue(): number | bigint {
    let result = 0;
    let scale = 1;
    for (let i = 0; ; i++) {
      const byte = this.u8();
      if (i >= 7) return this.ulebTail(result, byte);
      result += (byte & 0x7f) * scale;
      scale *= 128;
      if ((byte & 0x80) === 0) return result;
    }
  }
  /** Continues a long LEB128 in bigint (bytes beyond the seventh). */
  private ulebTail(low: number, byte: number): bigint {
    let result = BigInt(low);
    let shift = 49n;
    for (let i = 0; ; i++) {
      result |= BigInt(byte & 0x7f) << shift;
      if ((byte & 0x80) === 0) break;
      if (i > 20) throw new ProgramReadError('malformed', `${this.region}: a LEB128 number longer than 28 bytes at ${hexOffset(this.pos)}`);
      shift += 7n;
      byte = this.u8();
    }
    return BigInt.asUintN(64, result);
  }
  /** Unsigned LEB128 that must be a number (a count, an offset, an index). */
  uleb(what: string): number {
    const value = this.ulebValue();
    if (typeof value === 'bigint') throw new ProgramReadError('malformed', `${this.region}: ${what} ${value} is too large`);
    return value;
  }
  /** Signed LEB128 as a number, or a bigint when outside ±2^53. */
  slebValue(): number | bigint {
    let result = 0n;
    let shift = 0n;
    let byte: number;
    let count = 0;
    do {
      byte = this.u8();
      if (++count > 20)
        throw new ProgramReadError('malformed', `${this.region}: a LEB128 number longer than 20 bytes at ${hexOffset(this.pos)}`);
      result |= BigInt(byte & 0x7f) << shift;
      shift += 7n;
    } while (byte & 0x80);
    if (byte & 0x40) result -= 1n << shift;
    result = BigInt.asIntN(64, result);
    return result >= -0x1f_ffff_ffff_ffffn && result <= 0x1f_ffff_ffff_ffffn ? Number(result) : result;
  }
  skipLeb(): void {
    while (this.u8() & 0x80) {
      /* each byte consumed is bounded by need() */
    }
  }
  skip(n: number): void {
    this.need(n);
  }
  take(n: number): Uint8Array {
    const at = this.need(n);
    return this.bytes.subarray(at, at + n);
  }
  /** Steps over a NUL-terminated string without decoding it (DWARF skips many short inline names). */
  skipCString(): void {
    const bytes = this.bytes;
    for (let at = this.pos; at < this.end; at++) {
      if (bytes[at] === 0) {
        this.pos = at + 1;
        return;
      }
    }
    throw new ProgramReadError('truncated', `${this.region}: a string at ${hexOffset(this.pos)} has no terminating NUL`);
  }
  /** A NUL-terminated UTF-8 string. */
  cstring(): string {
    const start = this.pos;
    const nul = this.bytes.indexOf(0, start);
    if (nul < 0 || nul >= this.end)
      throw new ProgramReadError('truncated', `${this.region}: a string at ${hexOffset(start)} has no terminating NUL`);
    this.pos = nul + 1;
    return decodeUtf8(this.bytes, start, nul);
  }
}

const utf8 = new TextDecoder('utf-8');

/** Short ASCII (nearly every DWARF name) without the TextDecoder call's overhead. */
export function decodeUtf8(bytes: Uint8Array, start: number, end: number): string {
  if (end - start <= 64) {
    let s = '';
    for (let i = start; i < end; i++) {
      const c = bytes[i]!;
      if (c >= 0x80) return utf8.decode(bytes.subarray(start, end));
      s += String.fromCharCode(c);
    }
    return s;
  }
  return utf8.decode(bytes.subarray(start, end));
}

/** The NUL-terminated string at `offset` of a string table (.strtab, .debug_str, …). */
export function stringAt(table: Uint8Array, offset: number, region: string): string {
  if (!Number.isInteger(offset) || offset < 0 || offset >= table.length) {
    throw new ProgramReadError('malformed', `${region}: string offset ${hexOffset(offset)} is outside the table (${table.length} bytes)`);
  }
  const nul = table.indexOf(0, offset);
  if (nul < 0) throw new ProgramReadError('truncated', `${region}: the string at ${hexOffset(offset)} has no terminating NUL`);
  return decodeUtf8(table, offset, nul);
}
