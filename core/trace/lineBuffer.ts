// A trace's bytes a buffer of whole lines at a time, so a replay never holds the whole input (an
// 18 MB trace and its text cost more in page faults than parsing it, and standard input may never
// end). The buffer never grows: a line longer than it keeps only what its meaning needs.

import { MAX_OPERATION_LENGTH } from './parse';

/** Copies the next bytes of a trace into `into` from `at` on; returns how many, 0 at the end. */
export type ByteSource = (into: Uint8Array, at: number) => number;

/** A ByteSource failed (a read error); `afterLine` is filled in by the reader that knows the line. */
export class TraceReadError extends Error {
  afterLine = 0;
  constructor(override readonly cause: unknown) {
    super(cause instanceof Error ? cause.message : String(cause));
    this.name = 'TraceReadError';
  }
}

const NEWLINE = 10;
const HASH = 35;
const CHUNK = 1 << 18;
/** Where the rest of an over-long line is read while it is skipped. */
const SKIP_CHUNK = 1 << 16;
/** How much of an over-long line without a comment is kept, to quote it in the error. */
const PREVIEW = 512;
/**
 * The first read is small, so the replay loop refills once within its first few hundred lines,
 * before V8 optimizes it: a path first taken after that deoptimizes the loop.
 */
const FIRST_READ = 1 << 14;

/** A trace given whole in memory, served as a source (copied a buffer at a time). */
function bytesSource(all: Uint8Array): ByteSource {
  let done = 0;
  return (into, at) => {
    const n = Math.min(into.length - at, all.length - done);
    into.set(all.subarray(done, done + n), at);
    done += n;
    return n;
  };
}

export class LineBuffer {
  /** bytes[0, end) are whole lines; the last one lacks its newline only at the end of the input. */
  readonly bytes = new Uint8Array(CHUNK);
  end = 0;
  /**
   * When not 0, the first line of bytes[0, end) stands for an input line this many bytes long that
   * did not fit the buffer and has no `#` early enough to drop its rest as a comment: only its
   * start is kept, and the reader must refuse it (see MAX_OPERATION_LENGTH).
   */
  overlongBytes = 0;
  private filled = 0;
  private done = false;
  private reads = 0;
  private readonly source: ByteSource;
  private skipBuffer: Uint8Array | undefined;

  constructor(source: ByteSource | Uint8Array) {
    this.source = source instanceof Uint8Array ? bytesSource(source) : source;
  }

  /** Drops the lines before `end` and reads the next ones into bytes[0, end); false at the end of the input. */
  next(): boolean {
    if (this.done) return false;
    const bytes = this.bytes;
    bytes.copyWithin(0, this.end, this.filled);
    this.filled -= this.end;
    this.end = 0;
    this.overlongBytes = 0;
    for (;;) {
      if (this.filled === bytes.length) return this.overlongLine();
      const upTo = this.reads++ === 0 ? Math.min(bytes.length, this.filled + FIRST_READ) : bytes.length;
      const n = this.read(bytes.subarray(0, upTo), this.filled);
      if (n === 0) {
        this.done = true;
        this.end = this.filled;
        return this.end > 0;
      }
      // Only the new bytes can hold a newline: searching the whole buffer again after every small
      // read (a slow pipe) would take quadratic time on a long line.
      const before = this.filled;
      this.filled += n;
      const last = bytes.subarray(before, this.filled).lastIndexOf(NEWLINE);
      if (last >= 0) {
        this.end = before + last + 1;
        return true;
      }
    }
  }

  private read(into: Uint8Array, at: number): number {
    try {
      return this.source(into, at);
    } catch (error) {
      throw new TraceReadError(error);
    }
  }

  /**
   * The buffer holds the start of one line and no newline. When a `#` comes early enough, the line
   * means what comes before it: that part is kept and the comment skipped. Otherwise the line's
   * start is kept for the error message, with its length in overlongBytes. Either way the rest is
   * read and dropped up to the newline, and the lines after it follow in the buffer.
   */
  private overlongLine(): boolean {
    const bytes = this.bytes;
    const hash = bytes.indexOf(HASH);
    const commented = hash >= 0 && hash <= MAX_OPERATION_LENGTH;
    const kept = commented ? hash : PREVIEW;
    let length = this.filled;
    const skip = (this.skipBuffer ??= new Uint8Array(SKIP_CHUNK));
    for (;;) {
      const n = this.read(skip, 0);
      if (n === 0) {
        this.done = true;
        break;
      }
      const newline = skip.subarray(0, n).indexOf(NEWLINE);
      if (newline < 0) {
        length += n;
        continue;
      }
      length += newline;
      // kept + 1 + SKIP_CHUNK < CHUNK: the rest of this read fits behind the kept part.
      bytes.set(skip.subarray(newline + 1, n), kept + 1);
      this.filled = kept + 1 + (n - newline - 1);
      break;
    }
    bytes[kept] = NEWLINE;
    if (this.done) this.filled = kept + 1;
    if (!commented) this.overlongBytes = length;
    const whole = bytes.lastIndexOf(NEWLINE, this.filled - 1) + 1;
    this.end = this.done ? this.filled : whole;
    return true;
  }
}
