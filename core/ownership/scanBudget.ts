// The byte budget shared by the root and span scans: once it runs out the scan stops where it is and
// records why, so a bounded scan of a huge heap says exactly what it did not read.

export class ScanBudget {
  private remaining: number;
  /** Set once, where the budget first ran out. */
  stoppedAt: string | undefined;

  constructor(readonly maxBytes: number) {
    this.remaining = maxBytes;
  }

  /** Takes up to `wanted` bytes in whole words; fewer (possibly 0) when the budget runs short. */
  take(wanted: number, width: number): number {
    const granted = Math.min(wanted, Math.floor(this.remaining / width) * width);
    this.remaining -= granted;
    return granted;
  }

  stop(where: string): void {
    this.stoppedAt ??= where;
  }

  get exhausted(): boolean {
    return this.stoppedAt !== undefined;
  }
}
