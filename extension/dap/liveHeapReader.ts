// One refresh of a live heap: find the struct (cached across stops), read it, read the heap
// region (whole, in chunks, or only the free-list words), and hand back a HeapSnapshot for the
// decoder with what the refresh cost. Never writes target memory.
import * as l10n from '@vscode/l10n';
import type { Endianness, PointerWidth } from '../../core/layout';
import { ByteImage } from '../../core/memory/byteImage';
import type { HeapSnapshot } from '../../core/decoder/types';
import { type DapChannel, firstThreadId, requireRequest, stackFrames, topFrameId } from './dapSession';
import { consistentOrders } from './byteOrder';
import type { HeapLocation, HeapSpec } from './heapSpec';
import { LiveReadError, cancelled } from './liveErrors';
import { locateHeap, relocate } from './locateHeap';
import { readRanges } from './memoryReader';
import { type ReadStats, emptyStats } from './readStats';
import { readFreeListWords } from './sparseWalk';
import { decodeHeapStruct, isZeroStruct, readStructBytes, zeroStructError } from './structReader';
import { settleByteOrder } from './byteOrder';
import { type StructTogether, mergedSpan, readStructTogether } from './structWithHeap';
import { type LockState, lockFlagBytes, lockStateOf, readLockFlag } from './lockFlagReader';

export interface LiveReadOptions {
  /** full: every heap byte; sparse: only free-list words; auto: full up to fullReadLimit bytes. */
  readonly mode: 'auto' | 'full' | 'sparse';
  /** The largest readMemory request (embedded probes choke on large ones). Raise it for bulk reads. */
  readonly maxChunkBytes: number;
  readonly fullReadLimit: number;
  /** readMemory requests in flight at once. */
  readonly concurrency: number;
  /** Sparse mode: words closer than this are read in one chunk. */
  readonly gapBytes: number;
  /**
   * The most bytes between the struct and a companion (the lock flag, a small heap region) read
   * with it in one request. On QEMU through gdb a request costs what ~2.5 KiB of reading does
   * (0.43 ms against 0.17 ms per KiB); a probe over USB pays more per byte, so 1 KiB.
   */
  readonly mergeGapBytes: number;
  /** Sparse mode: bytes read around each needed word (see SparseOptions). */
  readonly windowBytes: number;
  readonly maxWords: number;
  /** For expression sources that do not name one (the debugger does not say). */
  readonly endianness: Endianness;
  /** N and the pointer width for expression sources that name none, used only when the debugger cannot tell. */
  readonly orders?: number;
  readonly pointerWidth?: PointerWidth;
}

export const DEFAULT_LIVE_READ_OPTIONS: LiveReadOptions = {
  mode: 'auto',
  maxChunkBytes: 4096,
  fullReadLimit: 256 * 1024,
  concurrency: 4,
  gapBytes: 256,
  mergeGapBytes: 1024,
  windowBytes: 256,
  maxWords: 1 << 20,
  endianness: 'little',
};

/** The largest heap region an image is made for; beyond it heap_size is surely corrupt (the decoder says so). */
export const MAX_IMAGE_BYTES = 2 ** 40;

/** Where the target stopped: a frame to evaluate in, or the thread whose top frame to use. */
import type { StopContext } from './stopContext';
export type { StopContext } from './stopContext';

/** Something the user should hear about once: how the heap was found, or a setting the target contradicts. */
import type { ReadNote } from './readNote';
export type { ReadNote } from './readNote';

export interface LiveHeapRead {
  readonly snapshot: HeapSnapshot;
  readonly location: HeapLocation;
  readonly stats: ReadStats;
  /** Said when the heap was located (again), not at every stop. */
  readonly notes: readonly ReadNote[];
  /** The stopped thread's function names, innermost first (discovered heaps: is the target inside the allocator?). */
  readonly stack?: readonly string[];
  /**
   * Asks for the same names (a discovered heap's reader sets this, not `stack`), for the caller to
   * call once it has shown the heap: waiting for them would hold every stop's panel update for one
   * more round trip (on a probe, an unwind that reads the stack). Asks once, however often called;
   * never rejects: [] when the adapter cannot tell or the read was cancelled.
   */
  readonly askStack?: () => Promise<readonly string[]>;
  /** The wrapper's lock flag as read at this stop (discovered heaps whose wrapper has one, when it could be read). */
  readonly lock?: LockState;
}

