// Reads the roots: the typed pointer slots of a root with debug info, every aligned word of one
// without, and register values. Words inside the heap arena or the heap struct are skipped: the
// arena's words are scanned as blocks, and the struct's list heads point into the heap by design,
// so as roots they would "own" everything.
import { hex } from '../layout';
import type { HeapTargets } from './heapTargets';
import type { RootReference } from './rawReferences';
import type { ScanBudget } from './scanBudget';
import type { MemoryRoot, PointerSlot, RootRegion, TargetMemory } from './types';

export interface RootScan {
  readonly references: RootReference[];
  bytesScanned: number;
  bytesUnreadable: number;
  bytesExcluded: number;
  readonly notes: string[];
}

interface Excluded {
  readonly start: bigint;
  readonly end: bigint;
  readonly what: string;
}

export function scanRoots(
  roots: readonly RootRegion[],
  memory: TargetMemory,
  targets: HeapTargets,
  width: number,
  budget: ScanBudget,
  heapStruct: { readonly address: bigint; readonly size: number } | undefined,
): RootScan {
  const scan: RootScan = { references: [], bytesScanned: 0, bytesUnreadable: 0, bytesExcluded: 0, notes: [] };
  const excluded: Excluded[] = [];
  if (targets.size > 0) excluded.push({ start: targets.base, end: targets.base + BigInt(targets.size), what: 'the heap arena' });
  if (heapStruct && heapStruct.size > 0) {
    excluded.push({ start: heapStruct.address, end: heapStruct.address + BigInt(heapStruct.size), what: 'the heap struct' });
  }
  const reader = new RootReader(scan, memory, targets, width, budget, excluded);
  roots.forEach((root, rootIndex) => {
    if (budget.exhausted) return;
    if (root.kind === 'register') reader.register(root.label, root.value, rootIndex);
    else if (root.slots) reader.typed(root, root.slots, rootIndex);
    else reader.conservative(root, rootIndex);
  });
  return scan;
}

class RootReader {
  private readonly w: bigint;

  constructor(
    private readonly scan: RootScan,
    private readonly memory: TargetMemory,
    private readonly targets: HeapTargets,
    private readonly width: number,
    private readonly budget: ScanBudget,
    private readonly excluded: readonly Excluded[],
  ) {
    this.w = BigInt(width);
  }

  register(label: string, value: bigint, rootIndex: number): void {
    this.add(rootIndex, 0, label, value, 0);
  }

  typed(root: MemoryRoot, slots: readonly PointerSlot[], rootIndex: number): void {
    // Lowest offset first: the owner tie-break prefers the first word of a root.
    const ordered = [...slots].sort((a, b) => a.offset - b.offset);
    let skipped = 0;
    for (const slot of ordered) {
      const address = root.address + BigInt(slot.offset);
      if (this.exclusionAt(address) !== undefined) {
        skipped += this.width;
        continue;
      }
      if (!this.take(root)) return;
      const value = this.memory.readWord(address);
      if (value === undefined) {
        this.scan.bytesUnreadable += this.width;
        continue;
      }
      const extent = slot.fat ? this.fatExtent(root.address + BigInt(slot.fat.lengthOffset), slot.fat.elementSize) : 0;
      this.add(rootIndex, slot.offset, joinPath(root.label, slot.path), value, extent);
    }
    this.noteExcluded(root, skipped);
  }

  conservative(root: MemoryRoot, rootIndex: number): void {
    const end = root.address + BigInt(root.size);
    let address = ((root.address + this.w - 1n) / this.w) * this.w;
    let skipped = 0n;
    while (address + this.w <= end) {
      const exclusion = this.exclusionAt(address);
      if (exclusion !== undefined) {
        // Jump over the whole excluded range (a 1 MiB arena inside .bss costs one step).
        const resume = (((exclusion.end < end ? exclusion.end : end) + this.w - 1n) / this.w) * this.w;
        skipped += (resume < end ? resume : end) - address;
        address = resume;
        continue;
      }
      if (!this.take(root)) break;
      const value = this.memory.readWord(address);
      const offset = Number(address - root.address);
      if (value === undefined) this.scan.bytesUnreadable += this.width;
      else this.add(rootIndex, offset, `${root.label}+${hex(offset)}`, value, 0);
      address += this.w;
    }
    this.noteExcluded(root, Number(skipped));
  }

  private take(root: MemoryRoot): boolean {
    if (this.budget.take(this.width, this.width) === this.width) {
      this.scan.bytesScanned += this.width;
      return true;
    }
    this.budget.stop(`in root ${root.label}`);
    return false;
  }

  private add(rootIndex: number, offset: number, path: string, value: bigint, extent: number): void {
    const target = this.targets.offsetOf(value);
    if (target < 0) return;
    const span = this.targets.spanAt(target);
    if (span < 0) return;
    this.scan.references.push({ rootIndex, offset, path, target, span, extent });
  }

  /** Bytes a fat pointer covers, or 0 when its length is unreadable, zero or larger than the heap (stale). */
  private fatExtent(lengthAddress: bigint, elementSize: number): number {
    const length = this.memory.readWord(lengthAddress);
    if (length === undefined || length === 0n) return 0;
    const bytes = length * BigInt(elementSize);
    return bytes <= BigInt(this.targets.size) ? Number(bytes) : 0;
  }

  private exclusionAt(address: bigint): Excluded | undefined {
    const end = address + this.w;
    return this.excluded.find(range => address < range.end && end > range.start);
  }

  private noteExcluded(root: MemoryRoot, bytes: number): void {
    if (bytes === 0) return;
    this.scan.bytesExcluded += bytes;
    const what = this.excluded
      .filter(range => root.address < range.end && root.address + BigInt(root.size) > range.start)
      .map(range => range.what)
      .join(' and ');
    this.scan.notes.push(`${bytes} bytes of root ${root.label} were not scanned as a root: they are ${what}.`);
  }
}

/** `app::CACHE` + `entries[3]` → `app::CACHE.entries[3]`; an index or empty path joins without a dot. */
export function joinPath(label: string, path: string): string {
  if (path === '') return label;
  return path.startsWith('[') ? label + path : `${label}.${path}`;
}
