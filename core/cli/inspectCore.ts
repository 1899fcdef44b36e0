// `buddy-heap inspect --core <core> --elf <program> [--json]`: a post-mortem of a process. The
// program's DWARF finds the heaps (moved by the core's load bias), the core's PT_LOAD segments
// give their bytes, and the ownership scan (statics, stacks and registers as roots) says who owns
// each block and which ones nothing the scan can see refers to.
import { decodeHeap } from '../decoder/decode';
import type { DecodedHeapView, Finding } from '../decoder/types';
import { discoverHeaps } from '../discovery/findHeaps';
import type { DiscoveredHeap } from '../discovery/heapTypes';
import { CoreFile } from '../elf/coreFile';
import { ElfFile } from '../elf/elfFile';
import { ProgramReadError } from '../elf/readError';
import { formatBytes, hex } from '../layout';
import type { HeapWordReader } from '../memory/byteImage';
import { formatChain } from '../ownership/describe';
import { leakFindings } from '../ownership/leakFindings';
import { ownershipToJson } from '../ownership/ownershipJson';
import type { OwnershipResult } from '../ownership/ownershipResult';
import { programRoots } from '../ownership/programRoots';
import { notPointerRegister } from '../ownership/registerRoots';
import { scanOwnership } from '../ownership/scanOwnership';
import { SegmentedMemory } from '../ownership/segmentedMemory';
import type { HeapMemory, RootRegion } from '../ownership/types';
import { findingToJson } from './inspect';
import { CliError, type CliIo, describePath, parseArgs } from './io';

const USAGE = 'buddy-heap inspect --core <core> --elf <program> [--json]';
const SHOWN_BLOCKS = 64;
const SHOWN_ENTRIES = 16;

interface InspectedHeap {
  readonly heap: DiscoveredHeap;
  readonly address: bigint;
  readonly view: DecodedHeapView | undefined;
  readonly ownership: OwnershipResult | undefined;
  /** Why the heap could not be decoded. */
  readonly problem: string | undefined;
}

export async function runInspectCore(args: readonly string[], io: CliIo): Promise<number> {
  const { positional, flags, values } = parseArgs(args, ['--json'], ['--core', '--elf']);
  const corePath = values.get('--core');
  const programPath = values.get('--elf');
  if (corePath === undefined || programPath === undefined || positional.length > 0) {
    throw new CliError(`--core and --elf are both needed, and nothing else\nusage: ${USAGE}`, 2);
  }
  const program = openProgram(programPath, await io.readBytes(programPath));
  const core = openCore(corePath, await io.readBytes(corePath));
  if (core.elf.header.machine !== program.header.machine || core.elf.header.class !== program.header.class) {
    throw new CliError(
      `${describePath(corePath)} is from a different machine than ${describePath(programPath)} (e_machine ${core.elf.header.machine} vs ${program.header.machine}); give the program the core was dumped from`,
      2,
    );
  }
  const bias = core.loadBias(program, programPath);
  if (bias === undefined) {
    throw new CliError(
      `${describePath(corePath)} does not say where ${describePath(programPath)} was loaded (no AT_ENTRY in NT_AUXV, no NT_FILE mapping of it); is this the program the core was dumped from?`,
      2,
    );
  }
  let heaps: readonly DiscoveredHeap[];
  try {
    heaps = discoverHeaps(program).heaps;
  } catch (error) {
    if (error instanceof ProgramReadError) throw new CliError(`${describePath(programPath)}: ${error.message}`, 2);
    throw error;
  }
  if (heaps.length === 0)
    throw new CliError(`${describePath(programPath)} declares no buddy heap in its debug info (see: buddy-heap heaps)`, 2);

  const memory = new SegmentedMemory(core.segments);
  const inspected = heaps.map(heap => inspectHeap(heap, bias, core, memory, program, heaps));
  if (flags.has('--json')) io.out(JSON.stringify({ heaps: inspected.map(heapJson) }, null, 2) + '\n');
  else io.out(inspected.map(heapText).join('\n'));
  return 0;
}

function openProgram(path: string, bytes: Uint8Array): ElfFile {
  let elf: ElfFile;
  try {
    elf = new ElfFile(bytes);
  } catch (error) {
    if (error instanceof ProgramReadError) throw new CliError(`--elf ${describePath(path)}: ${error.message}`, 2);
    throw error;
  }
  if (elf.header.type === 4) throw new CliError(`--elf ${describePath(path)} is a core file; --elf takes the program, --core the core`, 2);
  return elf;
}