/** Frames asked for to tell whether the target stopped inside the allocator (it nests only a few deep). */
const STACK_LEVELS = 12;

/** Where the heap region was at the last read: the next read fetches it alongside the struct. */
interface RegionGuess {
  readonly heapBase: bigint;
  readonly heapSize: number;
}

export class LiveHeapReader {
  private cached: HeapLocation | undefined;
  private region: RegionGuess | undefined;
  private lastFrame: number | undefined;
  readonly options: LiveReadOptions;

  constructor(
    private readonly session: DapChannel,
    readonly source: HeapSpec,
    options: Partial<LiveReadOptions> = {},
  ) {
    this.options = { ...DEFAULT_LIVE_READ_OPTIONS, ...options };
    if (!(this.options.maxChunkBytes >= 1))
      throw new LiveReadError('settings', l10n.t('The read chunk size must be at least 1 byte, not {0}.', this.options.maxChunkBytes));
  }

  /** The struct found by the last successful refresh. */
  get location(): HeapLocation | undefined {
    return this.cached;
  }

  /** The frame the last read evaluated the expression in; undefined when it needed none (or found none). */
  get frameUsed(): number | undefined {
    return this.lastFrame;
  }

  /** Another frame may find another heap: an expression not (yet) pinned to a static's address. */
  get frameMatters(): boolean {
    return this.source.kind === 'expression' && !this.cached?.fixed;
  }

  /** The program may have changed (reloaded, restarted, a manual refresh): find the struct again at the next read. */
  forgetLocation(): void {
    this.cached = undefined;
    this.region = undefined;
  }

