// Replays trace text straight to JSON lines, for `buddy-heap replay --json` on traces of millions
// of operations. Plain `alloc <size> <align>` and `free <address> <size> <align>` lines with
// numbers that fit a double take a fast path (no bigint, no objects, no JSON.stringify); every
// other line goes through parseTraceLine and TraceReplayer, so both paths print the same thing.
import type { BuddyHeap } from '../model/buddyHeap';
import { JsonLineWriter } from './jsonLineWriter';
import { parseTraceLine } from './parse';
import { TraceReplayer } from './replay';

const MAX_DECIMAL_DIGITS = 15; // exact in a double
const MAX_HEX_DIGITS = 13;

/**
 * The decimal or 0x-hex number in text[start, end) as an exact number, or -1 when it needs the
 * general parser. Reads the trace text in place: slicing a million lines into tokens cost more
 * than the allocator itself.
 */
function numberAt(text: string, start: number, end: number): number {
  const n = end - start;
  if (n <= 0) return -1;
  if (n > 2 && text.charCodeAt(start) === 48 && (text.charCodeAt(start + 1) | 32) === 120) {
    if (n - 2 > MAX_HEX_DIGITS) return -1;
    let value = 0;
    for (let i = start + 2; i < end; i++) {
      const c = text.charCodeAt(i) | 32;
      const digit = c >= 48 && c <= 57 ? c - 48 : c >= 97 && c <= 102 ? c - 87 : -1;
      if (digit < 0) return -1;
      value = value * 16 + digit;
    }
    return value;
  }
  if (n > MAX_DECIMAL_DIGITS) return -1;
  let value = 0;
  for (let i = start; i < end; i++) {
    const digit = text.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) return -1;
    value = value * 10 + digit;
  }
  return value;
}

const ALLOC_OK = JsonLineWriter.constant('{"op":"alloc","ok":true,"address":"0x');
const LINE_END = JsonLineWriter.constant('"}\n');
const FREE_OK = JsonLineWriter.constant('{"op":"free","ok":true}\n');
const ALLOC_ERRORS = new Map(['HeapExhausted', 'InvalidSize(TooLarge)', 'InvalidSize(BadAlignment)'].map(e => [e, JsonLineWriter.constant(`{"op":"alloc","ok":false,"error":"${e}"}\n`)]));

/**
 * Replays `text`, handing the JSON lines to `write` as bytes in large chunks (valid only during
 * the call). Throws TraceSyntaxError at a malformed line; the results of the lines before it have
 * been written by then.
 */
export function replayToJsonLines(text: string, write: (chunk: Uint8Array) => void): void {
  const replayer = new TraceReplayer();
  const out = new JsonLineWriter(write);
  let lineNumber = 0;
  let pos = 0;
  try {
    while (pos < text.length) {
      let end = text.indexOf('\n', pos);
      if (end < 0) end = text.length;
      lineNumber++;
      if (!replayer.heap || !fastLine(text, pos, end, replayer.heap, out)) {
        const op = parseTraceLine(text.slice(pos, end), lineNumber);
        if (op) out.text(JSON.stringify(replayer.apply(op)) + '\n');
      }
      pos = end + 1;
    }
  } finally {
    out.flush();
  }
}

/** Positions of the single spaces in text[start, end) when there are exactly `count`, else undefined. */
function spaces(text: string, start: number, end: number, count: 2 | 3): [number, number, number] | undefined {
  const first = text.indexOf(' ', start);
  const second = first < 0 || first >= end ? -1 : text.indexOf(' ', first + 1);
  const third = second < 0 || second >= end ? -1 : text.indexOf(' ', second + 1);
  if (count === 2) return second >= 0 && second < end && (third < 0 || third >= end) ? [first, second, end] : undefined;
  const fourth = third < 0 || third >= end ? -1 : text.indexOf(' ', third + 1);
  return third >= 0 && third < end && (fourth < 0 || fourth >= end) ? [second, third, end] : undefined;
}

/** Replays a plain alloc/free line at text[start, end) and writes its result; false when it needs the general path. */
function fastLine(text: string, start: number, end: number, heap: BuddyHeap, out: JsonLineWriter): boolean {
  const first = text.charCodeAt(start);
  if (first === 97 /* a */ && text.startsWith('alloc ', start)) {
    const at = spaces(text, start, end, 2);
    if (!at || at[0] !== start + 5) return false;
    const size = numberAt(text, at[0] + 1, at[1]);
    const align = numberAt(text, at[1] + 1, end);
    if (size < 0 || align < 0) return false;
    const result = heap.allocate(size, align);
    if (!result.ok) {
      out.bytes(ALLOC_ERRORS.get(result.error)!);
      return true;
    }
    out.bytes(ALLOC_OK);
    const address = heap.baseNumber + result.offset;
    if (address <= Number.MAX_SAFE_INTEGER) out.hex(address);
    else out.text(heap.address(result.offset).toString(16));
    out.bytes(LINE_END);
    return true;
  }
  if (first === 102 /* f */ && text.startsWith('free ', start)) {
    const at = spaces(text, start, end, 3);
    const firstSpace = text.indexOf(' ', start);
    if (!at || firstSpace !== start + 4) return false;
    const address = numberAt(text, firstSpace + 1, at[0]);
    const size = numberAt(text, at[0] + 1, at[1]);
    const align = numberAt(text, at[1] + 1, end);
    const offset = address - heap.baseNumber;
    if (address < 0 || size < 0 || align < 0 || !Number.isSafeInteger(offset)) return false;
    const result = heap.deallocate(offset, size, align);
    if (result.ok) out.bytes(FREE_OK);
    else out.text(JSON.stringify({ op: 'free', ok: false, error: `${result.error}: ${result.message}` }) + '\n');
    return true;
  }
  return false;
}
