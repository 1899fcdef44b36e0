// `buddy-heap inspect`: decode a raw memory image of a heap, print the view and its findings.
import { decodeHeap } from '../decoder/decode';
import type { DecodedHeapView } from '../decoder/types';
import { formatBytes, hex } from '../layout';
import { ByteImage } from '../memory/byteImage';
import { CliError, type CliIo, parseArgs } from './io';
import { parseInspectLayout } from './inspectLayout';
import { runInspectSnapshot } from './inspectSnapshot';
import { isSnapshotInput } from './snapshotInput';

const USAGE = 'buddy-heap inspect <image.bin> --layout <layout.json> [--json]  or  buddy-heap inspect <file.buddyheap> [--step N] [--json]';
const STATE_NAMES = ['free', 'allocated', 'unknown'] as const;

export async function runInspect(args: readonly string[], io: CliIo): Promise<number> {
  const { positional, flags, values } = parseArgs(args, ['--json'], ['--layout', '--step']);
  const imagePath = positional[0];
  const layoutPath = values.get('--layout');
  if (imagePath !== undefined && layoutPath === undefined) {
    const bytes = await io.readBytes(imagePath);
    if (isSnapshotInput(imagePath, bytes)) return runInspectSnapshot(args, imagePath, bytes, io);
  }
  if (values.has('--step')) throw new CliError('--step is for snapshot files (*.buddyheap)', 2);
  if (imagePath === undefined || layoutPath === undefined) throw new CliError(`an image and --layout are both needed\nusage: ${USAGE}`, 2);
  const bytes = await io.readBytes(imagePath);
  let layout;
  try {
    layout = parseInspectLayout(await io.readText(layoutPath), bytes);
  } catch (error) {
    if (error instanceof CliError) throw error;
    throw new CliError(`${layoutPath}: ${(error as Error).message}`, 2);
  }
  const view = decodeHeap({
    fields: layout.fields,
    pointerWidth: layout.pointerWidth,
    endianness: layout.endianness,
    memory: heapBytes(bytes, layout.imageBase, layout.fields.heapBase, layout.fields.heapSize, layout),
  });
  io.out(flags.has('--json') ? JSON.stringify(viewToJson(view), null, 2) + '\n' : formatView(view));
  return 0;
}

/** The heap's part of the image as a ByteImage; bytes the image does not cover stay unknown. */
function heapBytes(
  image: Uint8Array,
  imageBase: bigint,
  heapBase: bigint,
  heapSize: bigint,
  layout: { pointerWidth: 4 | 8; endianness: 'little' | 'big' },
): ByteImage {
  // A struct claiming a huge heap must not make us allocate it: the decoder refuses those, and the
  // image is sized by what the file can actually cover.
  const size = heapSize > BigInt(Number.MAX_SAFE_INTEGER) ? 0 : Number(heapSize);
  const memory = new ByteImage(size, { pointerWidth: layout.pointerWidth, endianness: layout.endianness, unknownUntilWritten: true });
  const start = heapBase - imageBase;
  const from = start < 0n ? -start : 0n;
  const to = BigInt(size) < BigInt(image.length) - start ? BigInt(size) : BigInt(image.length) - start;
  if (to > from) memory.write(Number(from), image.subarray(Number(start + from), Number(start + to)));
  return memory;
}

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
