// A raw memory image read by position through a small page cache, and the heap's words read from
// it on demand: `inspect` reads only the struct and the words the free-list walks follow, so an
// image of any size costs at most the cache (a 16 MiB heap is no longer copied whole first).
import type { PointerWidth } from '../layout';
import type { HeapWordReader } from '../memory/byteImage';
import type { RandomAccessFile } from './io';

const PAGE_SHIFT = 16;
const PAGE_SIZE = 1 << PAGE_SHIFT;
/** 8 MiB of pages: walks jump around a heap, and a cache this size keeps small heaps whole. */
const DEFAULT_MAX_PAGES = 128;

export class ImagePages {
  readonly size: number;
  /** Pages by index, least recently used first (a Map keeps insertion order). */
  private readonly pages = new Map<number, Uint8Array>();
  private lastIndex = -1;
  private lastPage: Uint8Array | undefined;

  constructor(
    private readonly file: RandomAccessFile,
    private readonly maxPages = DEFAULT_MAX_PAGES,
  ) {
    this.size = file.size;
  }

  /** The byte at `position`, which must be inside the image. */
  byte(position: number): number {
    const index = Math.floor(position / PAGE_SIZE);
    const page = index === this.lastIndex ? this.lastPage! : this.page(index);
    return page[position - index * PAGE_SIZE] ?? 0;
  }

  /** `length` bytes from `position`; undefined unless all of them are inside the image. */
  bytes(position: number, length: number): Uint8Array | undefined {
    if (position < 0 || length < 0 || position + length > this.size) return undefined;
    const out = new Uint8Array(length);
    for (let i = 0; i < length; i++) out[i] = this.byte(position + i);
    return out;
  }

  private page(index: number): Uint8Array {
    let page = this.pages.get(index);
    if (page) {
      this.pages.delete(index);
    } else {
      if (this.pages.size >= this.maxPages) {
        const oldest = this.pages.keys().next().value as number;
        this.pages.delete(oldest);
      }
      page = new Uint8Array(Math.min(PAGE_SIZE, this.size - index * PAGE_SIZE));
      const read = this.file.read(page, index * PAGE_SIZE);
      // A file that shrank while read: what is missing reads as zero, like the rest of a short page.
      if (read < page.length) page.fill(0, read);
    }
    this.pages.set(index, page);
    this.lastIndex = index;
    this.lastPage = page;
    return page;
  }
}

/** The heap's words as the decoder reads them: heap offset → image position; bytes outside the image are unknown. */
export class HeapImageReader implements HeapWordReader {
  /** Heap offsets [from, to) that the image holds. */
  private readonly from: number;
  private readonly to: number;
  private readonly start: number;
  readonly size: number;

  constructor(
    private readonly image: ImagePages,
    heapBase: bigint,
    imageBase: bigint,
    heapSize: bigint,
    readonly pointerWidth: PointerWidth,
    private readonly littleEndian: boolean,
  ) {
    this.size = heapSize > BigInt(Number.MAX_SAFE_INTEGER) ? 0 : Number(heapSize);
    const start = heapBase - imageBase;
    const from = start < 0n ? -start : 0n;
    const end = BigInt(image.size) - start;
    const to = BigInt(this.size) < end ? BigInt(this.size) : end;
    // Nothing covered (the heap lies outside the image): every word is unknown.
    const covered = to > from;
    this.from = covered ? Number(from) : 0;
    this.to = covered ? Number(to) : 0;
    this.start = covered ? Number(start) : 0;
  }

  readWord(offset: number): bigint | undefined {
    const width = this.pointerWidth;
    if (offset < this.from || offset + width > this.to) return undefined;
    const at = this.start + offset;
    let value = 0n;
    for (let i = 0; i < width; i++) value = (value << 8n) | BigInt(this.image.byte(at + (this.littleEndian ? width - 1 - i : i)));
    return value;
  }
}
