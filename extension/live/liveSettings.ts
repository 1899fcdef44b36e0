// The `buddyHeap.live.*` settings plus the layout file's "heaps", checked: each heap entry through
// parseHeapSpec, with problems that name the entry (and file), say what is wrong and how to fix
// it. Pure given its inputs, so the unit tests cover it.
import type { Endianness } from '../../core/layout';
import { type FileHeaps, HEAPS_EXAMPLE, currentFileHeaps } from '../config/layoutFileHeaps';
import { type HeapSpec, parseHeapSpec, parseOrders, parsePointerWidth } from '../dap/heapSpec';
import { DEFAULT_LIVE_READ_OPTIONS, type LiveReadOptions } from '../dap/liveHeapReader';
import { type SessionFilter, parseSessionFilter } from './sessionMatch';

export interface NamedHeap {
  readonly name: string;
  readonly source: HeapSpec;
  /** The sessions auto-attach puts it in; undefined: every session. */
  readonly sessions?: SessionFilter;
}

export interface LiveSettings {
  readonly heaps: readonly NamedHeap[];
  readonly read: Pick<LiveReadOptions, 'mode' | 'maxChunkBytes' | 'endianness' | 'orders' | 'pointerWidth'>;
  readonly autoAttach: boolean;
  /** One line per ignored entry or value. */
  readonly problems: readonly string[];
}

/** The raw values as `workspace.getConfiguration('buddyHeap.live')` gives them. */
export interface RawLiveSettings {
  readonly heaps?: unknown;
  readonly readMode?: unknown;
  readonly maxChunkBytes?: unknown;
  readonly endianness?: unknown;
  readonly orders?: unknown;
  readonly pointerWidth?: unknown;
  readonly autoAttach?: unknown;
}

const MAX_CHUNK = 16 * 1024 * 1024;

/** Checks each entry and appends the good ones; `clash` says why a name already taken is refused. */
function addHeaps(
  entries: readonly unknown[],
  where: string,
  heaps: NamedHeap[],
  problems: string[],
  clash: (name: string) => string,
): void {
  entries.forEach((entry: unknown, i) => {
    const parsed = parseHeapSpec(entry);
    const named =
      typeof entry === 'object' && entry !== null && typeof (entry as { name?: unknown }).name === 'string'
        ? (entry as { name: string }).name.trim()
        : '';
    const label = `${where}[${i}]${named ? ` ("${named}")` : ''}`;
    if (!parsed.ok) {
      problems.push(`${label} is ignored: ${parsed.message}`);
      return;
    }
    const filter = parseSessionFilter(typeof entry === 'object' && entry !== null ? (entry as Record<string, unknown>) : {});
    if (!filter.ok) {
      problems.push(`${label} is ignored: ${filter.message}`);
      return;
    }
    const fallback = parsed.source.kind === 'expression' ? parsed.source.expression : `heap at 0x${parsed.source.address.toString(16)}`;
    const name = named || fallback;
    if (heaps.some(h => h.name === name)) {
      problems.push(`${label} is ignored: ${clash(name)}`);
      return;
    }
    heaps.push({ name, source: parsed.source, ...(filter.filter ? { sessions: filter.filter } : {}) });
  });
}

/**
 * `file`: the heaps of the layout file (default: as last loaded), added after the setting's; a
 * file heap named like a setting heap is reported and skipped (the setting wins).
 */
export function parseLiveSettings(raw: RawLiveSettings, file: FileHeaps | undefined = currentFileHeaps()): LiveSettings {
  const problems: string[] = [];
  const heaps: NamedHeap[] = [];
  const entries = raw.heaps === undefined ? [] : raw.heaps;
  if (!Array.isArray(entries)) {
    problems.push(`buddyHeap.live.heaps must be an array of heaps, e.g. ${HEAPS_EXAMPLE}; it is ignored.`);
  } else {
    addHeaps(
      entries,
      'buddyHeap.live.heaps',
      heaps,
      problems,
      name => `another heap is already named "${name}"; give each heap its own "name".`,
    );
  }
  if (file) {
    problems.push(...file.problems);
    const fromSetting = new Set(heaps.map(h => h.name));
    addHeaps(file.entries, `${file.origin} heaps`, heaps, problems, name =>
      fromSetting.has(name)
        ? `buddyHeap.live.heaps already has a heap named "${name}" and the setting wins; rename one of them or remove the duplicate.`
        : `another heap in ${file.origin} is already named "${name}"; give each heap its own "name".`,
    );
  }
  const mode = raw.readMode === undefined ? DEFAULT_LIVE_READ_OPTIONS.mode : raw.readMode;
  const modeOk = mode === 'auto' || mode === 'full' || mode === 'sparse';
  if (!modeOk) problems.push(`buddyHeap.live.readMode must be "auto", "full" or "sparse", not ${JSON.stringify(mode)}; using "auto".`);
  const chunk = raw.maxChunkBytes === undefined ? DEFAULT_LIVE_READ_OPTIONS.maxChunkBytes : raw.maxChunkBytes;
  const chunkOk = typeof chunk === 'number' && Number.isSafeInteger(chunk) && chunk >= 16 && chunk <= MAX_CHUNK;
  if (!chunkOk)
    problems.push(
      `buddyHeap.live.maxChunkBytes must be a whole number of bytes from 16 to ${MAX_CHUNK}, not ${JSON.stringify(chunk)}; using ${DEFAULT_LIVE_READ_OPTIONS.maxChunkBytes}.`,
    );
  const endianness = raw.endianness === undefined ? DEFAULT_LIVE_READ_OPTIONS.endianness : raw.endianness;
  const endianOk = endianness === 'little' || endianness === 'big';
  if (!endianOk) problems.push(`buddyHeap.live.endianness must be "little" or "big", not ${JSON.stringify(endianness)}; using "little".`);
  // Fallbacks for expression heaps when the debugger cannot tell: unset (null) by default.
  const orders = parseOrders(raw.orders);
  if (typeof orders === 'object')
    problems.push(`buddyHeap.live.orders is ignored: ${orders.error}; leave it empty (null) to rely on the debugger.`);
  const pointerWidth = parsePointerWidth(raw.pointerWidth);
  if (typeof pointerWidth === 'object')
    problems.push(`buddyHeap.live.pointerWidth is ignored: ${pointerWidth.error}; leave it empty (null) to rely on the debugger.`);
  return {
    heaps,
    read: {
      mode: modeOk ? mode : DEFAULT_LIVE_READ_OPTIONS.mode,
      maxChunkBytes: chunkOk ? chunk : DEFAULT_LIVE_READ_OPTIONS.maxChunkBytes,
      endianness: endianOk ? (endianness as Endianness) : DEFAULT_LIVE_READ_OPTIONS.endianness,
      ...(typeof orders === 'number' ? { orders } : {}),
      ...(typeof pointerWidth === 'number' ? { pointerWidth } : {}),
    },
    autoAttach: raw.autoAttach === undefined ? true : raw.autoAttach === true,
    problems,
  };
}
