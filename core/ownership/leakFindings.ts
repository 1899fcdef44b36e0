// Leak suspects as findings beside the decoder's: one summary ("N blocks, X KiB, referenced by
// nothing the scan can see: possible leaks" with the caveat), then one per block, capped like every
// finding kind so a heap of a million leaked blocks stays a short list.
import { DEFAULT_MAX_FINDINGS_PER_KIND, FindingLog } from '../decoder/findingLog';
import type { Finding } from '../decoder/types';
import { formatBytes, hex } from '../layout';
import type { OwnershipResult } from './ownershipResult';

export function leakFindings(result: OwnershipResult, maxPerKind = DEFAULT_MAX_FINDINGS_PER_KIND): Finding[] {
  const summary = result.leakSummary();
  if (summary.count === 0) return [];
  const log = new FindingLog(maxPerKind);
  const blocks = summary.count === 1 ? '1 block' : `${summary.count} blocks`;
  log.add({
    kind: 'PossibleLeak',
    message: `${blocks}, ${formatBytes(summary.bytes)}, referenced by nothing the scan can see: possible leaks. ${summary.caveat}`,
  });
  for (const suspect of result.leakSuspects()) {
    const offset = Number(suspect.address - result.heapBase);
    const why =
      suspect.why === 'unreferenced'
        ? 'no word the scan read points to it'
        : 'only blocks that no root reaches point to it (a cycle, or the parts of a leaked structure)';
    log.add({
      kind: 'PossibleLeak',
      address: suspect.address,
      offset,
      message: `The ${formatBytes(suspect.size)} allocated block at ${hex(suspect.address)} (${suspect.confidence}) is a possible leak: ${why}.`,
    });
  }
  return log.list();
}
