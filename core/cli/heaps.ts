// `buddy-heap heaps <program.elf> [--json]`: the buddy heaps a program's debug info declares,
// with what a reader needs to decode each (address, field offsets, N, pointer width, byte order).
import { discoverHeaps } from '../discovery/findHeaps';
import type { DiscoveredHeap, HeapDiscovery } from '../discovery/heapTypes';
import { ElfFile } from '../elf/elfFile';
import { ProgramReadError } from '../elf/readError';
import { hex } from '../layout';
import { CliError, type CliIo, parseArgs } from './io';

const USAGE = 'buddy-heap heaps <program.elf> [--json]';

export async function runHeaps(args: readonly string[], io: CliIo): Promise<number> {
  const { positional, flags } = parseArgs(args, ['--json']);
  const programPath = positional[0];
  if (programPath === undefined || positional.length > 1) throw new CliError(`one program file is needed\nusage: ${USAGE}`, 2);
  const bytes = await io.readBytes(programPath);
  let discovery: HeapDiscovery;
  try {
    discovery = discoverHeaps(new ElfFile(bytes));
  } catch (error) {
    if (error instanceof ProgramReadError) throw new CliError(`${programPath}: ${error.message}`, 2);
    throw error;
  }
  const json = flags.has('--json');
  if (json) io.out(JSON.stringify(discovery.heaps.map(heapToJson), null, 2) + '\n');
  if (discovery.heaps.length === 0) {
    io.err(noHeapMessage(programPath, discovery));
    return 2;
  }
  if (!json) io.out(formatHeaps(discovery.heaps));
  return 0;
}

/** The documented JSON shape: addresses as in the ELF, lowercase hex; offsets in bytes. */
export function heapToJson(heap: DiscoveredHeap): Record<string, unknown> {
  return {
    path: heap.path,
    address: hex(heap.address),
    orders: heap.orders,
    pointerWidth: heap.pointerWidth,
    endianness: heap.endianness,
    offsets: { ...heap.offsets },
  };
}

function formatHeaps(heaps: readonly DiscoveredHeap[]): string {
  return heaps
    .map(heap => {
      const o = heap.offsets;
      const lines = [
        `${heap.path} at ${hex(heap.address)}: ${heap.typeName ?? 'heap'}, N = ${heap.orders}, ${heap.pointerWidth}-byte pointers, ${heap.endianness} endian`,
        `  offsets: heap_base +${o.heapBase}, heap_size +${o.heapSize}, free_lists +${o.freeLists}, min_block_size +${o.minBlockSize}, ` +
          `min_block_size_log2 +${o.minBlockSizeLog2} (${heap.log2Bytes} byte${heap.log2Bytes === 1 ? '' : 's'})`,
      ];
      if (heap.variable.path !== heap.path)
        lines.push(`  inside ${heap.variable.path} (${heap.variable.typeName ?? 'static'}) at ${hex(heap.variable.address)}`);
      for (const c of heap.conditions)
        lines.push(
          `  only while ${c.variant}: the discriminant at ${c.discriminantOffset >= 0 ? '+' : ''}${c.discriminantOffset} is ${c.value}`,
        );
      if (heap.lock)
        lines.push(
          `  lock flag: ${heap.lock.path} at ${heap.lock.offset >= 0 ? '+' : ''}${heap.lock.offset} (${heap.lock.size} byte${heap.lock.size === 1 ? '' : 's'}, non-zero while held)`,
        );
      return lines.join('\n') + '\n';
    })
    .join('');
}

function noHeapMessage(programPath: string, discovery: HeapDiscovery): string {
  const lines = [
    `${programPath}: no buddy heap found: no static is, or contains, a struct with the fields ` +
      'heap_base, heap_size, free_lists, min_block_size and min_block_size_log2',
  ];
  for (const miss of discovery.nearMisses)
    lines.push(`  ${miss.path} (${miss.typeName ?? 'struct'}) has the field names, but ${miss.reason}`);
  return lines.join('\n') + '\n';
}
