// Replays trace bytes straight to JSON lines, for `buddy-heap replay --json` on traces of millions
// of operations. Plain `alloc <size> <align>` and `free <address> <size> <align>` lines with
// numbers that fit a double take a fast path that reads the bytes in place (no text decoding, no
// bigint, no objects, no JSON.stringify); every other line is decoded and goes through
// parseTraceLine and TraceReplayer, so both paths print the same thing.
import { ALLOC_BAD_ALIGNMENT, ALLOC_TOO_LARGE, type BuddyHeap } from '../model/buddyHeap';
import { JsonLineWriter } from './jsonLineWriter';
import { parseTraceLine } from './parse';
import { TraceReplayer } from './replay';

const MAX_DECIMAL_DIGITS = 15; // exact in a double
const MAX_HEX_DIGITS = 13;
const NEWLINE = 10;
const SPACE = 32;

const ALLOC_OK = JsonLineWriter.constant('{"op":"alloc","ok":true,"address":"0x');
const LINE_END = JsonLineWriter.constant('"}\n');
const FREE_OK = JsonLineWriter.constant('{"op":"free","ok":true}\n');
const allocError = (error: string) => JsonLineWriter.constant(`{"op":"alloc","ok":false,"error":"${error}"}\n`);
const BAD_ALIGNMENT = allocError('InvalidSize(BadAlignment)');
const TOO_LARGE = allocError('InvalidSize(TooLarge)');
const EXHAUSTED = allocError('HeapExhausted');

/** Copies the next bytes of a trace into `into` from `at` on; returns how many, 0 at the end. */
export type ByteSource = (into: Uint8Array, at: number) => number;

/**
 * Read size for a ByteSource. Streaming in chunks, instead of holding an 18 MB trace (and its
 * text), keeps memory small: on these machines a page fault costs more than parsing a line.
 */
const CHUNK = 1 << 18;

/**
 * Replays a trace (UTF-8 bytes, a source of them, or text), handing the JSON lines to `write` as
 * bytes in large chunks (valid only during the call). Throws TraceSyntaxError at a malformed line;
 * the results of the lines before it have been written by then.
 */
export function replayToJsonLines(trace: Uint8Array | ByteSource | string, write: (chunk: Uint8Array) => void): void {
  const replay = new LineReplay(write);
  try {
    if (typeof trace === 'string') replay.lines(new TextEncoder().encode(trace));
    else if (trace instanceof Uint8Array) replay.lines(trace);
    else {
      let buffer = new Uint8Array(CHUNK);
      let filled = 0;
      for (;;) {
        const n = trace(buffer, filled);
        filled += n;
        if (n === 0) {
          replay.lines(buffer.subarray(0, filled));
          return;
        }
        // Whole lines now; a partial last line waits for the rest of its bytes.
        const whole = buffer.lastIndexOf(NEWLINE, filled - 1) + 1;
        replay.lines(buffer.subarray(0, whole));
        buffer.copyWithin(0, whole, filled);
        filled -= whole;
        if (filled === buffer.length) {
          const larger = new Uint8Array(buffer.length * 2);
          larger.set(buffer);
          buffer = larger;
        }
      }
    }
  } finally {
    replay.flush();
  }
}

class LineReplay {
  private readonly replayer = new TraceReplayer();
  private readonly out: JsonLineWriter;
  // Lines are split at byte 10, which never occurs inside a UTF-8 sequence and ends any broken
  // one, so decoding line by line gives the text that decoding the whole file would.
  private readonly decoder = new TextDecoder('utf-8', { ignoreBOM: true });
  private lineNumber = 0;

  constructor(write: (chunk: Uint8Array) => void) {
    this.out = new JsonLineWriter(write);
  }

  /** Replays the lines in `bytes`; its last line is complete even without a newline. */
  lines(bytes: Uint8Array): void {
    const out = this.out;
    let pos = 0;
    while (pos < bytes.length) {
      this.lineNumber++;
      const heap = this.replayer.heap;
      const next = heap ? fastLine(bytes, pos, heap, out) : -1;
      if (next >= 0) {
        pos = next;
        continue;
      }
      let end = bytes.indexOf(NEWLINE, pos);
      if (end < 0) end = bytes.length;
      const op = parseTraceLine(this.decoder.decode(bytes.subarray(pos, end)), this.lineNumber);
      if (op) out.text(JSON.stringify(this.replayer.apply(op)) + '\n');
      pos = end + 1;
    }
  }