  async read(stop: StopContext, signal?: AbortSignal): Promise<LiveHeapRead> {
    const started = performance.now();
    const stats = emptyStats('full');
    // Every read ends in readMemory: an adapter without it gets no request at all at this stop.
    requireRequest(this.session, 'readMemory');
    try {
      const before = this.cached;
      // A location known without asking the debugger is used in this tick: the requests below go
      // out in the same tick as the stop that asked for them.
      const located = this.knownLocation() ?? (await this.locate(stop, stats, signal));
      const notes: ReadNote[] =
        located.notes && located.notes !== before?.notes ? located.notes.map(message => ({ level: 'info', message })) : [];
      // The wrapper's lock flag (never fails the read), and the heap region where it was last time
      // (used only if the struct still puts the heap there): with the struct in one request when
      // they are close, else each at once beside it.
      const lockOf = this.source.kind === 'discovered' && this.source.lock ? this.source : undefined;
      const parts = {
        lock: lockOf && lockFlagBytes(lockOf),
        region: this.region && this.modeFor(this.region.heapSize) === 'full' ? this.region : undefined,
      };
      const plan = mergedSpan(located, parts, this.options);
      const pending = plan && readStructTogether(this.session, located, parts, plan, stats, signal);
      // The adapter answers in order. A heap read in one request goes before the struct: its bytes
      // go from base64 into the image while the adapter reads the struct, and the refresh waits
      // last for the struct's few bytes, not for the heap's. A larger heap goes after the struct,
      // whose answer is decoded while the adapter reads the heap's chunks.
      const startEarly = () => (parts.region && !plan?.region ? this.readFull(parts.region, located, stats, signal) : undefined);
      const heapFirst = parts.region !== undefined && parts.region.heapSize <= this.options.maxChunkBytes;
      let early = heapFirst ? startEarly() : undefined;
      const alone = plan ? undefined : readStructBytes(this.session, located, stats, signal);
      alone?.catch(() => undefined);
      let lock = lockOf && !plan?.lock ? readLockFlag(this.session, lockOf, stats, signal) : undefined;
      if (!heapFirst) early = startEarly();
      early?.catch(() => undefined);
      let together: StructTogether | undefined;
      let bytes;
      try {
        together = await pending;
        // The one request could not be used: what it was to bring is read on its own, as before.
        if (plan?.region && !together) {
          early = this.readFull(parts.region!, located, stats, signal);
          early.catch(() => undefined);
        }
        if (lockOf && plan?.lock)
          lock = together?.lockBytes
            ? Promise.resolve(lockStateOf(lockOf, together.lockBytes))
            : readLockFlag(this.session, lockOf, stats, signal);
        bytes = together?.structBytes ?? (await (alone ?? readStructBytes(this.session, located, stats, signal)));
      } catch (error) {
        await early?.catch(() => undefined);
        throw error;
      }
      // Settled once per location: later stops neither check nor word the note's settings.
      const settled = located.endiannessFromTarget
        ? { location: located, notes: [] }
        : settleByteOrder(located, bytes, this.configuredOrder());
      const location = settled.location;
      // Keep the settled order for later stops, unless the location was dropped meanwhile (a module event).
      if (this.cached === located) this.cached = location;
      notes.push(...settled.notes);
      const fields = decodeHeapStruct(bytes, location);
      if (isZeroStruct(fields)) {
        await early?.catch(() => undefined);
        const zeroed = zeroStructError(location, located.heapSizeValue);
        if (this.source.kind !== 'discovered') throw zeroed;
        throw new LiveReadError('zeroed', `${zeroed.message} ${this.mismatch(true)}`);
      }
      // A DWARF address holding no heap: a struct whose fields disagree in either byte order is not decoded as one.
      if (this.source.kind === 'discovered' && consistentOrders(bytes, location).length === 0) {
        await early?.catch(() => undefined);
        throw new LiveReadError(
          'notAHeap',
          `${l10n.t(
            'The struct at {0}, where the debug info puts {1}, does not look like a buddy heap (heap_size {2}, min_block_size {3}, min_block_size_log2 {4} do not agree with N = {5}).',
            `0x${location.address.toString(16)}`,
            this.source.path,
            String(fields.heapSize),
            String(fields.minBlockSize),
            String(fields.minBlockSizeLog2),
            location.orders,
          )} ${this.mismatch(false)}`,
        );
      }
      const heapSize = fields.heapSize <= BigInt(MAX_IMAGE_BYTES) ? Number(fields.heapSize) : 0;
      const mode = this.modeFor(heapSize);
      stats.mode = mode;
      this.region = { heapBase: fields.heapBase, heapSize };
      let image: ByteImage;
      // The early image was made in the order known before the struct was read: only that order will
      // do. The merged answer is raw bytes, made into an image in the settled order.
      if (together?.region && together.region.heapBase === fields.heapBase && together.region.heapSize === heapSize) {
        image = this.emptyImage(heapSize, location);
        together.fill(image, stats);
      } else if (
        early &&
        parts.region!.heapBase === fields.heapBase &&
        parts.region!.heapSize === heapSize &&
        located.endianness === location.endianness
      ) {
        image = await early;
      } else {
        await early?.catch(() => undefined);
        if (mode === 'full') image = await this.readFull(this.region, location, stats, signal);
        else {
          image = this.emptyImage(heapSize, location);
          await readFreeListWords(this.session, fields, image, this.options, stats, signal);
        }
      }
      if (signal?.aborted) throw cancelled();
      stats.elapsedMs = performance.now() - started;
      // Asked by the caller once the heap is shown (see LiveHeapRead.askStack).
      let asked: Promise<string[]> | undefined;
      const askStack = this.source.kind === 'discovered' ? () => (asked ??= this.stackNames(stop, stats, signal)) : undefined;
      return {
        snapshot: { fields, pointerWidth: location.pointerWidth, endianness: location.endianness, memory: image },
        location,
        stats,
        notes,
        ...(askStack ? { askStack } : {}),
        ...(await withLock(lock)),
      };
    } catch (error) {
      if (error instanceof LiveReadError && (error.kind === 'notAHeap' || error.kind === 'expression' || error.kind === 'unreadable'))
        this.forgetLocation();
      throw error;
    }
  }

