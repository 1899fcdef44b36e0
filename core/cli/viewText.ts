// A decoded heap as `inspect` prints it: the readable table, or the documented JSON (--json)
// written as it is produced (blocks and list entries are StreamedArrays), so memory does not grow
// with the heap's block count. Used for raw images and for snapshot steps alike.
import type { DecodedFreeList, DecodedHeapView, Finding } from '../decoder/types';
import { formatBytes, hex } from '../layout';
import { StreamedArray } from './prettyJson';

const STATE_NAMES = ['free', 'allocated', 'unknown'] as const;
/** Rows of the readable table; --json has them all. */
const SHOWN_BLOCKS = 64;
const SHOWN_LIST_ENTRIES = 16;

/**
 * The view as JSON values: addresses and raw words as "0x…" strings (JSON has no 64-bit integers),
 * blocks and list entries as StreamedArrays made while they are written.
 */
export function viewToJson(view: DecodedHeapView): Record<string, unknown> {
  const blocks = view.blocks;
  return {
    heapBase: hex(view.heapBase),
    heapSize: view.heapSize,
    orders: view.orders,
    minBlockSize: view.minBlockSize,
    pointerWidth: view.pointerWidth,
    endianness: view.endianness,
    freeLists: view.freeLists.map(list => ({
      order: list.order,
      blockSize: list.blockSize,
      head: hex(list.head),
      broken: list.broken,
      entries: new StreamedArray(list.columns.count, i => ({ address: entryAddress(view, list, i), next: entryNext(view, list, i) })),
    })),
    blocks: new StreamedArray(blocks.count, i => ({
      address: hex(view.heapBase + BigInt(blocks.offsets[i]!)),
      order: blocks.orders[i],
      size: view.minBlockSize * 2 ** blocks.orders[i]!,
      state: STATE_NAMES[blocks.states[i]!],
    })),
    stats: view.stats,
    findings: view.findings.map(findingToJson),
  };
}

/** A finding with every bigint (address, linkedFrom, and any added later) as a "0x…" string. */
export function findingToJson(finding: Finding): Record<string, unknown> {
  return Object.fromEntries(Object.entries(finding).map(([key, value]) => [key, typeof value === 'bigint' ? hex(value) : value]));
}

function entryAddress(view: DecodedHeapView, list: DecodedFreeList, i: number): string {
  return hex(view.heapBase + BigInt(list.columns.offsets[i]!));
}

/** An entry's next word: the next entry's address (the walk only moves on through those), the last's as read. */
function entryNext(view: DecodedHeapView, list: DecodedFreeList, i: number): string | null {
  const columns = list.columns;
  if (i < columns.count - 1) return entryAddress(view, list, i + 1);
  return columns.lastNext === undefined ? null : hex(columns.lastNext);
}

export function writeTable(view: DecodedHeapView, out: (text: string) => void): void {
  const s = view.stats;
  out(
    `heap ${hex(view.heapBase)}: ${formatBytes(view.heapSize)}, ${view.orders} orders, min block ${formatBytes(view.minBlockSize)}, ${view.pointerWidth}-byte ${view.endianness}-endian pointers\n`,
  );
  out(
    `free ${formatBytes(s.freeBytes)}, allocated ${formatBytes(s.allocatedBytes)}${s.unknownBytes ? `, unknown ${formatBytes(s.unknownBytes)}` : ''}; largest free block ${formatBytes(s.largestFreeBlock)}; fragmentation ${(s.fragmentation * 100).toFixed(1)}%\n`,
  );
  out('\nfree lists (head first):\n');
  for (const list of view.freeLists) {
    const count = list.columns.count;
    const shown = Math.min(count, SHOWN_LIST_ENTRIES);
    const chain = Array.from({ length: shown }, (_, i) => entryAddress(view, list, i)).join(' → ');
    const more = count > shown ? ` → … ${count - shown} more (use --json for all)` : '';
    out(
      `  order ${String(list.order).padStart(2)} (${formatBytes(list.blockSize).padStart(8)}): ${count === 0 ? '(empty)' : chain + more}${list.broken ? '  [broken]' : ''}\n`,
    );
  }
  out('\nblocks:\n');
  const blocks = view.blocks;
  const shown = Math.min(blocks.count, SHOWN_BLOCKS);
  for (let i = 0; i < shown; i++) {
    const order = blocks.orders[i]!;
    out(
      `  ${hex(view.heapBase + BigInt(blocks.offsets[i]!))}  ${formatBytes(view.minBlockSize * 2 ** order).padStart(8)}  order ${String(order).padStart(2)}  ${STATE_NAMES[blocks.states[i]!]}\n`,
    );
  }
  if (blocks.count > shown) out(`  … ${blocks.count - shown} more (use --json for all)\n`);
  // The decoder caps findings per kind (and says how many more there were), so this list is short.
  out(`\n${view.findings.length === 0 ? 'no integrity findings' : `${view.findings.length} integrity finding(s):`}\n`);
  for (const f of view.findings) out(`  ${f.severity.padEnd(7)} ${f.kind}: ${f.message}\n`);
}
