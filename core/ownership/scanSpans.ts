// Reads every aligned word of every Allocated span, in address order, and records each word that
// points into an allocated span. Chunks are taken whole from the byte image when all their bytes
// are known and compared as numbers (no bigint per word); a chunk with unknown bytes is read word
// by word, and an unknown word is counted as unreadable, never as a reference.
import { BlockState } from '../decoder/types';
import { hex } from '../layout';
import type { HeapTargets } from './heapTargets';
import { HeapReferenceColumns } from './rawReferences';
import type { ScanBudget } from './scanBudget';
import type { HeapMemory } from './types';

const ALLOCATED: number = BlockState.Allocated;
const CHUNK = 4096;
const TWO_32 = 4294967296;

export interface SpanScan {
  readonly references: HeapReferenceColumns;
  bytesScanned: number;
  bytesUnreadable: number;
  bytesUnscanned: number;
}

export function scanSpans(memory: HeapMemory, targets: HeapTargets, budget: ScanBudget, littleEndian: boolean): SpanScan {
  const scan: SpanScan = { references: new HeapReferenceColumns(), bytesScanned: 0, bytesUnreadable: 0, bytesUnscanned: 0 };
  const { offsets, states, count } = targets.view.blocks;
  const width = memory.pointerWidth;
  for (let span = 0; span < count; span++) {
    if (states[span] !== ALLOCATED) continue;
    const start = offsets[span]!;
    const size = targets.spanSize(span);
    const granted = budget.take(size, width);
    if (granted < size) {
      budget.stop(`in the allocated span at ${hex(targets.base + BigInt(start + granted))}`);
      scan.bytesUnscanned += size - granted;
    }
    for (let at = start; at < start + granted; at += CHUNK) {
      const length = Math.min(CHUNK, start + granted - at);
      const bytes = memory.read?.(at, length);
      if (bytes) scanKnownChunk(bytes, at, width, littleEndian, targets, scan.references);
      else scan.bytesUnreadable += scanWordByWord(memory, at, length, targets, scan.references);
    }
    scan.bytesScanned += granted;
  }
  return scan;
}

/** A chunk whose bytes are all known: words as numbers, heap offsets computed exactly without bigints. */
function scanKnownChunk(
  bytes: Uint8Array,
  at: number,
  width: number,
  littleEndian: boolean,
  targets: HeapTargets,
  out: HeapReferenceColumns,
): void {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const size = targets.size;
  const baseLow = targets.baseLow;
  const baseHigh = targets.baseHigh;
  if (width === 4) {
    for (let i = 0; i + 4 <= bytes.length; i += 4) {
      const offset = view.getUint32(i, littleEndian) - baseLow;
      if (offset >= 0 && offset < size) pushIfAllocated(targets, out, at + i, offset);
    }
    return;
  }
  const lowAt = littleEndian ? 0 : 4;
  const highAt = littleEndian ? 4 : 0;
  for (let i = 0; i + 8 <= bytes.length; i += 8) {
    // Both differences are exact; when the true offset is below 2^53 so is the sum, and when it
    // is not, rounding cannot bring it into [0, size) (heaps are below 2^52 bytes).
    const offset = (view.getUint32(i + highAt, littleEndian) - baseHigh) * TWO_32 + (view.getUint32(i + lowAt, littleEndian) - baseLow);
    if (offset >= 0 && offset < size) pushIfAllocated(targets, out, at + i, offset);
  }
}

function pushIfAllocated(targets: HeapTargets, out: HeapReferenceColumns, source: number, offset: number): void {
  const span = targets.spanAt(offset);
  if (span >= 0) out.push(source, offset, span);
}

/** Returns the bytes of words that could not be read. */
function scanWordByWord(memory: HeapMemory, at: number, length: number, targets: HeapTargets, out: HeapReferenceColumns): number {
  const width = memory.pointerWidth;
  let unreadable = 0;
  for (let i = 0; i + width <= length; i += width) {
    const value = memory.readWord(at + i);
    if (value === undefined) {
      unreadable += width;
      continue;
    }
    const offset = targets.offsetOf(value);
    if (offset >= 0) pushIfAllocated(targets, out, at + i, offset);
  }
  return unreadable;
}
