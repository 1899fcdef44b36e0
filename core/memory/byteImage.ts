// A sparse byte image of a heap region: pages are allocated on first write, so a 1 GiB kernel heap
// costs only the pages that hold free-list words. Bytes can be unknown (a live read that failed),
// and an unknown byte is never reported as zero.
import type { Endianness, PointerWidth } from '../layout';

const PAGE_SHIFT = 16;
const PAGE_SIZE = 1 << PAGE_SHIFT;
const PAGE_MASK = PAGE_SIZE - 1;

interface Page {
  readonly data: Uint8Array;
  readonly view: DataView;
  /** Per-byte known flags; null when the whole page is known. */
  known: Uint8Array | null;
}

export interface ByteImageOptions {
  readonly pointerWidth: PointerWidth;
  readonly endianness: Endianness;
  /** True for live snapshots: bytes never written are unknown. False for simulation: they read as zero. */
  readonly unknownUntilWritten?: boolean;
}

/** Reads words at heap offsets; what the decoder needs from any memory source. */
export interface HeapWordReader {
  readonly size: number;
  readonly pointerWidth: PointerWidth;
  /** The pointer-sized word at `offset`, or undefined when any of its bytes is unknown or outside the image. */
  readWord(offset: number): bigint | undefined;
}

export class ByteImage implements HeapWordReader {
  readonly pointerWidth: PointerWidth;
  readonly littleEndian: boolean;
  private readonly pages: (Page | undefined)[];
  private readonly unknownUntilWritten: boolean;

  constructor(readonly size: number, options: ByteImageOptions) {
    if (!Number.isSafeInteger(size) || size < 0) throw new RangeError(`image size ${size} is not a safe byte count`);
    this.pointerWidth = options.pointerWidth;
    this.littleEndian = options.endianness === 'little';
    this.unknownUntilWritten = options.unknownUntilWritten ?? false;
    this.pages = new Array<Page | undefined>(Math.ceil(size / PAGE_SIZE));
  }

  /** Copies bytes in at `offset` and marks them known (a successful memory read, or a loaded file). */
  write(offset: number, bytes: Uint8Array): void {
    this.checkRange(offset, bytes.length);
    let done = 0;
    while (done < bytes.length) {
      const at = offset + done;
      const page = this.pageFor(at);
      const inPage = at & PAGE_MASK;
      const n = Math.min(bytes.length - done, PAGE_SIZE - inPage);
      page.data.set(bytes.subarray(done, done + n), inPage);
      if (page.known) {
        page.known.fill(1, inPage, inPage + n);
        if (inPage === 0 && n === PAGE_SIZE) page.known = null;
      }
      done += n;
    }
  }

  /** Copies bytes out; undefined when any byte is unknown. */
  read(offset: number, length: number): Uint8Array | undefined {
    if (offset < 0 || length < 0 || offset + length > this.size) return undefined;
    const out = new Uint8Array(length);
    let done = 0;
    while (done < length) {
      const at = offset + done;
      const page = this.pages[Math.floor(at / PAGE_SIZE)];
      const inPage = at & PAGE_MASK;
      const n = Math.min(length - done, PAGE_SIZE - inPage);
      if (!page) {
        if (this.unknownUntilWritten) return undefined;
      } else {
        if (page.known && page.known.subarray(inPage, inPage + n).includes(0)) return undefined;
        out.set(page.data.subarray(inPage, inPage + n), done);
      }
      done += n;
    }
    return out;
  }

  /** True when every byte of the range is known. */
  isKnown(offset: number, length: number): boolean {
    return this.read(offset, length) !== undefined;
  }

  readWord(offset: number): bigint | undefined {
    const width = this.pointerWidth;
    if (offset < 0 || offset + width > this.size) return undefined;
    const inPage = offset & PAGE_MASK;
    const page = this.pages[Math.floor(offset / PAGE_SIZE)];
    if (inPage + width > PAGE_SIZE) {
      const bytes = this.read(offset, width);
      return bytes && decodeWord(bytes, width, this.littleEndian);
    }
    if (!page) return this.unknownUntilWritten ? undefined : 0n;
    if (page.known && page.known.subarray(inPage, inPage + width).includes(0)) return undefined;
    return width === 4 ? BigInt(page.view.getUint32(inPage, this.littleEndian)) : page.view.getBigUint64(inPage, this.littleEndian);
  }

