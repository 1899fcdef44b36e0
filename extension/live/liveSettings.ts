// The `buddyHeap.live.*` settings plus the layout file's "heaps", checked: each heap entry through
// parseHeapSpec, with problems that name the entry (and file), say what is wrong and how to fix
// it. Pure given its inputs, so the unit tests cover it.
import * as l10n from '@vscode/l10n';
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
      problems.push(l10n.t('{0} is ignored: {1}', label, parsed.message));
      return;
    }
    const filter = parseSessionFilter(typeof entry === 'object' && entry !== null ? (entry as Record<string, unknown>) : {});
    if (!filter.ok) {
      problems.push(l10n.t('{0} is ignored: {1}', label, filter.message));
      return;
    }
    const fallback =
      parsed.source.kind === 'expression' ? parsed.source.expression : l10n.t('heap at {0}', `0x${parsed.source.address.toString(16)}`);
    const name = named || fallback;
    if (heaps.some(h => h.name === name)) {
      problems.push(l10n.t('{0} is ignored: {1}', label, clash(name)));
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
    problems.push(l10n.t('buddyHeap.live.heaps must be an array of heaps, e.g. {0}; it is ignored.', HEAPS_EXAMPLE));
  } else {
    addHeaps(entries, 'buddyHeap.live.heaps', heaps, problems, name =>
      l10n.t('another heap is already named "{0}"; give each heap its own "name".', name),
    );
  }
  if (file) {
    problems.push(...file.problems);
    const fromSetting = new Set(heaps.map(h => h.name));
    addHeaps(file.entries, l10n.t('{0} heaps', file.origin), heaps, problems, name =>
      fromSetting.has(name)
        ? l10n.t(
            'buddyHeap.live.heaps already has a heap named "{0}" and the setting wins; rename one of them or remove the duplicate.',
            name,
          )
        : l10n.t('another heap in {0} is already named "{1}"; give each heap its own "name".', file.origin, name),
    );
  }
  const mode = raw.readMode === undefined ? DEFAULT_LIVE_READ_OPTIONS.mode : raw.readMode;
  const modeOk = mode === 'auto' || mode === 'full' || mode === 'sparse';
  if (!modeOk)
    problems.push(l10n.t('buddyHeap.live.readMode must be "auto", "full" or "sparse", not {0}; using "auto".', JSON.stringify(mode)));
  const chunk = raw.maxChunkBytes === undefined ? DEFAULT_LIVE_READ_OPTIONS.maxChunkBytes : raw.maxChunkBytes;
  const chunkOk = typeof chunk === 'number' && Number.isSafeInteger(chunk) && chunk >= 16 && chunk <= MAX_CHUNK;
  if (!chunkOk)
    problems.push(
      l10n.t(
        'buddyHeap.live.maxChunkBytes must be a whole number of bytes from 16 to {0}, not {1}; using {2}.',
        MAX_CHUNK,
        JSON.stringify(chunk),
        DEFAULT_LIVE_READ_OPTIONS.maxChunkBytes,
      ),
    );
  const endianness = raw.endianness === undefined ? DEFAULT_LIVE_READ_OPTIONS.endianness : raw.endianness;
  const endianOk = endianness === 'little' || endianness === 'big';
  if (!endianOk)
    problems.push(l10n.t('buddyHeap.live.endianness must be "little" or "big", not {0}; using "little".', JSON.stringify(endianness)));
  // Fallbacks for expression heaps when the debugger cannot tell: unset (null) by default.
  const orders = parseOrders(raw.orders);
  if (typeof orders === 'object')
    problems.push(l10n.t('buddyHeap.live.orders is ignored: {0}; leave it empty (null) to rely on the debugger.', orders.error));
  const pointerWidth = parsePointerWidth(raw.pointerWidth);
  if (typeof pointerWidth === 'object')
    problems.push(
      l10n.t('buddyHeap.live.pointerWidth is ignored: {0}; leave it empty (null) to rely on the debugger.', pointerWidth.error),
    );
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