  /** Where the byte order comes from when the target cannot tell, and how to change it, for notes. */
  private configuredOrder(): { from: string; fix: (detected: Endianness) => string } {
    if (this.source.kind === 'discovered')
      return {
        from: l10n.t('the debug info of {0}', this.source.program),
        fix: () => l10n.t('The program file may not match the debugged program: point buddyHeap.live.program at the right one.'),
      };
    return this.source.endianness
      ? { from: l10n.t('the heap entry\'s "endianness"'), fix: detected => l10n.t('Set "endianness": "{0}" in the heap entry.', detected) }
      : {
          from: 'buddyHeap.live.endianness',
          fix: detected => l10n.t('Set buddyHeap.live.endianness to "{0}" (or "endianness" in the heap entry).', detected),
        };
  }

  /** "… program file may not match the debugged program", with the file and whether it changed since the session started. */
  private mismatch(afterZeros: boolean): string {
    if (this.source.kind !== 'discovered') return '';
    const program = this.source.program;
    const newer = this.source.programNewer ? ` ${l10n.t('{0} was modified after the debug session started: rebuilt since?', program)}` : '';
    const said = afterZeros
      ? l10n.t(
          'If the program has set up its heap by now, the program file may not match the debugged program ({0}); point buddyHeap.live.program at the ELF being debugged.',
          program,
        )
      : l10n.t(
          'The program file may not match the debugged program ({0}); point buddyHeap.live.program at the ELF being debugged.',
          program,
        );
    return said + newer;
  }

  /** The stopped thread's function names; empty when the adapter cannot tell (never fails the read). */
  private async stackNames(stop: StopContext, stats: ReadStats, signal?: AbortSignal): Promise<string[]> {
    try {
      const threadId = stop.threadId ?? (await firstThreadId(this.session, stats, signal));
      return (await stackFrames(this.session, threadId, STACK_LEVELS, stats, signal)).map(frame => frame.name);
    } catch {
      return [];
    }
  }

  private modeFor(heapSize: number): 'full' | 'sparse' {
    return this.options.mode === 'auto' ? (heapSize <= this.options.fullReadLimit ? 'full' : 'sparse') : this.options.mode;
  }

  private emptyImage(heapSize: number, location: HeapLocation): ByteImage {
    return new ByteImage(heapSize, { pointerWidth: location.pointerWidth, endianness: location.endianness, unknownUntilWritten: true });
  }

  private async readFull(region: RegionGuess, location: HeapLocation, stats: ReadStats, signal?: AbortSignal): Promise<ByteImage> {
    const image = this.emptyImage(region.heapSize, location);
    await readRanges(
      this.session,
      region.heapBase,
      image,
      region.heapSize > 0 ? [{ offset: 0, length: region.heapSize }] : [],
      this.options,
      stats,
      signal,
    );
    return image;
  }

  /** The cached location when using it needs no request (see locate), else undefined. */
  private knownLocation(): HeapLocation | undefined {
    const cached = this.source.kind !== 'expression' || this.cached?.fixed ? this.cached : undefined;
    if (cached) this.lastFrame = undefined;
    return cached;
  }

  private async locate(stop: StopContext, stats: ReadStats, signal?: AbortSignal): Promise<HeapLocation> {
    this.lastFrame = undefined;
    // Known without the debugger's help (settings or debug info): readMemory only, no frame.
    if (this.source.kind !== 'expression')
      return (this.cached ??= await locateHeap(this.session, this.source, 0, stats, signal, this.options));
    // A static stays where it is until the program changes (forgetLocation): no frame, no evaluate.
    if (this.cached?.fixed) return this.cached;
    const frameId =
      stop.frameId ?? (await topFrameId(this.session, stop.threadId ?? (await firstThreadId(this.session, stats, signal)), stats, signal));
    this.lastFrame = frameId;
    const again = this.cached && (await relocate(this.session, this.cached, this.source, frameId, stats, signal));
    this.cached = again || (await locateHeap(this.session, this.source, frameId, stats, signal, this.options));
    return this.cached;
  }
}

async function withLock(lock: Promise<LockState | undefined> | undefined): Promise<{ lock?: LockState }> {
  const state = await lock;
  return state ? { lock: state } : {};
}