  /** Writes a pointer-sized word; the value is truncated to the width as the target's store would. */
  writeWord(offset: number, value: bigint): void {
    const width = this.pointerWidth;
    this.checkRange(offset, width);
    const inPage = offset & PAGE_MASK;
    if (inPage + width > PAGE_SIZE) {
      this.write(offset, encodeWord(value, width, this.littleEndian));
      return;
    }
    const page = this.pageFor(offset);
    if (width === 4) page.view.setUint32(inPage, Number(BigInt.asUintN(32, value)), this.littleEndian);
    else page.view.setBigUint64(inPage, BigInt.asUintN(64, value), this.littleEndian);
    if (page.known) page.known.fill(1, inPage, inPage + width);
  }

  /**
   * Fast path for the model's hot loop: writes a word given as two 32-bit halves (numbers), so
   * replay never allocates a bigint per pointer. Offsets are word-aligned there, so no page split.
   */
  writeWordParts(offset: number, low: number, high: number): void {
    const page = this.pageFor(offset);
    const inPage = offset & PAGE_MASK;
    const view = page.view;
    if (this.pointerWidth === 4) {
      view.setUint32(inPage, low, this.littleEndian);
    } else if (this.littleEndian) {
      view.setUint32(inPage, low, true);
      view.setUint32(inPage + 4, high, true);
    } else {
      view.setUint32(inPage, high, false);
      view.setUint32(inPage + 4, low, false);
    }
    if (page.known) page.known.fill(1, inPage, inPage + this.pointerWidth);
  }

  /** A deep copy (for history and for simulating on a live snapshot without touching it). */
  clone(): ByteImage {
    const copy = new ByteImage(this.size, {
      pointerWidth: this.pointerWidth,
      endianness: this.littleEndian ? 'little' : 'big',
      unknownUntilWritten: this.unknownUntilWritten,
    });
    this.pages.forEach((page, i) => {
      if (!page) return;
      const data = page.data.slice();
      copy.pages[i] = { data, view: new DataView(data.buffer), known: page.known && page.known.slice() };
    });
    return copy;
  }

  /** Number of pages that hold bytes (for memory accounting in benchmarks and tests). */
  get residentPages(): number {
    return this.pages.reduce((n, page) => n + (page ? 1 : 0), 0);
  }

  private pageFor(offset: number): Page {
    const index = Math.floor(offset / PAGE_SIZE);
    let page = this.pages[index];
    if (!page) {
      const length = Math.min(PAGE_SIZE, this.size - index * PAGE_SIZE);
      const data = new Uint8Array(PAGE_SIZE);
      page = { data, view: new DataView(data.buffer), known: this.unknownUntilWritten ? new Uint8Array(PAGE_SIZE) : null };
      if (page.known && length < PAGE_SIZE) page.known.fill(0);
      this.pages[index] = page;
    }
    return page;
  }

  private checkRange(offset: number, length: number): void {
    if (!Number.isSafeInteger(offset) || offset < 0 || offset + length > this.size) {
      throw new RangeError(`bytes ${offset}..${offset + length} fall outside the ${this.size}-byte image`);
    }
  }
}

export function decodeWord(bytes: Uint8Array, width: PointerWidth, littleEndian: boolean): bigint {
  let value = 0n;
  for (let i = 0; i < width; i++) {
    const byte = bytes[littleEndian ? width - 1 - i : i] ?? 0;
    value = (value << 8n) | BigInt(byte);
  }
  return value;
}

export function encodeWord(value: bigint, width: PointerWidth, littleEndian: boolean): Uint8Array {
  const out = new Uint8Array(width);
  let v = BigInt.asUintN(width * 8, value);
  for (let i = 0; i < width; i++) {
    out[littleEndian ? i : width - 1 - i] = Number(v & 0xffn);
    v >>= 8n;
  }
  return out;
}
