// Replays whole trace lines from bytes. Plain `alloc <size> <align>` and `free <address> <size>
// <align>` lines with numbers that fit a double take a fast path that reads the bytes in place (no
// text decoding, no bigint, no objects, no JSON.stringify); every other line is decoded and goes
// through parseTraceLine and TraceReplayer, so both paths print the same thing.
//
// A replay is one cold run of a few hundred milliseconds, so how soon V8 optimizes the hot loop
// matters as much as the optimized code: the loop parses in place and holds no rarely taken paths.
import { ALLOC_BAD_ALIGNMENT, ALLOC_TOO_LARGE, type BuddyHeap } from '../model/buddyHeap';
import { JsonLineWriter } from './jsonLineWriter';
import { parseTraceLine } from './parse';
import { TraceReplayer } from './replay';

const MAX_DECIMAL_DIGITS = 15; // exact in a double
const MAX_HEX_DIGITS = 13;
const NEWLINE = 10;
const SPACE = 32;
/** Output room a fast line needs: the longest is an allocated address of 16 hex digits (57 bytes). */
const MAX_FAST_LINE = 64;

const ALLOC_OK = JsonLineWriter.constant('{"op":"alloc","ok":true,"address":"0x');
const LINE_END = JsonLineWriter.constant('"}\n');
const FREE_OK = JsonLineWriter.constant('{"op":"free","ok":true}\n');
const allocError = (error: string) => JsonLineWriter.constant(`{"op":"alloc","ok":false,"error":"${error}"}\n`);
const BAD_ALIGNMENT = allocError('InvalidSize(BadAlignment)');
const TOO_LARGE = allocError('InvalidSize(TooLarge)');
const EXHAUSTED = allocError('HeapExhausted');

export class LineReplay {
  private readonly replayer = new TraceReplayer();
  private readonly out: JsonLineWriter;
  // Lines are split at byte 10, which never occurs inside a UTF-8 sequence and ends any broken
  // one, so decoding line by line gives the text that decoding the whole file would.
  private readonly decoder = new TextDecoder('utf-8', { ignoreBOM: true });
  /** The numbers of the fast-path line being read. */
  private readonly values = new Float64Array(3);
  private lineNumber = 0;

  constructor(write: (chunk: Uint8Array) => void) {
    this.out = new JsonLineWriter(write);
  }

  /** Replays the lines in `bytes`; its last line is complete even without a newline. */
  lines(bytes: Uint8Array): void {
    let pos = 0;
    while (pos < bytes.length) {
      pos = this.fastLines(bytes, pos);
      if (pos >= bytes.length) break;
      if (this.out.room < MAX_FAST_LINE) this.out.flush();
      else pos = this.generalLine(bytes, pos);
    }
  }

  /**
   * Replays fast-path lines from `pos` on; returns where it stopped: the end, a line for the
   * general path, or a line start when the output buffer is nearly full. The rare paths (flushing,
   * other lines, refused frees) are the caller's, so V8 never meets code here without type
   * feedback and never deoptimizes the loop.
   */
  private fastLines(bytes: Uint8Array, pos: number): number {
    const n = bytes.length;
    const heap = this.replayer.heap;
    const out = this.out;
    const values = this.values;
    if (heap === undefined) return pos;
    while (pos < n && out.room >= MAX_FAST_LINE) {
      let at = pos;
      let fields = 0;
      const c = bytes[pos];
      if (c === 97 && bytes[pos + 1] === 108 && bytes[pos + 2] === 108 && bytes[pos + 3] === 111 && bytes[pos + 4] === 99 && bytes[pos + 5] === SPACE) {
        fields = 2;
        at = pos + 6;
      } else if (c === 102 && bytes[pos + 1] === 114 && bytes[pos + 2] === 101 && bytes[pos + 3] === 101 && bytes[pos + 4] === SPACE) {
        fields = 3;
        at = pos + 5;
      } else {
        return pos;
      }
      // Each field: a decimal or 0x-hex number of few enough digits to be exact, then one space,
      // or the end of the line after the last field.
      for (let field = 0; field < fields; field++) {
        let value = 0;
        let start = at;
        if (bytes[at] === 48 && (bytes[at + 1]! | 32) === 120) {
          start = at += 2;
          for (; at < n; at++) {
            const h = bytes[at]! | 32;
            const digit = h >= 48 && h <= 57 ? h - 48 : h >= 97 && h <= 102 ? h - 87 : -1;
            if (digit < 0) break;
            value = value * 16 + digit;
          }
          if (at === start || at - start > MAX_HEX_DIGITS) return pos;
        } else {
          for (; at < n; at++) {
            const digit = bytes[at]! - 48;
            if (digit < 0 || digit > 9) break;
            value = value * 10 + digit;
          }
          if (at === start || at - start > MAX_DECIMAL_DIGITS) return pos;
        }
        values[field] = value;
        const after = at < n ? bytes[at] : NEWLINE;
        if (after !== (field < fields - 1 ? SPACE : NEWLINE)) return pos;
        at++;
      }
      if (fields === 2) this.alloc(heap, values[0]!, values[1]!);
      else if (!this.free(heap, values[0]!, values[1]!, values[2]!)) return pos;
      this.lineNumber++;
      pos = at;
    }
    return pos;
  }

  /** Replays the line at `pos` through parseTraceLine and TraceReplayer; returns where the next starts. */
  private generalLine(bytes: Uint8Array, pos: number): number {
    this.lineNumber++;
    let end = bytes.indexOf(NEWLINE, pos);
    if (end < 0) end = bytes.length;
    const op = parseTraceLine(this.decoder.decode(bytes.subarray(pos, end)), this.lineNumber);
    if (op) this.out.text(JSON.stringify(this.replayer.apply(op)) + '\n');
    return end + 1;
  }

  flush(): void {
    this.out.flush();
  }

  private alloc(heap: BuddyHeap, size: number, align: number): void {
    const out = this.out;
    const leaf = heap.allocateLeaf(size, align);
    if (leaf < 0) {
      out.piece(leaf === ALLOC_BAD_ALIGNMENT ? BAD_ALIGNMENT : leaf === ALLOC_TOO_LARGE ? TOO_LARGE : EXHAUSTED);
      return;
    }
    out.piece(ALLOC_OK);
    const address = heap.baseNumber + leaf * heap.minBlock;
    if (address <= Number.MAX_SAFE_INTEGER) out.hex(address);
    else out.text(heap.address(leaf * heap.minBlock).toString(16));
    out.piece(LINE_END);
  }

  /**
   * False (nothing done) when the general path must answer: an address that is no exact offset
   * from the base, or a free the model refuses (deallocateAt words the refusal the same way).
   */
  private free(heap: BuddyHeap, address: number, size: number, align: number): boolean {
    const offset = address - heap.baseNumber;
    if (!Number.isSafeInteger(offset) || !heap.deallocateLeaf(offset, size, align)) return false;
    this.out.piece(FREE_OK);
    return true;
  }
}
