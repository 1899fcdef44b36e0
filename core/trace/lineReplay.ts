// Replays whole trace lines from bytes. Plain `alloc <size> <align>` and `free <address> <size>
// <align>` lines with numbers that fit a double take a fast path that reads the bytes in place (no
// text decoding, no bigint, no objects, no JSON.stringify); every other line is decoded and goes
// through parseTraceLine and TraceReplayer, so both paths print the same thing.
//
// A replay is one cold run of a few hundred milliseconds, so how soon V8 optimizes the hot loop
// matters as much as the optimized code: the loop parses in place and holds no rarely taken paths.
import { ALLOC_BAD_ALIGNMENT, ALLOC_EXHAUSTED, ALLOC_TOO_LARGE } from '../model/buddyHeap';
import { JsonLineWriter } from './jsonLineWriter';
import { type LineBuffer, TraceReadError } from './lineBuffer';
import { parseTraceLine } from './parse';
import { TraceReplayer } from './replay';
import { lineDecoder, lineText } from './traceLines';

const MAX_DECIMAL_DIGITS = 15; // exact in a double
const MAX_HEX_DIGITS = 13;
const NEWLINE = 10;
const SPACE = 32;
/**
 * Output room a fast line needs: the longest is an allocated address of 16 hex digits (57 bytes),
 * and its pieces are stored in whole 8-byte words (up to 7 bytes of padding past the line).
 */
const MAX_FAST_LINE = 72;
/** Each byte's value as a hex digit (0-15), -1 for any other byte: one load, not four compares. */
const HEX_VALUE = Int8Array.from({ length: 256 }, (_, b) =>
  b >= 48 && b <= 57 ? b - 48 : (b | 32) >= 97 && (b | 32) <= 102 ? (b | 32) - 87 : -1,
);

const ALLOC_OK = JsonLineWriter.constant('{"op":"alloc","ok":true,"address":"0x');
const LINE_END = JsonLineWriter.constant('"}\n');
const FREE_OK = JsonLineWriter.constant('{"op":"free","ok":true}\n');
const allocError = (error: string) => JsonLineWriter.constant(`{"op":"alloc","ok":false,"error":"${error}"}\n`);
const BAD_ALIGNMENT = allocError('InvalidSize(BadAlignment)');
const TOO_LARGE = allocError('InvalidSize(TooLarge)');
const EXHAUSTED = allocError('HeapExhausted');
/**
 * An alloc line's first piece, at Math.min(leaf, 0) - ALLOC_EXHAUSTED: the error line for each
 * failure, ALLOC_OK for a block. One indexed load on every alloc line, where a branch for the
 * failures would be code V8 may not have seen run when it optimizes the loop (a failure first
 * met after that throws the optimized loop away: 10% of a steady-state trace's allocations fail).
 */
const ALLOC_FIRST_PIECE = [EXHAUSTED, TOO_LARGE, BAD_ALIGNMENT, ALLOC_OK];
if (ALLOC_EXHAUSTED !== -3 || ALLOC_TOO_LARGE !== -2 || ALLOC_BAD_ALIGNMENT !== -1)
  throw new Error('internal: ALLOC_FIRST_PIECE is out of order');

export class LineReplay {
  // Results and free lists come from the model's shadow lists: nothing here reads the heap bytes.
  private readonly replayer = new TraceReplayer({ keepImage: false });
  private readonly out: JsonLineWriter;
  private readonly decoder = lineDecoder();
  private lineNumber = 0;

  constructor(
    private readonly input: LineBuffer,
    write: (chunk: Uint8Array) => void,
  ) {
    this.out = new JsonLineWriter(write);
  }

  /**
   * Replays every line; the output is flushed even when a malformed line or a read error throws (a
   * TraceReadError then says after which line: the output covers exactly the lines before).
   */
  run(): void {
    try {
      this.allLines();
    } catch (error) {
      if (error instanceof TraceReadError) error.afterLine = this.lineNumber;
      throw error;
    } finally {
      this.out.flush();
    }
  }

