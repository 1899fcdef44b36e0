// A sparse byte image of a heap region: pages are allocated on first write, so a 1 GiB kernel heap
// costs only the pages that hold free-list words. Bytes can be unknown (a live read that failed),
// and an unknown byte is never reported as zero.
//
// Images up to 4 GiB index 64 KiB pages in an array (the replay hot path is one indexed load).
// Larger ones, up to the 2^63-byte heaps of a 64-bit target, keep 256-byte pages in a map: an
// array would need 2^32+ slots (V8 refuses it), and in such heaps free blocks, each holding one
// word, are often far apart, so small pages keep a million of them in memory.
import type { Endianness, PointerWidth } from '../layout';

const ARRAY_PAGE_SHIFT = 16;
const ARRAY_PAGE_MASK = (1 << ARRAY_PAGE_SHIFT) - 1;
const MAP_PAGE_SHIFT = 8;
/**
 * Pages are cut from slabs of this many: one large zeroed allocation is mapped lazily by the OS, so
 * only the 4 KiB pages holding written words cost memory, where a small allocation per page is
 * zeroed (and faulted in) whole when created.
 */
const SLAB_PAGES = 16;
/** Images of up to this many bytes use the page array. */
const MAX_ARRAY_IMAGE = 2 ** 32;
/** The largest image: a heap of a 64-bit target is below 2^64 bytes and a power of two. */
const MAX_IMAGE = 2 ** 63;

interface Page {
  readonly data: Uint8Array;
  readonly view: DataView;
  /** Per-byte known flags; null when the whole page is known. A byte not known is 0 in `data` (only writes set bytes). */
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
  private readonly unknownUntilWritten: boolean;
  private readonly pageShift: number;
  private readonly pageSize: number;
  private readonly pageMask: number;
  /** Pages by index: an array for images up to 4 GiB, else a map (exactly one is set). */
  private readonly pageArray: (Page | undefined)[] | undefined;
  private readonly pageMap: Map<number, Page> | undefined;
  /** Where new pages come from: the rest of the latest slab. */
  private slab: ArrayBuffer | undefined;
  private slabUsed = 0;

  /**
   * `size` may exceed 2^53 (a 64-bit heap): offsets are then exact only where the caller keeps
   * them exact, as the model does (its offsets are multiples of a large minimum block).
   */
  constructor(
    readonly size: number,
    options: ByteImageOptions,
  ) {
    if (!Number.isInteger(size) || size < 0 || size > MAX_IMAGE) {
      throw new RangeError(`image size ${size} is not a byte count from 0 to 2^63`);
    }
    this.pointerWidth = options.pointerWidth;
    this.littleEndian = options.endianness === 'little';
    this.unknownUntilWritten = options.unknownUntilWritten ?? false;
    const arrayed = size <= MAX_ARRAY_IMAGE;
    this.pageShift = arrayed ? ARRAY_PAGE_SHIFT : MAP_PAGE_SHIFT;
    this.pageSize = 2 ** this.pageShift;
    this.pageMask = this.pageSize - 1;
    if (arrayed) this.pageArray = new Array<Page | undefined>(Math.ceil(size / this.pageSize));
    else this.pageMap = new Map();
  }

  /** Copies bytes in at `offset` and marks them known (a successful memory read, or a loaded file). */
  write(offset: number, bytes: Uint8Array): void {
    this.checkRange(offset, bytes.length);
    let done = 0;
    while (done < bytes.length) {
      const at = offset + done;
      const inPage = at & this.pageMask;
      const n = Math.min(bytes.length - done, this.pageSize - inPage);
      // A page written whole by this write is known whole from its making: no flags made to be dropped.
      const page = this.pageFor(at, inPage === 0 && n === this.pageLength(this.indexOf(at)));
      page.data.set(bytes.subarray(done, done + n), inPage);
      if (page.known) {
        page.known.fill(1, inPage, inPage + n);
        // The last page may be shorter than pageSize (cut at the image's end): whole means its length.
        if (inPage === 0 && n === page.data.length) page.known = null;
      }
      done += n;
    }
  }

