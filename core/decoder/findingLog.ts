// Collects findings with a cap per kind: a corrupt heap of a million blocks can produce a million
// identical complaints, and the view must stay small. What is over the cap is counted and reported
// as one closing finding of the same kind.
import type { Finding, FindingKind } from './types';

export const DEFAULT_MAX_FINDINGS_PER_KIND = 100;

const ERROR_KINDS: ReadonlySet<FindingKind> = new Set<FindingKind>([
  'NextOutOfHeap',
  'NextMisaligned',
  'Cycle',
  'OnTwoLists',
  'DuplicateInList',
  'WrongOrder',
  'Overlap',
  'TopOrderNotSingle',
  'BadHeapSize',
  'BadMinBlockSize',
  'BadHeapBase',
  'BadOrders',
]);

/** A finding before its severity is filled in (severity follows from the kind). */
export type FindingInput = Omit<Finding, 'severity'>;

export class FindingLog {
  private readonly findings: Finding[] = [];
  private readonly perKind = new Map<FindingKind, number>();

  constructor(private readonly maxPerKind: number = DEFAULT_MAX_FINDINGS_PER_KIND) {}

  add(finding: FindingInput): void {
    const seen = (this.perKind.get(finding.kind) ?? 0) + 1;
    this.perKind.set(finding.kind, seen);
    if (seen > this.maxPerKind) return;
    this.findings.push({ ...finding, severity: severityOf(finding.kind) });
  }

  /** The findings in the order they were found, then one line per kind that went over the cap. */
  list(): Finding[] {
    const out = this.findings.slice();
    for (const [kind, seen] of this.perKind) {
      if (seen <= this.maxPerKind) continue;
      out.push({
        kind,
        severity: severityOf(kind),
        message: `${seen - this.maxPerKind} more ${kind} findings are not listed (only the first ${this.maxPerKind} are).`,
      });
    }
    return out;
  }
}

export function severityOf(kind: FindingKind): 'error' | 'warning' {
  return ERROR_KINDS.has(kind) ? 'error' : 'warning';
}
