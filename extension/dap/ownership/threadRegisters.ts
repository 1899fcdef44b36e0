// Each stopped thread's innermost-frame registers, through DAP's Registers scope (every adapter we
// know has one: cdt-gdb-adapter and Cortex-Debug list them flat, lldb-dap in groups). Only frame 0's
// values are real (outer frames show frame 0's caller-clobbered registers, or errors), so only
// frame 0 is read. Values are parsed as the leading hex number: lldb appends `-> symbol` text, gdb
// prints vector registers as structs (skipped).
import { type DapChannel, type RequestCounter, frameScopes, listThreads, listVariables, stackFrames } from '../dapSession';

export interface ThreadRegisters {
  readonly threadId: number;
  readonly threadName: string;
  /** Register name → value, general-purpose registers only (what parses as one number). */
  readonly registers: ReadonlyMap<string, bigint>;
  /** The stack pointer, when a register names it. */
  readonly stackPointer: bigint | undefined;
}

/** Threads looked at: a scan of a process with hundreds of threads stays a few hundred requests. */
export const MAX_THREADS = 64;
const LEADING_HEX = /^\s*(0x[0-9a-f]+)/i;
/** lldb-dap's group for the registers that can hold pointers (the others are float and vector). */
const GENERAL_GROUP = /general/i;

/** The stopped threads' registers, the stopped thread first. */
export async function readThreadRegisters(
  channel: DapChannel,
  stoppedThread: number | undefined,
  pointerWidth: 4 | 8,
  counter: RequestCounter,
  signal?: AbortSignal,
): Promise<ThreadRegisters[]> {
  const threads = await listThreads(channel, counter, signal);
  threads.sort((a, b) => (a.id === stoppedThread ? -1 : b.id === stoppedThread ? 1 : 0));
  const out: ThreadRegisters[] = [];
  for (const thread of threads.slice(0, MAX_THREADS)) {
    const [frame] = await stackFrames(channel, thread.id, 1, counter, signal).catch(() => []);
    if (!frame) continue;
    const scopes = await frameScopes(channel, frame.id, counter, signal).catch(() => []);
    const scope = scopes.find(s => s.presentationHint === 'registers') ?? scopes.find(s => /regist/i.test(s.name));
    if (!scope || scope.variablesReference <= 0) continue;
    const registers = new Map<string, bigint>();
    for (const variable of await listVariables(channel, scope.variablesReference, counter, signal)) {
      if (variable.variablesReference > 0 && GENERAL_GROUP.test(variable.name)) {
        for (const inner of await listVariables(channel, variable.variablesReference, counter, signal))
          addRegister(registers, inner.name, inner.value);
      } else addRegister(registers, variable.name, variable.value);
    }
    out.push({ threadId: thread.id, threadName: thread.name, registers, stackPointer: stackPointerOf(registers, pointerWidth) });
  }
  return out;
}

function addRegister(registers: Map<string, bigint>, name: string, value: string): void {
  const match = LEADING_HEX.exec(value);
  if (match && !registers.has(name)) registers.set(name, BigInt(match[1]!));
}

/**
 * The stack pointer by the names debuggers give it: x86-64 `rsp` (lldb's `sp` there is the 16-bit
 * sub-register), i386 `esp`, else `sp` (Arm, AArch64, MIPS, RISC-V).
 */
export function stackPointerOf(registers: ReadonlyMap<string, bigint>, pointerWidth: 4 | 8): bigint | undefined {
  if (pointerWidth === 8 && registers.has('rsp')) return registers.get('rsp');
  if (pointerWidth === 4 && registers.has('esp')) return registers.get('esp');
  return registers.get('sp');
}