function openCore(path: string, bytes: Uint8Array): CoreFile {
  try {
    return new CoreFile(bytes);
  } catch (error) {
    if (error instanceof ProgramReadError) throw new CliError(`--core ${describePath(path)}: ${error.message}`, 2);
    throw error;
  }
}

function inspectHeap(
  heap: DiscoveredHeap,
  bias: bigint,
  core: CoreFile,
  memory: SegmentedMemory,
  program: ElfFile,
  all: readonly DiscoveredHeap[],
): InspectedHeap {
  const address = heap.address + bias;
  const width = heap.pointerWidth;
  const field = (offset: number) => memory.readWord(address + BigInt(offset));
  const failed = (problem: string): InspectedHeap => ({ heap, address, view: undefined, ownership: undefined, problem });
  for (const condition of heap.conditions) {
    const word = memory.readWord(address + BigInt(condition.discriminantOffset));
    const value = word === undefined ? undefined : littleBytes(word, condition.discriminantSize, heap.endianness === 'little', width);
    if (value !== undefined && value !== BigInt(condition.value))
      return failed(`not there: the enclosing enum is not ${condition.variant}`);
  }
  const heapBase = field(heap.offsets.heapBase);
  const heapSize = field(heap.offsets.heapSize);
  const minBlockSize = field(heap.offsets.minBlockSize);
  const log2Word = field(heap.offsets.minBlockSizeLog2);
  const freeLists = Array.from({ length: heap.orders }, (_, k) => field(heap.offsets.freeLists + k * width));
  if (
    heapBase === undefined ||
    heapSize === undefined ||
    minBlockSize === undefined ||
    log2Word === undefined ||
    freeLists.some(l => l === undefined)
  ) {
    return failed(`the core has no bytes for the heap struct at ${hex(address)}`);
  }
  const minBlockSizeLog2 = Number(littleBytes(log2Word, heap.log2Bytes, heap.endianness === 'little', width));
  const heapMemory = arenaReader(core, memory, heapBase, heapSize, width);
  const view = decodeHeap({
    fields: { heapBase, heapSize, freeLists: freeLists as bigint[], minBlockSize, minBlockSizeLog2 },
    pointerWidth: width,
    endianness: heap.endianness,
    memory: heapMemory,
  });
  const structSize = heap.structSize ?? 0;
  const excluded = all.map(h => ({ address: h.address + bias, size: h.structSize ?? 0 }));
  excluded.push({ address: heapBase, size: Number(heapSize) });
  const roots: RootRegion[] = [...programRoots(program, { loadBias: bias, exclude: excluded }).roots];
  for (const thread of core.threads) {
    const sp = thread.stackPointer;
    const stack = sp === undefined ? undefined : core.segmentAround(sp);
    if (sp !== undefined && stack)
      roots.push({ kind: 'stack', label: `thread ${thread.pid} stack`, address: sp, size: Number(stack.end - sp) });
    for (const [name, value] of thread.registers) {
      if (!notPointerRegister(name)) roots.push({ kind: 'register', label: `thread ${thread.pid} ${name}`, value });
    }
  }
  const ownership = scanOwnership({ heap: view, heapMemory, roots, rootMemory: memory, heapStruct: { address, size: structSize } });
  return { heap, address, view, ownership, problem: undefined };
}

/** The low `bytes` bytes of a word read in target order (a u8 or u32 field read as a whole word). */
function littleBytes(word: bigint, bytes: number, littleEndian: boolean, width: number): bigint {
  const bits = BigInt(bytes * 8);
  return littleEndian ? BigInt.asUintN(Number(bits), word) : word >> BigInt((width - bytes) * 8);
}

/** The arena's words by heap offset: in place when one core segment holds it all (the usual case). */
function arenaReader(core: CoreFile, memory: SegmentedMemory, base: bigint, size: bigint, width: 4 | 8): HeapMemory {
  const segment = core.segments.find(s => base >= s.address && base + size <= s.address + BigInt(s.image.size));
  if (segment && 'read' in segment.image) {
    const image = segment.image as HeapMemory;
    const start = Number(base - segment.address);
    return {
      size: Number(size),
      pointerWidth: width,
      readWord: offset => (offset >= 0 && offset + width <= Number(size) ? image.readWord(start + offset) : undefined),
      read: (offset, length) => (offset >= 0 && offset + length <= Number(size) ? image.read!(start + offset, length) : undefined),
    };
  }
  const reader: HeapWordReader = {
    size: Number(size),
    pointerWidth: width,
    readWord: offset => (offset >= 0 && offset + width <= Number(size) ? memory.readWord(base + BigInt(offset)) : undefined),
  };
  return reader;
}