  /**
   * The replay loop: fast-path lines in place, others through generalLine, reading on through the
   * input. It runs once for the whole trace (V8 compiles it once, on stack: called again, it would
   * be compiled again, and exit waits for that) and holds only paths it takes early: refilling
   * (the first read is small), flushing (the first flush comes early) and generalLine (a trace
   * starts with a heap line), so its optimized code rarely meets a path without type feedback.
   */
  private allLines(): void {
    const input = this.input;
    const out = this.out;
    let heap = this.replayer.heap;
    let bytes = input.bytes;
    let n = input.end;
    let pos = 0;
    for (;;) {
      if (pos >= n) {
        if (!input.next()) return;
        bytes = input.bytes;
        n = input.end;
        pos = 0;
      }
      if (out.room < MAX_FAST_LINE) out.flush();
      let at = pos;
      let fields = 0;
      const c = bytes[pos];
      if (
        c === 97 &&
        bytes[pos + 1] === 108 &&
        bytes[pos + 2] === 108 &&
        bytes[pos + 3] === 111 &&
        bytes[pos + 4] === 99 &&
        bytes[pos + 5] === SPACE
      ) {
        fields = 2;
        at = pos + 6;
      } else if (c === 102 && bytes[pos + 1] === 114 && bytes[pos + 2] === 101 && bytes[pos + 3] === 101 && bytes[pos + 4] === SPACE) {
        fields = 3;
        at = pos + 5;
      }
      // Each field: a decimal or 0x-hex number of few enough digits to be exact, then one space,
      // or the end of the line after the last field; the first that is not ends the fast path.
      let field = 0;
      let v0 = 0;
      let v1 = 0;
      let v2 = 0;
      for (; field < fields; field++) {
        let value = 0;
        let start = at;
        if (bytes[at] === 48 && (bytes[at + 1]! | 32) === 120) {
          start = at += 2;
          for (; at < n; at++) {
            const digit = HEX_VALUE[bytes[at]!]!;
            if (digit < 0) break;
            value = value * 16 + digit;
          }
          if (at === start || at - start > MAX_HEX_DIGITS) break;
        } else {
          for (; at < n; at++) {
            const digit = bytes[at]! - 48;
            if (digit < 0 || digit > 9) break;
            value = value * 10 + digit;
          }
          if (at === start || at - start > MAX_DECIMAL_DIGITS) break;
        }
        if (field === 0) v0 = value;
        else if (field === 1) v1 = value;
        else v2 = value;
        const after = at < n ? bytes[at] : NEWLINE;
        if (after !== (field < fields - 1 ? SPACE : NEWLINE)) break;
        at++;
      }
      // Replayed here rather than in methods: each hot method is one more compile for V8.
      let done = false;
      if (heap !== undefined && field === fields && fields === 2) {
        const leaf = heap.allocateLeaf(v0, v1);
        out.piece(ALLOC_FIRST_PIECE[Math.min(leaf, 0) - ALLOC_EXHAUSTED]!);
        if (leaf >= 0) {
          const address = heap.baseNumber + leaf * heap.minBlock;
          if (address <= Number.MAX_SAFE_INTEGER) out.hex(address);
          else out.text(heap.address(leaf * heap.minBlock).toString(16));
          out.piece(LINE_END);
        }
        done = true;
      } else if (heap !== undefined && field === fields && fields === 3) {
        // An address that is no exact offset, or a refused free, goes to the general path, whose
        // deallocateAt words the refusal the same way.
        const offset = v0 - heap.baseNumber;
        if (Number.isSafeInteger(offset) && heap.deallocateLeaf(offset, v1, v2)) {
          out.piece(FREE_OK);
          done = true;
        }
      }
      if (done) {
        this.lineNumber++;
        pos = at;
      } else {
        pos = this.generalLine(pos);
        heap = this.replayer.heap;
      }
    }
  }

  /** Replays the line at `pos` through parseTraceLine and TraceReplayer; returns where the next starts. */
  private generalLine(pos: number): number {
    const bytes = this.input.bytes;
    this.lineNumber++;
    let end = bytes.indexOf(NEWLINE, pos);
    if (end < 0 || end > this.input.end) end = this.input.end;
    const op = parseTraceLine(lineText(this.input, this.decoder, pos, end, this.lineNumber), this.lineNumber);
    if (op) this.out.text(JSON.stringify(this.replayer.apply(op)) + '\n');
    return end + 1;
  }
}
