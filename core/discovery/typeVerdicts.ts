// Whether each type DIE can hold a heap, by its offset in .debug_info: two bits per possible
// offset (decided, holds) instead of a Map entry per type. A large build decides hundreds of
// thousands of types; a Map of that size spent most of the discovery's time in its own hashing
// and growth, where a bit array of an eighth of the section's size costs one load per lookup.
// The same answers as a Map: nothing is guessed, an undecided type is read.

export class TypeVerdicts {
  private readonly decided: Uint32Array;
  private readonly holds: Uint32Array;

  /** `size`: the offset space (the section's length); offsets beyond it are never decided. */
  constructor(private readonly size: number) {
    const words = Math.ceil(size / 32);
    this.decided = new Uint32Array(words);
    this.holds = new Uint32Array(words);
  }

  /** The verdict for the type at `offset`, or undefined when not decided yet. */
  get(offset: number): boolean | undefined {
    if (!(offset >= 0 && offset < this.size)) return undefined;
    const word = offset >>> 5;
    const bit = 1 << (offset & 31);
    if ((this.decided[word]! & bit) === 0) return undefined;
    return (this.holds[word]! & bit) !== 0;
  }

  set(offset: number, holds: boolean): void {
    if (!(offset >= 0 && offset < this.size)) return;
    const word = offset >>> 5;
    const bit = 1 << (offset & 31);
    this.decided[word]! |= bit;
    if (holds) this.holds[word]! |= bit;
    else this.holds[word]! &= ~bit;
  }
}
