// buddyHeap.live.ownership.*: whether the ownership scan runs at each stop, and how many bytes it
// may read there. A value out of range falls back to the default (the manifest's schema already
// tells the user in the Settings editor).
import { DEFAULT_OWNERSHIP_SETTINGS, type OwnershipScanSettings } from '../dap/ownership/liveOwnership';

export interface OwnershipSettings {
  readonly enabled: boolean;
  readonly scan: OwnershipScanSettings;
}

/** The bytes a scan may read per stop: at least a few words, at most 1 GiB. */
const MIN_READ = 64;
const MAX_READ = 1024 * 1024 * 1024;

/** `maxChunkBytes` is the heap read's (buddyHeap.live.maxChunkBytes): the scan reads in the same chunks. */
export function ownershipSettings(config: { get(key: string): unknown }, maxChunkBytes: number): OwnershipSettings {
  const enabled = config.get('enabled');
  const maxReadBytes = config.get('maxReadBytes');
  const bytes =
    typeof maxReadBytes === 'number' && Number.isInteger(maxReadBytes) && maxReadBytes >= MIN_READ && maxReadBytes <= MAX_READ
      ? maxReadBytes
      : DEFAULT_OWNERSHIP_SETTINGS.maxReadBytes;
  return {
    enabled: enabled !== false,
    scan: { ...DEFAULT_OWNERSHIP_SETTINGS, maxReadBytes: bytes, chunks: { ...DEFAULT_OWNERSHIP_SETTINGS.chunks, maxChunkBytes } },
  };
}
