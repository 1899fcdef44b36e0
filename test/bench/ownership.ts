// Ownership scan CPU time (beyond the reads: the memory is already in byte images) on a 1 MiB heap
// with 10,000 allocations, each holding a few pointers to others (some interior), and 4,096 root
// words (a typed static and a conservatively scanned stack). Reports the median and fastest scan,
// and what it read: root and span bytes, references, inferred blocks. Aim: under 100 ms.
// Also the root walk (programRoots) on the Cortex-M3 firmware and on the Rust program with std's
// debug info: every writable static's type walked to its pointer words.
import { decodeHeap } from '../../core/decoder/decode';
import type { HeapLayout } from '../../core/layout';
import { ByteImage } from '../../core/memory/byteImage';
import { BuddyHeap } from '../../core/model/buddyHeap';
import type { OwnershipResult } from '../../core/ownership/ownershipResult';
import { scanOwnership } from '../../core/ownership/scanOwnership';
import { SegmentedMemory } from '../../core/ownership/segmentedMemory';
import type { OwnershipInput, RootRegion } from '../../core/ownership/types';
import * as fs from 'node:fs';
import { ElfFile } from '../../core/elf/elfFile';
import { programRoots } from '../../core/ownership/programRoots';
import { buildProgram, type ProgramName } from '../support/debugPrograms';
import { Random } from '../support/random';

const LAYOUT: HeapLayout = { base: 0x2000_0000n, size: 1n << 20n, orders: 17, pointerWidth: 4, endianness: 'little' };
const ALLOCATIONS = 10_000;
const ROOT_WORDS = 4096;
const STATICS = 0x1000_0000n;
const WARMUP_RUNS = 2;
const MEASURED_RUNS = 9;

export async function benchOwnership(): Promise<Record<string, number>> {
  const input = benchInput();
  const times: number[] = [];
  let result: OwnershipResult | undefined;
  for (let run = 0; run < WARMUP_RUNS + MEASURED_RUNS; run++) {
    const started = performance.now();
    result = scanOwnership(input);
    const summary = result.leakSummary();
    const elapsed = performance.now() - started;
    if (summary.count === result.blockCount) throw new Error('bench scan found no owned block');
    if (run >= WARMUP_RUNS) times.push(elapsed);
  }
  times.sort((a, b) => a - b);
  const stats = result!.stats;
  const name = 'ownership scan 1 MiB heap, 10k allocations, 4096 root words';
  return {
    [`${name}, median ms`]: round(times[times.length >> 1]!),
    [`${name}, min ms`]: round(times[0]!),
    [`${name}, root bytes read`]: stats.rootBytesScanned,
    [`${name}, span bytes read`]: stats.spanBytesScanned,
    [`${name}, references`]: stats.references,
    [`${name}, inferred blocks`]: result!.blockCount,
    [`${name}, leak suspects`]: result!.leakSummary().count,
    ...benchProgramRoots('arm-dwarf5', 'firmware'),
    ...benchProgramRoots('rust-debug', 'Rust program with std'),
  };
}

/** The root walk on a built program (the ELF already in memory); no rows when its compiler is missing. */
function benchProgramRoots(program: ProgramName, label: string): Record<string, number> {
  let bytes: Uint8Array;
  try {
    bytes = fs.readFileSync(buildProgram(program).file);
  } catch {
    return {};
  }
  const times: number[] = [];
  let walked: ReturnType<typeof programRoots> | undefined;
  for (let run = 0; run < WARMUP_RUNS + MEASURED_RUNS; run++) {
    const started = performance.now();
    walked = programRoots(new ElfFile(bytes));
    const elapsed = performance.now() - started;
    if (run >= WARMUP_RUNS) times.push(elapsed);
  }
  times.sort((a, b) => a - b);
  const name = `root walk of the ${label} (${Math.round(bytes.length / 1024)} KiB)`;
  return {
    [`${name}, median ms`]: round(times[times.length >> 1]!),
    [`${name}, statics walked`]: walked!.staticsWalked,
    [`${name}, roots`]: walked!.roots.length,
    [`${name}, pointer slots`]: walked!.slots,
    [`${name}, cuts`]: walked!.cutCount,
  };
}

function benchInput(): OwnershipInput {
  const created = BuddyHeap.create(LAYOUT);
  if (!created.ok) throw new Error(`bench layout rejected: ${created.error}`);
  const heap = created.heap;
  const random = new Random(0x0b5e55ed);
  const live: { offset: number; size: number }[] = [];
  while (live.length < ALLOCATIONS) {
    const size = 16 * 2 ** random.int(0, 3);
    const result = heap.allocate(size, 4);
    if (!result.ok) throw new Error(`bench heap filled after ${live.length} allocations`);
    heap.image.write(result.offset, new Uint8Array(heap.orderSize(result.order)));
    live.push({ offset: result.offset, size: heap.orderSize(result.order) });
  }
  // Two pointers per allocation to random others, one in eight to an interior word.
  for (const block of live) {
    for (let k = 0; k < 2; k++) {
      const target = random.pick(live);
      const into = random.chance(1 / 8) ? 4 * random.int(0, target.size / 4 - 1) : 0;
      heap.image.writeWord(block.offset + k * 4, heap.address(target.offset + into));
    }
  }
  const statics = new ByteImage(ROOT_WORDS * 4, { pointerWidth: 4, endianness: 'little' });
  for (let i = 0; i < ROOT_WORDS; i++) {
    if (random.chance(0.75)) statics.writeWord(i * 4, heap.address(random.pick(live).offset));
  }
  const half = (ROOT_WORDS / 2) * 4;
  const roots: RootRegion[] = [
    {
      kind: 'static',
      label: 'app::TABLE',
      address: STATICS,
      size: half,
      slots: Array.from({ length: ROOT_WORDS / 2 }, (_, i) => ({ offset: i * 4, path: `entries[${i}]` })),
    },
    { kind: 'stack', label: 'thread 1 frame #0 main', address: STATICS + BigInt(half), size: half },
  ];
  const view = decodeHeap({ fields: heap.structFields(), pointerWidth: 4, endianness: 'little', memory: heap.image });
  if (view.findings.length > 0) throw new Error(`bench heap decoded with findings: ${view.findings[0]?.message}`);
  return { heap: view, heapMemory: heap.image, roots, rootMemory: new SegmentedMemory([{ address: STATICS, image: statics }]) };
}

function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}

if (require.main === module) {
  void benchOwnership().then(results => {
    for (const [name, value] of Object.entries(results)) console.log(`${name}: ${value}`);
  });
}
