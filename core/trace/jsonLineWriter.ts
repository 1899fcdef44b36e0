// Writes JSON lines as bytes into one reusable buffer: a million replay results would otherwise
// be a million strings, concatenated and then encoded again on the way out.

const HEX_DIGITS = new TextEncoder().encode('0123456789abcdef');
/** The two hex digits of each byte value, as a little-endian 16-bit word (first digit low). */
const HEX_PAIRS = Uint16Array.from({ length: 256 }, (_, b) => HEX_DIGITS[b >> 4]! | (HEX_DIGITS[b & 0xf]! << 8));
const TWO_32 = 0x1_0000_0000;

/**
 * A constant piece of output (ASCII), packed into little-endian 32-bit words: storing four bytes
 * at a time takes half the time of a byte loop or Uint8Array.set for pieces this short, and the
 * constant pieces are most of a replay's 39 MB of output.
 */
export class OutputPiece {
  readonly length: number;
  readonly words: Uint32Array;
  /** The last length % 4 bytes. */
  readonly tail: Uint8Array;

  constructor(text: string) {
    const bytes = new TextEncoder().encode(text);
    const whole = bytes.length - (bytes.length % 4);
    const source = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.length = bytes.length;
    this.words = Uint32Array.from({ length: whole / 4 }, (_, k) => source.getUint32(k * 4, true));
    this.tail = bytes.slice(whole);
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
    if (this.at + piece.length > this.buffer.length) this.flush();
    const view = this.view;
    const words = piece.words;
    let at = this.at;
    for (let i = 0; i < words.length; i++, at += 4) view.setUint32(at, words[i]!, true);
    const tail = piece.tail;
    for (let i = 0; i < tail.length; i++) this.buffer[at++] = tail[i]!;
    this.at = at;
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

  /** `before`, the lowercase hex digits of `value` and `after` (an allocated address's line) in one call. */
  hexBetween(before: OutputPiece, value: number, after: OutputPiece): void {
    this.piece(before);
    this.hex(value);
    this.piece(after);
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
