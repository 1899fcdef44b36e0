// The live heaps a *.buddyheap.json carries in its optional "heaps" array (same entries as the
// buddyHeap.live.heaps setting). No vscode import: liveSettings (pure, unit-tested) reads the
// latest ones from here, because LiveDebugging.settings() is synchronous and files are not.
import * as l10n from '@vscode/l10n';

/** The raw heap entries of one layout file, checked only for shape; each entry is checked later. */
export interface FileHeaps {
  /** The file as the user sees it (workspace-relative), for messages. */
  readonly origin: string;
  readonly entries: readonly unknown[];
  /** File-level problems (not JSON, "heaps" not an array), one line each. */
  readonly problems: readonly string[];
}

export const HEAPS_EXAMPLE = '[{ "name": "heap", "expression": "HEAP" }]';

/** The "heaps" of a parsed layout file; a file without one has no heaps and no problem. */
export function fileHeapsOf(json: unknown, origin: string): FileHeaps {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    return {
      origin,
      entries: [],
      problems: [l10n.t('{0} must hold a JSON object (a layout and/or "heaps": {1}); its heaps are not used.', origin, HEAPS_EXAMPLE)],
    };
  }
  const heaps = (json as { heaps?: unknown }).heaps;
  if (heaps === undefined) return { origin, entries: [], problems: [] };
  if (!Array.isArray(heaps)) {
    return {
      origin,
      entries: [],
      problems: [l10n.t('{0}: "heaps" must be an array of heaps, e.g. {1}; it is ignored.', origin, HEAPS_EXAMPLE)],
    };
  }
  return { origin, entries: heaps, problems: [] };
}

/** A file that could not be read or parsed: its heaps (if any) cannot be used. */
export function unreadableFileHeaps(origin: string, reason: string): FileHeaps {
  return { origin, entries: [], problems: [l10n.t('{0} cannot be read, so its "heaps" are not used: {1}', origin, reason)] };
}

let latest: FileHeaps | undefined;

/** The heaps of the layout file as last loaded (undefined: no layout file, or not loaded yet). */
export function currentFileHeaps(): FileHeaps | undefined {
  return latest;
}

export function setFileHeaps(heaps: FileHeaps | undefined): void {
  latest = heaps;
}
