// A trace's bytes a buffer of whole lines at a time, so a replay never holds the whole file (an
// 18 MB trace and its text cost more in page faults than parsing it).

/** Copies the next bytes of a trace into `into` from `at` on; returns how many, 0 at the end. */
export type ByteSource = (into: Uint8Array, at: number) => number;

const NEWLINE = 10;
const CHUNK = 1 << 18;
/**
 * The first read is small, so the replay loop refills once within its first few hundred lines,
 * before V8 optimizes it: a path first taken after that deoptimizes the loop.
 */
const FIRST_READ = 1 << 14;

export class LineBuffer {
  /** bytes[0, end) are whole lines; the last one lacks its newline only at the end of the input. */
  bytes: Uint8Array;
  end: number;
  private filled: number;
  private done: boolean;
  private reads = 0;

  constructor(private readonly source: ByteSource | Uint8Array) {
    if (source instanceof Uint8Array) {
      this.bytes = source;
      this.end = this.filled = source.length;
      this.done = true;
    } else {
      this.bytes = new Uint8Array(CHUNK);
      this.end = this.filled = 0;
      this.done = false;
    }
  }

  /** Drops the lines before `end` and reads the next ones into bytes[0, end); false at the end of the input. */
  next(): boolean {
    if (this.done || typeof this.source !== 'function') return false;
    let bytes = this.bytes;
    bytes.copyWithin(0, this.end, this.filled);
    this.filled -= this.end;
    this.end = 0;
    for (;;) {
      if (this.filled === bytes.length) {
        // A line longer than the buffer.
        const larger = new Uint8Array(bytes.length * 2);
        larger.set(bytes);
        this.bytes = bytes = larger;
      }
      const upTo = this.reads++ === 0 ? Math.min(bytes.length, this.filled + FIRST_READ) : bytes.length;
      const n = this.source(bytes.subarray(0, upTo), this.filled);
      if (n === 0) {
        this.done = true;
        this.end = this.filled;
        return this.end > 0;
      }
      this.filled += n;
      const whole = bytes.lastIndexOf(NEWLINE, this.filled - 1) + 1;
      if (whole > 0) {
        this.end = whole;
        return true;
      }
    }
  }
}