function allFindings(h: InspectedHeap): Finding[] {
  return [...(h.view?.findings ?? []), ...(h.ownership ? leakFindings(h.ownership) : [])];
}

/** The documented shape (issue 12): addresses as the running program saw them. */
function heapJson(h: InspectedHeap): Record<string, unknown> {
  const view = h.view;
  const ownership = h.ownership ? ownershipToJson(h.ownership) : undefined;
  return {
    path: h.heap.path,
    address: hex(h.address),
    freeLists: view
      ? view.freeLists.map(list =>
          Array.from({ length: list.columns.count }, (_, i) => hex(view.heapBase + BigInt(list.columns.offsets[i]!))),
        )
      : [],
    blocks:
      ownership?.blocks.map(b => ({
        address: b.address,
        size: b.size,
        inferred: b.inferred,
        owner: b.owner,
        referencedBy: b.referencedBy,
      })) ?? [],
    leakSuspects: ownership?.leakSuspects ?? [],
    findings: allFindings(h).map(findingToJson),
    ...(h.problem ? { problem: h.problem } : {}),
    ...(ownership?.scan.truncated ? { scanTruncated: ownership.scan.reason ?? true } : {}),
  };
}

function heapText(h: InspectedHeap): string {
  const lines = [`heap ${h.heap.path} at ${hex(h.address)}`];
  const view = h.view;
  const ownership = h.ownership;
  if (!view || !ownership) return `${lines[0]}: ${h.problem ?? 'not read'}\n`;
  lines.push(
    `  ${formatBytes(view.heapSize)} at ${hex(view.heapBase)}, ${view.orders} orders; free ${formatBytes(view.stats.freeBytes)}, allocated ${formatBytes(view.stats.allocatedBytes)}`,
  );
  lines.push('  free lists (head first):');
  for (const list of view.freeLists) {
    if (list.columns.count === 0) continue;
    const shown = Math.min(list.columns.count, SHOWN_ENTRIES);
    const chain = Array.from({ length: shown }, (_, i) => hex(view.heapBase + BigInt(list.columns.offsets[i]!))).join(' → ');
    lines.push(
      `    ${formatBytes(list.blockSize).padStart(8)}: ${chain}${list.columns.count > shown ? ` → … ${list.columns.count - shown} more` : ''}`,
    );
  }
  lines.push('  blocks (owner; referenced by):');
  const shown = Math.min(ownership.blockCount, SHOWN_BLOCKS);
  for (let b = 0; b < shown; b++) {
    const chain = ownership.chain(b);
    const owner = chain ? formatChain(chain) : 'no owner';
    const referrers = ownership.referrerCount(b);
    lines.push(
      `    ${hex(ownership.address(b))} ${formatBytes(ownership.size(b)).padStart(8)} ${ownership.confidence(b).padEnd(9)} ${owner}${referrers ? `; ${referrers} referrer(s)` : ''}`,
    );
  }
  if (ownership.blockCount > shown) lines.push(`    … ${ownership.blockCount - shown} more (use --json for all)`);
  const suspects = ownership.leakSuspects();
  const summary = ownership.leakSummary();
  lines.push(
    suspects.length === 0
      ? '  no leak suspects'
      : `  leak suspects: ${summary.count} block(s), ${formatBytes(summary.bytes)}: ${suspects
          .slice(0, SHOWN_ENTRIES)
          .map(s => hex(s.address))
          .join(', ')}`,
  );
  if (suspects.length > 0) lines.push(`    ${summary.caveat}`);
  const findings = allFindings(h);
  lines.push(findings.length === 0 ? '  no findings' : `  ${findings.length} finding(s):`);
  for (const f of findings) lines.push(`    ${f.severity.padEnd(7)} ${f.kind}: ${f.message}`);
  if (ownership.truncated) lines.push(`  the scan was cut short: ${ownership.truncatedReason ?? ''}`);
  return lines.join('\n') + '\n';
}
