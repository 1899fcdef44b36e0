// A post-mortem of a process, shared by `buddy-heap inspect --core` and the extension's Open Core
// Dump: the program's DWARF finds the heaps (moved by the core's load bias), the core's PT_LOAD
// segments give their bytes, and the ownership scan (statics, stacks and registers as roots) says
// who owns each block and which ones nothing the scan can see refers to.
import { decodeHeap } from '../decoder/decode';
import type { DecodedHeapView } from '../decoder/types';
import { discoverHeaps } from '../discovery/findHeaps';
import type { DiscoveredHeap } from '../discovery/heapTypes';
import { CoreFile } from '../elf/coreFile';
import { ElfFile } from '../elf/elfFile';
import { ProgramReadError } from '../elf/readError';
import { hex } from '../layout';
import type { HeapWordReader } from '../memory/byteImage';
import type { OwnershipResult } from '../ownership/ownershipResult';
import { programRoots } from '../ownership/programRoots';
import { notPointerRegister } from '../ownership/registerRoots';
import { scanOwnership } from '../ownership/scanOwnership';
import { SegmentedMemory } from '../ownership/segmentedMemory';
import type { HeapMemory, RootRegion } from '../ownership/types';
import { CoreDumpError } from './coreDumpError';
import { programMismatch } from './programOfCore';

const ET_CORE = 4;

export interface CoreDumpHeap {
  readonly heap: DiscoveredHeap;
  /** The heap struct's address in the process (the ELF's address plus the load bias). */
  readonly address: bigint;
  readonly view: DecodedHeapView | undefined;
  readonly ownership: OwnershipResult | undefined;
  /** Why the heap could not be decoded (then view and ownership are undefined). */
  readonly problem: string | undefined;
}

export interface CoreDumpInspection {
  readonly loadBias: bigint;
  /** Every heap the program declares, in discovery order, decoded or with the reason it was not. */
  readonly heaps: readonly CoreDumpHeap[];
}

/** How the two files are called in messages (`'core.1234'`, `--elf 'prog'`). */
export interface CoreDumpNames {
  readonly core: string;
  readonly program: string;
}

/** Throws CoreDumpError('core') when the bytes are not a readable ELF core file. */
export function readCoreDump(bytes: Uint8Array): CoreFile {
  try {
    return new CoreFile(bytes);
  } catch (error) {
    if (error instanceof ProgramReadError) throw new CoreDumpError('core', error.message);
    throw error;
  }
}

/** Throws CoreDumpError('program') when the bytes are not an ELF program (a core file included). */
export function readCoreProgram(bytes: Uint8Array): ElfFile {
  let elf: ElfFile;
  try {
    elf = new ElfFile(bytes);
  } catch (error) {
    if (error instanceof ProgramReadError) throw new CoreDumpError('program', error.message);
    throw error;
  }
  if (elf.header.type === ET_CORE) throw new CoreDumpError('program', 'this is a core file, not the program the core was dumped from');
  return elf;
}

/**
 * Finds, reads and scans every heap of `program` in `core`. Throws CoreDumpError when the program
 * does not belong to the core ('mismatch') or declares no heap ('no-heap'); a heap that cannot be
 * read from this core is returned with its problem instead.
 */
export function inspectCoreDump(core: CoreFile, program: ElfFile, programPath: string, names: CoreDumpNames): CoreDumpInspection {
  // Everything the core records about its program must agree (machine, entry, mapping, build-id).
  const mismatch = programMismatch(core, program, programPath);
  if (mismatch !== undefined)
    throw new CoreDumpError('mismatch', `${names.program} is not the program ${names.core} was dumped from: ${mismatch}`);
  const bias = core.loadBias(program, programPath)!; // programMismatch said it is known
  let heaps: readonly DiscoveredHeap[];
  try {
    heaps = discoverHeaps(program).heaps;
  } catch (error) {
    if (error instanceof ProgramReadError) throw new CoreDumpError('no-heap', `${names.program}: ${error.message}`);
    throw error;
  }
  if (heaps.length === 0)
    throw new CoreDumpError('no-heap', `${names.program} declares no buddy heap in its debug info (see: buddy-heap heaps)`);
  const memory = new SegmentedMemory(core.segments);
  return { loadBias: bias, heaps: heaps.map(heap => inspectHeap(heap, bias, core, memory, program, heaps)) };
}

function inspectHeap(
  heap: DiscoveredHeap,
  bias: bigint,
  core: CoreFile,
  memory: SegmentedMemory,
  program: ElfFile,
  all: readonly DiscoveredHeap[],
): CoreDumpHeap {
  const address = heap.address + bias;
  const width = heap.pointerWidth;
  const field = (offset: number) => memory.readWord(address + BigInt(offset));
  const failed = (problem: string): CoreDumpHeap => ({ heap, address, view: undefined, ownership: undefined, problem });
  for (const condition of heap.conditions) {
    const word = memory.readWord(address + BigInt(condition.discriminantOffset));
    const value = word === undefined ? undefined : lowBytes(word, condition.discriminantSize, heap.endianness === 'little', width);
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
  const minBlockSizeLog2 = Number(lowBytes(log2Word, heap.log2Bytes, heap.endianness === 'little', width));
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
function lowBytes(word: bigint, bytes: number, littleEndian: boolean, width: number): bigint {
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
