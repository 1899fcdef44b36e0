// The heaps a debug session's program declares, as heap entries for LiveDebugging.attach: each
// found heap named by its DWARF path, at its address in the running program (the ELF address plus
// the load bias of a position-independent executable, and the log says how the bias was found).
import { type DapChannel, firstThreadId, listModules, stackFrames } from '../../dap/dapSession';
import { emptyStats } from '../../dap/readStats';
import type { StopContext } from '../../dap/stopContext';
import type { NamedHeap } from '../liveSettings';
import { type LoadBias, biasFromFrames, biasFromModules } from './loadBias';
import type { LoadedProgram } from './programCache';
import type { DiscoveredHeap } from '../../../core/discovery/heapTypes';
import type { DiscoveredHeapSpec } from '../../dap/heapSpec';

/** Frames looked at for the bias: the innermost few are enough, and some are in libraries. */
const BIAS_FRAMES = 16;

/** The load bias, or a sentence saying why it could not be found. */
export async function findLoadBias(
  channel: DapChannel,
  program: LoadedProgram,
  programPath: string,
  stop: StopContext,
): Promise<LoadBias | { problem: string }> {
  if (!program.positionIndependent) return { bias: 0n, how: 'none needed: the program is not position-independent (ET_EXEC)' };
  const counter = emptyStats('full');
  if (!channel.capabilities.refusal('modules')) {
    try {
      const fromModules = biasFromModules(await listModules(channel, counter), programPath, program.lowestLoadAddress);
      if (fromModules) return fromModules;
    } catch {
      // The frames below can still tell.
    }
  }
  const threadId = stop.threadId ?? (await firstThreadId(channel, counter));
  const frames = await stackFrames(channel, threadId, BIAS_FRAMES, counter);
  return (
    biasFromFrames(frames, program.functions) ?? {
      problem: `the program is position-independent and none of the stopped frames (${frames.map(f => f.name).join(', ') || 'none'}) matches a function of its symbol table with an instruction pointer, so its load address is unknown; configure the heap in buddyHeap.live.heaps instead`,
    }
  );
}

/** The program's heaps as heap entries at their run-time addresses. */
export function discoveredHeapEntries(program: LoadedProgram, programPath: string, bias: bigint, sessionStarted: number): NamedHeap[] {
  return program.heaps.map(heap => ({
    name: heap.path,
    source: discoveredHeapSpec(heap, programPath, bias, program.modified > sessionStarted),
  }));
}

/** One heap the program declares, as a heap entry's source at its run-time address (the ELF's plus `bias`). */
export function discoveredHeapSpec(heap: DiscoveredHeap, programPath: string, bias: bigint, programNewer: boolean): DiscoveredHeapSpec {
  return {
    kind: 'discovered',
    path: heap.path,
    address: heap.address + bias,
    offsets: heap.offsets,
    orders: heap.orders,
    pointerWidth: heap.pointerWidth,
    endianness: heap.endianness,
    log2Bytes: heap.log2Bytes,
    program: programPath,
    ...(programNewer ? { programNewer: true } : {}),
    ...(heap.lock ? { lock: heap.lock } : {}),
  };
}
