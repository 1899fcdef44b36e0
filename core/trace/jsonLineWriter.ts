// Writes JSON lines as bytes into one reusable buffer: a million replay results would otherwise
// be a million strings, concatenated and then encoded again on the way out.

const HEX_DIGITS = new TextEncoder().encode('0123456789abcdef');
const TWO_32 = 0x1_0000_0000;

export class JsonLineWriter {
  private readonly buffer = new Uint8Array(1 << 20);
  private at = 0;
  private readonly encoder = new TextEncoder();

  /** `sink` gets full chunks; the bytes are only valid during the call (the buffer is reused). */
  constructor(private readonly sink: (bytes: Uint8Array) => void) {}

  /** Pre-encodes a constant piece of output (ASCII). */
  static constant(text: string): Uint8Array {
    return new TextEncoder().encode(text);
  }

  bytes(piece: Uint8Array): void {
    const n = piece.length;
    if (this.at + n > this.buffer.length) this.flush();
    // A loop, not buffer.set: for the short pieces of a JSON line the builtin's call costs more.
    const buffer = this.buffer;
    let at = this.at;
    for (let i = 0; i < n; i++) buffer[at++] = piece[i]!;
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

  /** Lowercase hex digits of a safe non-negative integer, no prefix. */
  hex(value: number): void {
    if (this.at + 16 > this.buffer.length) this.flush();
    const high = Math.floor(value / TWO_32);
    const low = value % TWO_32;
    if (high > 0) {
      this.hex32(high, false);
      this.hex32(low, true);
    } else {
      this.hex32(low, false);
    }
  }

  flush(): void {
    if (this.at > 0) this.sink(this.buffer.subarray(0, this.at));
    this.at = 0;
  }

  private hex32(value: number, padded: boolean): void {
    let shift = 28;
    if (!padded) while (shift > 0 && ((value >>> shift) & 0xf) === 0) shift -= 4;
    for (; shift >= 0; shift -= 4) this.buffer[this.at++] = HEX_DIGITS[(value >>> shift) & 0xf]!;
  }
}