  /** Copies bytes out; undefined when any byte is unknown. */
  read(offset: number, length: number): Uint8Array | undefined {
    if (!this.inRange(offset, length)) return undefined;
    const out = new Uint8Array(length);
    let done = 0;
    while (done < length) {
      const at = offset + done;
      const page = this.pageAt(this.indexOf(at));
      const inPage = at & this.pageMask;
      const n = Math.min(length - done, this.pageSize - inPage);
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
    if (!this.inRange(offset, width)) return undefined;
    const inPage = offset & this.pageMask;
    if (inPage + width > this.pageSize) {
      const bytes = this.read(offset, width);
      return bytes && decodeWord(bytes, width, this.littleEndian);
    }
    const page = this.pageAt(this.indexOf(offset));
    if (!page) return this.unknownUntilWritten ? undefined : 0n;
    if (page.known && page.known.subarray(inPage, inPage + width).includes(0)) return undefined;
    return width === 4 ? BigInt(page.view.getUint32(inPage, this.littleEndian)) : page.view.getBigUint64(inPage, this.littleEndian);
  }

  /** Writes a pointer-sized word; the value is truncated to the width as the target's store would. */
  writeWord(offset: number, value: bigint): void {
    const width = this.pointerWidth;
    this.checkRange(offset, width);
    const inPage = offset & this.pageMask;
    if (inPage + width > this.pageSize) {
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
   * A little-endian word into an existing page of an array image is stored here; the rest is
   * apart, so V8 inlines this into the model.
   */
  writeWordParts(offset: number, low: number, high: number): void {
    const page = this.pageArray !== undefined && this.littleEndian ? this.pageArray[offset >>> ARRAY_PAGE_SHIFT] : undefined;
    if (page === undefined || page.known !== null) {
      this.writeWordPartsAnyPage(offset, low, high);
      return;
    }
    const inPage = offset & ARRAY_PAGE_MASK;
    page.view.setUint32(inPage, low, true);
    if (this.pointerWidth === 8) page.view.setUint32(inPage + 4, high, true);
  }

  private writeWordPartsAnyPage(offset: number, low: number, high: number): void {
    const page = this.pageFor(offset);
    const inPage = offset & this.pageMask;
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
    this.forEachPage((page, index) => {
      const data = page.data.slice();
      copy.setPage(index, { data, view: new DataView(data.buffer), known: page.known && page.known.slice() });
    });
    return copy;
  }

  /**
   * The known bytes as [offset, length] ranges in address order, adjacent ones joined (what a
   * snapshot file keeps: only what was read). Costs one pass over the resident pages.
   */
  knownRanges(): [number, number][] {
    const indices: number[] = [];
    this.forEachPage((_page, index) => indices.push(index));
    indices.sort((a, b) => a - b);
    const ranges: [number, number][] = [];
    const add = (offset: number, length: number) => {
      const last = ranges[ranges.length - 1];
      if (last && last[0] + last[1] === offset) last[1] += length;
      else ranges.push([offset, length]);
    };
    for (const index of indices) {
      const page = this.pageAt(index)!;
      const start = index * this.pageSize;
      const inImage = Math.min(this.pageSize, this.size - start);
      if (!page.known) {
        add(start, inImage);
        continue;
      }
      for (let i = 0; i < inImage;) {
        if (page.known[i] === 0) {
          i++;
          continue;
        }
        let j = i;
        while (j < inImage && page.known[j] !== 0) j++;
        add(start + i, j - i);
        i = j;
      }
    }
    return ranges;
  }

  /**
   * Whether both images hold the same heap: the same size, the same bytes known, and equal where
   * known (a byte never written reads as unknown or zero, as each image says). One pass over the
   * resident pages; `equalBytes` compares two equally long runs of bytes (Node's Buffer#equals is
   * a memcmp, where a loop in JS runs interpreted in code that runs once per stop).
   */
  sameContent(other: ByteImage, equalBytes: (a: Uint8Array, b: Uint8Array) => boolean = sameBytes): boolean {
    if (other.size !== this.size || other.pageSize !== this.pageSize) return false;
    const alike = (index: number) =>
      samePage(
        this.pageAt(index),
        this.unknownUntilWritten,
        other.pageAt(index),
        other.unknownUntilWritten,
        this.pageLength(index),
        equalBytes,
      );
    // A page written in neither image is alike in both, unless unwritten bytes mean unknown in one and zero in the other.
    const unwrittenAlike = this.unknownUntilWritten === other.unknownUntilWritten;
    if (this.pageArray !== undefined && other.pageArray !== undefined) {
      for (let index = 0; index < this.pageArray.length; index++)
        if ((!unwrittenAlike || this.pageArray[index] !== undefined || other.pageArray[index] !== undefined) && !alike(index)) return false;
      return true;
    }
    const indices = new Set<number>();
    this.forEachPage((_page, index) => indices.add(index));
    other.forEachPage((_page, index) => indices.add(index));
    if (!unwrittenAlike && indices.size < Math.ceil(this.size / this.pageSize)) return false;
    for (const index of indices) if (!alike(index)) return false;
    return true;
  }

  /** Number of pages that hold bytes (for memory accounting in benchmarks and tests). */
  get residentPages(): number {
    let n = 0;
    this.forEachPage(() => n++);
    return n;
  }

  /** Bytes held in pages (for memory accounting). */
  get residentBytes(): number {
    let n = 0;
    this.forEachPage(page => (n += page.data.length));
    return n;
  }

  private indexOf(offset: number): number {
    return Math.floor(offset / this.pageSize);
  }

  private pageAt(index: number): Page | undefined {
    return this.pageArray !== undefined ? this.pageArray[index] : this.pageMap!.get(index);
  }

  private setPage(index: number, page: Page): void {
    if (this.pageArray !== undefined) this.pageArray[index] = page;
    else this.pageMap!.set(index, page);
  }

  private forEachPage(visit: (page: Page, index: number) => void): void {
    if (this.pageArray !== undefined)
      this.pageArray.forEach((page, index) => {
        if (page) visit(page, index);
      });
    else this.pageMap!.forEach(visit);
  }

  /** Bytes in page `index`: the page size, or less for the last page (cut at the image's end). */
  private pageLength(index: number): number {
    return Math.min(this.pageSize, this.size - index * this.pageSize);
  }

  /** The page holding `offset`, made if missing; `writtenWhole`: the caller is about to write all of it. */
  private pageFor(offset: number, writtenWhole = false): Page {
    const index = this.indexOf(offset);
    let page = this.pageAt(index);
    if (!page) {
      // The last page ends with the image: a 4 KiB live heap costs 4 KiB (and its flags), not a
      // zeroed 64 KiB page and 64 KiB of flags at every refresh.
      const length = this.pageLength(index);
      const data = this.newPageData(length);
      page = {
        data,
        view: new DataView(data.buffer, data.byteOffset, data.byteLength),
        known: this.unknownUntilWritten && !writtenWhole ? new Uint8Array(length) : null,
      };
      this.setPage(index, page);
    }
    return page;
  }

  /** Zeroed bytes for one page, from the current slab or a new one (never more pages than the image has). */
  private newPageData(length: number): Uint8Array {
    // A short (last) page is allocated on its own: slabs stay cut in whole pages.
    if (length < this.pageSize) return new Uint8Array(length);
    if (this.slab === undefined || this.slabUsed === this.slab.byteLength) {
      const pages = Math.min(SLAB_PAGES, Math.max(1, Math.floor(this.size / this.pageSize)));
      this.slab = new ArrayBuffer(pages * this.pageSize);
      this.slabUsed = 0;
    }
    const data = new Uint8Array(this.slab, this.slabUsed, this.pageSize);
    this.slabUsed += this.pageSize;
    return data;
  }

  /**
   * [offset, offset + length) lies in the image. Written as size - offset, not offset + length:
   * beyond 2^53 the sum rounds, while the difference is exact near the end of the image, the only
   * place the comparison is close.
   */
  private inRange(offset: number, length: number): boolean {
    return Number.isInteger(offset) && offset >= 0 && length >= 0 && this.size - offset >= length;
  }

  private checkRange(offset: number, length: number): void {
    if (!this.inRange(offset, length)) {
      throw new RangeError(`bytes ${offset}..${offset + length} fall outside the ${this.size}-byte image`);
    }
  }
}

/**
 * Two pages (undefined: never written) alike over their first `length` bytes: the same bytes
 * known, equal where known. An unknown byte of a page is always 0 (only writes set bytes, and
 * they mark them known), so pages with the same flags are alike when their bytes are equal.
 */
function samePage(
  a: Page | undefined,
  aUnknown: boolean,
  b: Page | undefined,
  bUnknown: boolean,
  length: number,
  equalBytes: (a: Uint8Array, b: Uint8Array) => boolean,
): boolean {
  if (!a && !b && aUnknown === bUnknown) return true;
  // A page never written holds unknown bytes, or (simulation images) known zeros.
  const flagsA = a ? a.known : aUnknown ? NOTHING_KNOWN : null;
  const flagsB = b ? b.known : bUnknown ? NOTHING_KNOWN : null;
  if (!sameFlags(flagsA, flagsB, length, equalBytes)) return false;
  const zeros = !a || !b ? new Uint8Array(length) : undefined;
  return equalBytes((a?.data ?? zeros!).subarray(0, length), (b?.data ?? zeros!).subarray(0, length));
}

/** Stands for the flags of a page never written in an image whose unwritten bytes are unknown. */
const NOTHING_KNOWN = new Uint8Array(0);

/** Known flags (null: all known) alike over `length` bytes. */
function sameFlags(
  a: Uint8Array | null,
  b: Uint8Array | null,
  length: number,
  equalBytes: (a: Uint8Array, b: Uint8Array) => boolean,
): boolean {
  if (a === b) return true;
  if (a === NOTHING_KNOWN || b === NOTHING_KNOWN) {
    const other = a === NOTHING_KNOWN ? b : a;
    return other !== null && !other.subarray(0, length).includes(1);
  }
  if (a === null || b === null) return !(a ?? b)!.subarray(0, length).includes(0);
  return equalBytes(a.subarray(0, length), b.subarray(0, length));
}

/** Equal runs of bytes, a 32-bit word at a time where both start on one (the default of sameContent). */
function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let i = 0;
  if (a.byteOffset % 4 === 0 && b.byteOffset % 4 === 0) {
    const n = a.length >>> 2;
    const wa = new Int32Array(a.buffer, a.byteOffset, n);
    const wb = new Int32Array(b.buffer, b.byteOffset, n);
    for (let w = 0; w < n; w++) if (wa[w] !== wb[w]) return false;
    i = n * 4;
  }
  for (; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
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
