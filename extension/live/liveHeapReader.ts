// One refresh of a live heap: find the struct (cached across stops), read it, read the heap
// region (whole, in chunks, or only the free-list words), and hand back a HeapSnapshot for the
// decoder with what the refresh cost. Never writes target memory.
import type { Endianness } from '../../core/layout';
import { ByteImage } from '../../core/memory/byteImage';
import type { HeapSnapshot } from '../../core/decoder/types';
import { type DapSession, firstThreadId, topFrameId } from './dapSession';
import type { HeapLocation, HeapSource } from './heapSource';
import { LiveReadError, cancelled } from './liveErrors';
import { locateHeap, relocate } from './locateHeap';
import { readRanges } from './memoryReader';
import { type ReadStats, emptyStats } from './readStats';
import { readFreeListWords } from './sparseWalk';
import { readHeapStruct } from './structReader';

export interface LiveReadOptions {
  /** full: every heap byte; sparse: only free-list words; auto: full up to fullReadLimit bytes. */
  readonly mode: 'auto' | 'full' | 'sparse';
  /** The largest readMemory request (embedded probes choke on large ones). Raise it for bulk reads. */
  readonly maxChunkBytes: number;
  readonly fullReadLimit: number;
  /** readMemory requests in flight at once. */
  readonly concurrency: number;
  readonly gapBytes: number;
  /** Sparse mode: bytes read around each needed word (see SparseOptions). */
  readonly windowBytes: number;
  readonly maxWords: number;
  /** For expression sources that do not name one (the debugger does not say). */
  readonly endianness: Endianness;
}

export const DEFAULT_LIVE_READ_OPTIONS: LiveReadOptions = {
  mode: 'auto', maxChunkBytes: 4096, fullReadLimit: 256 * 1024, concurrency: 4, gapBytes: 256, windowBytes: 256, maxWords: 1 << 20, endianness: 'little',
};

/** The largest heap region an image is made for; beyond it heap_size is surely corrupt (the decoder says so). */
export const MAX_IMAGE_BYTES = 2 ** 40;

/** Where the target stopped: a frame to evaluate in, or the thread whose top frame to use. */
export interface StopContext {
  readonly threadId?: number;
  readonly frameId?: number;
}

export interface LiveHeapRead {
  readonly snapshot: HeapSnapshot;
  readonly location: HeapLocation;
  readonly stats: ReadStats;
}

export class LiveHeapReader {
  private cached: HeapLocation | undefined;
  readonly options: LiveReadOptions;

  constructor(private readonly session: DapSession, readonly source: HeapSource, options: Partial<LiveReadOptions> = {}) {
    this.options = { ...DEFAULT_LIVE_READ_OPTIONS, ...options };
    if (!(this.options.maxChunkBytes >= 1)) throw new LiveReadError('settings', `The read chunk size must be at least 1 byte, not ${this.options.maxChunkBytes}.`);
  }

  /** The struct found by the last successful refresh. */
  get location(): HeapLocation | undefined {
    return this.cached;
  }

  async read(stop: StopContext, signal?: AbortSignal): Promise<LiveHeapRead> {
    const started = performance.now();
    const stats = emptyStats('full');
    try {
      const location = await this.locate(stop, stats, signal);
      const fields = await readHeapStruct(this.session, location, stats, signal);
      const heapSize = fields.heapSize <= BigInt(MAX_IMAGE_BYTES) ? Number(fields.heapSize) : 0;
      const mode = this.options.mode === 'auto' ? (heapSize <= this.options.fullReadLimit ? 'full' : 'sparse') : this.options.mode;
      stats.mode = mode;
      const image = new ByteImage(heapSize, { pointerWidth: location.pointerWidth, endianness: location.endianness, unknownUntilWritten: true });
      if (mode === 'full') await readRanges(this.session, fields.heapBase, image, heapSize > 0 ? [{ offset: 0, length: heapSize }] : [], this.options, stats, signal);
      else await readFreeListWords(this.session, fields, image, this.options, stats, signal);
      if (signal?.aborted) throw cancelled();
      stats.elapsedMs = performance.now() - started;
      return { snapshot: { fields, pointerWidth: location.pointerWidth, endianness: location.endianness, memory: image }, location, stats };
    } catch (error) {
      if (error instanceof LiveReadError && (error.kind === 'notAHeap' || error.kind === 'expression' || error.kind === 'unreadable')) this.cached = undefined;
      throw error;
    }
  }

  private async locate(stop: StopContext, stats: ReadStats, signal?: AbortSignal): Promise<HeapLocation> {
    if (this.source.kind === 'address') return (this.cached ??= await locateHeap(this.session, this.source, 0, stats, signal, this.options.endianness));
    const frameId = stop.frameId ?? await topFrameId(this.session, stop.threadId ?? await firstThreadId(this.session, stats, signal), stats, signal);
    const again = this.cached && await relocate(this.session, this.cached, this.source, frameId, stats, signal);
    this.cached = again || await locateHeap(this.session, this.source, frameId, stats, signal, this.options.endianness);
    return this.cached;
  }
}