  flush(): void {
    this.out.flush();
  }
}

/** Where the number read by numberAt stopped: the index of the first byte after its digits. */
let numberEnd = 0;

/**
 * The decimal or 0x-hex number starting at bytes[start], up to the first byte that is not one of
 * its digits (left in numberEnd), as an exact number; -1 when it needs the general parser.
 */
function numberAt(bytes: Uint8Array, start: number): number {
  let i = start;
  let value = 0;
  if (bytes[i] === 48 && (bytes[i + 1]! | 32) === 120) {
    i += 2;
    const first = i;
    for (; i < bytes.length; i++) {
      const c = bytes[i]! | 32;
      const digit = c >= 48 && c <= 57 ? c - 48 : c >= 97 && c <= 102 ? c - 87 : -1;
      if (digit < 0) break;
      value = value * 16 + digit;
    }
    numberEnd = i;
    return i === first || i - first > MAX_HEX_DIGITS ? -1 : value;
  }
  for (; i < bytes.length; i++) {
    const digit = bytes[i]! - 48;
    if (digit < 0 || digit > 9) break;
    value = value * 10 + digit;
  }
  numberEnd = i;
  return i === start || i - start > MAX_DECIMAL_DIGITS ? -1 : value;
}

/** The number at `start` if a single space follows it (-1 otherwise); numberEnd is past the space. */
function numberThenSpace(bytes: Uint8Array, start: number): number {
  const value = numberAt(bytes, start);
  if (bytes[numberEnd] !== SPACE) return -1;
  numberEnd++;
  return value;
}

/** The number at `start` if it ends the line (-1 otherwise); numberEnd is where the next line starts. */
function numberThenLineEnd(bytes: Uint8Array, start: number): number {
  const value = numberAt(bytes, start);
  if (numberEnd < bytes.length) {
    if (bytes[numberEnd] !== NEWLINE) return -1;
    numberEnd++;
  }
  return value;
}

/**
 * Replays a plain alloc/free line starting at bytes[start] and writes its result; returns where
 * the next line starts, or -1 (nothing done) when the line needs the general path.
 */
function fastLine(bytes: Uint8Array, start: number, heap: BuddyHeap, out: JsonLineWriter): number {
  const first = bytes[start];
  if (first === 97 && bytes[start + 1] === 108 && bytes[start + 2] === 108 && bytes[start + 3] === 111 && bytes[start + 4] === 99 && bytes[start + 5] === SPACE) {
    const size = numberThenSpace(bytes, start + 6);
    if (size < 0) return -1;
    const align = numberThenLineEnd(bytes, numberEnd);
    if (align < 0) return -1;
    const next = numberEnd;
    const leaf = heap.allocateLeaf(size, align);
    if (leaf < 0) {
      out.bytes(leaf === ALLOC_BAD_ALIGNMENT ? BAD_ALIGNMENT : leaf === ALLOC_TOO_LARGE ? TOO_LARGE : EXHAUSTED);
      return next;
    }
    out.bytes(ALLOC_OK);
    const address = heap.baseNumber + leaf * heap.minBlock;
    if (address <= Number.MAX_SAFE_INTEGER) out.hex(address);
    else out.text(heap.address(leaf * heap.minBlock).toString(16));
    out.bytes(LINE_END);
    return next;
  }
  if (first === 102 && bytes[start + 1] === 114 && bytes[start + 2] === 101 && bytes[start + 3] === 101 && bytes[start + 4] === SPACE) {
    const address = numberThenSpace(bytes, start + 5);
    if (address < 0) return -1;
    const size = numberThenSpace(bytes, numberEnd);
    if (size < 0) return -1;
    const align = numberThenLineEnd(bytes, numberEnd);
    if (align < 0) return -1;
    const next = numberEnd;
    const offset = address - heap.baseNumber;
    if (!Number.isSafeInteger(offset)) return -1;
    if (heap.deallocateLeaf(offset, size, align)) out.bytes(FREE_OK);
    else {
      const refused = heap.deallocate(offset, size, align);
      if (!refused.ok) out.text(JSON.stringify({ op: 'free', ok: false, error: `${refused.error}: ${refused.message}` }) + '\n');
    }
    return next;
  }
  return -1;
}
