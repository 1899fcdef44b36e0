// Writes JSON lines as bytes into one reusable buffer: a million replay results would otherwise
// be a million strings, concatenated and then encoded again on the way out.

const HEX_DIGITS = new TextEncoder().encode('0123456789abcdef');
/** The two hex digits of each byte value, as a little-endian 16-bit word (first digit low). */
const HEX_PAIRS = Uint16Array.from({ length: 256 }, (_, b) => HEX_DIGITS[b >> 4]! | (HEX_DIGITS[b & 0xf]! << 8));
const TWO_32 = 0x1_0000_0000;

/**
 * A constant piece of output (ASCII), packed into 8-byte words stored as doubles: constant pieces
 * are most of a replay's output, and one 8-byte store does what a byte loop does in eight. ASCII
 * without DEL never makes a NaN (its exponent would need a 0x7f byte), so no double is changed by
 * V8 on the way. A piece is stored in whole words: the bytes past its end are padding, which what
 * follows overwrites (or no flush ever reaches).
 */
export class OutputPiece {
  readonly length: number;
  readonly words: Float64Array;

  constructor(text: string) {
    const bytes = new TextEncoder().encode(text);
    if (bytes.length === 0 || bytes.some(b => b >= 0x7f))
      throw new Error(`internal: an output piece must be non-empty ASCII without DEL: ${JSON.stringify(text)}`);
    const padded = new Uint8Array(Math.ceil(bytes.length / 8) * 8).fill(32);
    padded.set(bytes);
    this.length = bytes.length;
    this.words = new Float64Array(padded.buffer);
  }
}

/** The first flush comes early, so a replay loop that flushes takes that path before V8 optimizes it. */
const FIRST_FLUSH = 4096;

export class JsonLineWriter {
  private readonly buffer = new Uint8Array(1 << 18);
  private readonly view = new DataView(this.buffer.buffer);
  private at = 0;
  private limit = FIRST_FLUSH;
  private readonly encoder = new TextEncoder();

  /** `sink` gets full chunks; the bytes are only valid during the call (the buffer is reused). */
  constructor(private readonly sink: (bytes: Uint8Array) => void) {}

  /** Bytes that fit before the writer wants a flush. */
  get room(): number {
    return this.limit - this.at;
  }

  /** Pre-encodes a constant piece of output (ASCII). */
  static constant(text: string): OutputPiece {
    return new OutputPiece(text);
  }

  piece(piece: OutputPiece): void {
    const words = piece.words;
    if (this.at + words.length * 8 > this.buffer.length) this.flush();
    const view = this.view;
    const at = this.at;
    const n = words.length;
    // The first words unrolled: most pieces are 1 to 3 words (a line's end, a free's whole line).
    view.setFloat64(at, words[0]!, true);
    if (n > 1) {
      view.setFloat64(at + 8, words[1]!, true);
      if (n > 2) {
        view.setFloat64(at + 16, words[2]!, true);
        for (let i = 3; i < n; i++) view.setFloat64(at + i * 8, words[i]!, true);
      }
    }
    this.at = at + piece.length;
  }

  /** Any text (e.g. a JSON.stringify result), UTF-8 encoded. */
  text(text: string): void {
    if (this.at + text.length * 3 > this.buffer.length) this.flush();
    if (text.length * 3 > this.buffer.length) {
      this.sink(this.encoder.encode(text));
      return;
    }
    this.at += this.encoder.encodeInto(text, this.buffer.subarray(this.at)).written;
  }

  /** Lowercase hex digits of a safe non-negative integer, no prefix, two digits per store. */
  hex(value: number): void {
    if (this.at + 16 > this.buffer.length) this.flush();
    if (value < TWO_32) this.at = this.hex32(value, (35 - Math.clz32(value)) >> 2 || 1, this.at);
    else {
      // No %: on doubles it is a call to fmod.
      const high = Math.floor(value / TWO_32);
      this.at = this.hex32(value - high * TWO_32, 8, this.hex32(high, (35 - Math.clz32(high)) >> 2, this.at));
    }
  }

  /** Writes the low `digits` hex digits of a 32-bit value at `at`, two per store; returns the end. */
  private hex32(value: number, digits: number, at: number): number {
    let shift = digits * 4;
    if (digits & 1) {
      shift -= 4;
      this.buffer[at++] = HEX_DIGITS[(value >>> shift) & 0xf]!;
    }
    while (shift > 0) {
      shift -= 8;
      this.view.setUint16(at, HEX_PAIRS[(value >>> shift) & 0xff]!, true);
      at += 2;
    }
    return at;
  }

  flush(): void {
    if (this.at > 0) this.sink(this.buffer.subarray(0, this.at));
    this.at = 0;
    this.limit = this.buffer.length;
  }
}
