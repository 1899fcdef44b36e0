// Applies a WireHistoryTail to the history the webview holds: the steps before `from` are kept
// (their statistics, and the entries of them still in the window), the rest come from the tail.
// The statistics grow in place in buffers with room to spare, so a step costs what it adds, not
// the whole series: the history passed in must not be used afterwards.
import type { WireHistory, WireHistoryTail } from './viewModel';

export type HistoryOutcome = { readonly ok: true; readonly history: WireHistory } | { readonly ok: false; readonly error: string };

export function applyHistoryTail(history: WireHistory, tail: WireHistoryTail): HistoryOutcome {
  const fail = (reason: string): HistoryOutcome => ({ ok: false, error: `the history tail does not fit the history shown: ${reason}` });
  if (tail.from > history.total) return fail(`it starts at step ${tail.from}, past the ${history.total} steps shown`);
  if (tail.series.freeBytes.length !== tail.total - tail.from)
    return fail(`${tail.series.freeBytes.length} statistics for ${tail.total - tail.from} steps`);
  const windowEnd = tail.windowStart + tail.windowLength;
  const keptEnd = Math.max(tail.windowStart, Math.min(tail.from, windowEnd));
  const kept = history.entries.filter(e => e.step >= tail.windowStart && e.step < keptEnd);
  if (kept.length !== keptEnd - tail.windowStart) return fail(`the entries of steps ${tail.windowStart}..${keptEnd - 1} are not all held`);
  const entries = [...kept, ...tail.entries];
  if (entries.length !== tail.windowLength) return fail(`${entries.length} entries for a window of ${tail.windowLength}`);
  return {
    ok: true,
    history: {
      total: tail.total,
      current: tail.current,
      windowStart: tail.windowStart,
      entries,
      series: {
        freeBytes: joined(history.series.freeBytes, tail.series.freeBytes, tail.from),
        largestFree: joined(history.series.largestFree, tail.series.largestFree, tail.from),
        fragmentation: joined(history.series.fragmentation, tail.series.fragmentation, tail.from),
      },
    },
  };
}

function joined(head: Float64Array, tail: Float64Array, from: number): Float64Array {
  const length = from + tail.length;
  const room = head.byteOffset === 0 ? head.buffer.byteLength / Float64Array.BYTES_PER_ELEMENT : 0;
  const out =
    room >= length && head.buffer instanceof ArrayBuffer
      ? new Float64Array(head.buffer, 0, length)
      : copyInto(new Float64Array(new ArrayBuffer(Math.max(64, length * 2) * Float64Array.BYTES_PER_ELEMENT), 0, length), head, from);
  out.set(tail, from);
  return out;
}

function copyInto(out: Float64Array, head: Float64Array, from: number): Float64Array {
  out.set(head.subarray(0, from));
  return out;
}
