// What one refresh cost: the numbers the bench reports and the panel can show.

export interface ReadStats {
  /** How the heap region was read. */
  mode: 'full' | 'sparse';
  /** Every DAP request of the refresh (stackTrace, evaluate, readMemory). */
  requests: number;
  readMemoryRequests: number;
  bytesRequested: number;
  bytesRead: number;
  /** readMemory requests that failed: their bytes stay unknown. */
  failedReads: number;
  /** readMemory answers with fewer bytes than asked: the rest stays unknown. */
  shortReads: number;
  /** Sparse mode: request rounds (one per step of the longest free-list walk). */
  rounds: number;
  /** The first chunk failure's message, for a tooltip. */
  firstFailure?: string;
  elapsedMs: number;
}

export function emptyStats(mode: ReadStats['mode']): ReadStats {
  return {
    mode,
    requests: 0,
    readMemoryRequests: 0,
    bytesRequested: 0,
    bytesRead: 0,
    failedReads: 0,
    shortReads: 0,
    rounds: 0,
    elapsedMs: 0,
  };
}
