// A decoded heap as `inspect` prints it: readable text, or the documented JSON (--json).
import type { DecodedHeapView } from '../decoder/types';
import { formatBytes, hex } from '../layout';

const STATE_NAMES = ['free', 'allocated', 'unknown'] as const;

export function viewToJson(view: DecodedHeapView): unknown {
  const blocks = [];
  for (let i = 0; i < view.blocks.count; i++) {
    blocks.push({
      address: hex(view.heapBase + BigInt(view.blocks.offsets[i]!)),
      order: view.blocks.orders[i],
      size: view.minBlockSize * 2 ** view.blocks.orders[i]!,
      state: STATE_NAMES[view.blocks.states[i]!],
    });
  }
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
      entries: list.entries.map(e => ({ address: hex(view.heapBase + BigInt(e.offset)), next: e.next === undefined ? null : hex(e.next) })),
    })),
    blocks,
    stats: view.stats,
    findings: view.findings.map(f => ({ ...f, address: f.address === undefined ? undefined : hex(f.address) })),
  };
}

export function formatView(view: DecodedHeapView): string {
  const lines: string[] = [];
  const s = view.stats;
  lines.push(
    `heap ${hex(view.heapBase)}: ${formatBytes(view.heapSize)}, ${view.orders} orders, min block ${formatBytes(view.minBlockSize)}, ${view.pointerWidth}-byte ${view.endianness}-endian pointers`,
  );
  lines.push(
    `free ${formatBytes(s.freeBytes)}, allocated ${formatBytes(s.allocatedBytes)}${s.unknownBytes ? `, unknown ${formatBytes(s.unknownBytes)}` : ''}; largest free block ${formatBytes(s.largestFreeBlock)}; fragmentation ${(s.fragmentation * 100).toFixed(1)}%`,
  );
  lines.push('', 'free lists (head first):');
  for (const list of view.freeLists) {
    const chain = list.entries.map(e => hex(view.heapBase + BigInt(e.offset))).join(' → ');
    lines.push(
      `  order ${String(list.order).padStart(2)} (${formatBytes(list.blockSize).padStart(8)}): ${list.entries.length === 0 ? '(empty)' : chain}${list.broken ? '  [broken]' : ''}`,
    );
  }
  lines.push('', 'blocks:');
  const shown = Math.min(view.blocks.count, 64);
  for (let i = 0; i < shown; i++) {
    const order = view.blocks.orders[i]!;
    lines.push(
      `  ${hex(view.heapBase + BigInt(view.blocks.offsets[i]!))}  ${formatBytes(view.minBlockSize * 2 ** order).padStart(8)}  order ${String(order).padStart(2)}  ${STATE_NAMES[view.blocks.states[i]!]}`,
    );
  }
  if (view.blocks.count > shown) lines.push(`  … ${view.blocks.count - shown} more (use --json for all)`);
  lines.push('', view.findings.length === 0 ? 'no integrity findings' : `${view.findings.length} integrity finding(s):`);
  for (const f of view.findings) lines.push(`  ${f.severity.padEnd(7)} ${f.kind}: ${f.message}`);
  return lines.join('\n') + '\n';
}
