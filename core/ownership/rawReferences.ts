// References as the scan finds them, before blocks are inferred: root words (few, with their
// paths) as objects, heap words (up to one per scanned word) as growable columns in source order.
import { grown } from '../util/typedArrays';

export interface RootReference {
  readonly rootIndex: number;
  /** The word's offset in its root (0 for a register). */
  readonly offset: number;
  /** `app::CACHE.entries[3]`, `thread 1 frame #0 main+0x8`, `thread 1 r4`. */
  readonly path: string;
  /** Heap offset the word points to. */
  readonly target: number;
  /** The decoded table's span holding the target. */
  readonly span: number;
  /** Bytes a fat pointer says it covers from `target` (0: not a fat pointer, or its length unreadable). */
  readonly extent: number;
}

export class HeapReferenceColumns {
  count = 0;
  /** Heap offset of the referring word; ascending (spans and words are scanned in address order). */
  sources = new Float64Array(1024);
  targets = new Float64Array(1024);
  spans = new Float64Array(1024);

  push(source: number, target: number, span: number): void {
    if (this.count === this.sources.length) {
      const capacity = this.count * 2;
      this.sources = grown(this.sources, capacity);
      this.targets = grown(this.targets, capacity);
      this.spans = grown(this.spans, capacity);
    }
    const i = this.count++;
    this.sources[i] = source;
    this.targets[i] = target;
    this.spans[i] = span;
  }
}
