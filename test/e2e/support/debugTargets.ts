// A debug session on each e2e target, stopped at the first checkpoint: QEMU (Cortex-M3, or
// big-endian MIPS) + gdb-multiarch via the gdbtarget adapter (attach), or the Rust program under gdb via the plain adapter (launch).
// The DAP order follows the tested recipe: initialize, attach/launch, `initialized`,
// setFunctionBreakpoints, then configurationDone, which itself runs the target to the first stop.
import * as path from 'node:path';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { type CortexVariantName, buildCortexM3, buildMips, buildRust, requireTools } from './buildTargets';
import { type DapClient, startAdapter } from './dapClient';
import { MIPS_MALTA_QEMU, type Qemu, type QemuMachine, startQemu } from './processes';
import type { ProgramMemory } from './rustOpLog';

export const STOP_TIMEOUT_MS = 15_000;

export interface TargetSession {
  readonly client: DapClient;
  readonly program: string;
  readonly capabilities: DebugProtocol.Capabilities;
  /** The stopped event that ended the last run. */
  lastStop: DebugProtocol.StoppedEvent;
  close(): Promise<void>;
}

async function configureAndRun(client: DapClient, start: Promise<unknown>): Promise<DebugProtocol.StoppedEvent> {
  await start;
  await client.waitForEvent('initialized', STOP_TIMEOUT_MS);
  const set = await client.request('setFunctionBreakpoints', { breakpoints: [{ name: 'checkpoint' }] });
  if (!set.breakpoints[0]?.verified) throw new Error(`breakpoint on checkpoint not verified: ${JSON.stringify(set)}`);
  // Register the waiter before configurationDone: the adapter resumes the target by itself.
  const stopped = client.waitForEvent('stopped', STOP_TIMEOUT_MS);
  await client.request('configurationDone', {});
  return (await stopped) as DebugProtocol.StoppedEvent;
}

async function initialize(client: DapClient, adapterID: string): Promise<DebugProtocol.Capabilities> {
  return (
    (await client.request('initialize', {
      adapterID,
      clientID: 'buddy-heap-e2e',
      linesStartAt1: true,
      columnsStartAt1: true,
      supportsMemoryReferences: true,
      pathFormat: 'path',
    })) ?? {}
  );
}

/** QEMU running the firmware, attached through the gdbtarget adapter, stopped at checkpoint(0). */
export async function startCortexSession(variant: CortexVariantName = '64k'): Promise<TargetSession & { qemu: Qemu }> {
  requireTools('qemu-system-arm', 'gdb-multiarch');
  return attachToQemu(buildCortexM3(variant));
}

/** The same firmware on big-endian MIPS (QEMU malta), attached the same way, stopped at checkpoint(0). */
export async function startMipsSession(variant: CortexVariantName = '64k'): Promise<TargetSession & { qemu: Qemu }> {
  requireTools('qemu-system-mips', 'gdb-multiarch');
  return attachToQemu(buildMips(variant), MIPS_MALTA_QEMU);
}

/** Starts QEMU on the ELF and attaches gdb-multiarch (which takes the CPU and byte order from the ELF) through the adapter. */
async function attachToQemu(program: string, machine?: QemuMachine): Promise<TargetSession & { qemu: Qemu }> {
  const qemu = await startQemu(program, machine);
  const client = startAdapter('target');
  const close = async () => {
    try {
      await client.close();
    } finally {
      await qemu.stop();
    }
  };
  try {
    const capabilities = await initialize(client, 'gdbtarget');
    const lastStop = await configureAndRun(
      client,
      client.request('attach', {
        gdb: 'gdb-multiarch',
        program,
        target: { type: 'remote', host: '127.0.0.1', port: String(qemu.port) },
      }),
    );
    return { client, program, capabilities, lastStop, qemu, close };
  } catch (error) {
    await close();
    throw error;
  }
}

/** The Rust program launched under gdb through the plain adapter, stopped at checkpoint(0); `mode` is its argument. */
export async function startRustSession(mode?: string): Promise<TargetSession> {
  requireTools('gdb');
  const program = buildRust();
  const client = startAdapter('native');
  const close = () => client.close({ terminateDebuggee: true });
  try {
    const capabilities = await initialize(client, 'gdb');
    const lastStop = await configureAndRun(
      client,
      client.request('launch', { gdb: 'gdb', program, cwd: path.dirname(program), ...(mode ? { arguments: mode } : {}) }),
    );
    return { client, program, capabilities, lastStop, close };
  } catch (error) {
    await close();
    throw error;
  }
}

/** continue, then the next stop (each stop event is consumed once, so stops never pair with the wrong continue). */
export async function continueToNextStop(session: TargetSession): Promise<DebugProtocol.StoppedEvent> {
  const threadId = session.lastStop.body.threadId ?? 1;
  const stopped = session.client.waitForEvent('stopped', STOP_TIMEOUT_MS);
  await session.client.request('continue', { threadId });
  session.lastStop = (await stopped) as DebugProtocol.StoppedEvent;
  session.client.discardEvents('continued');
  return session.lastStop;
}

/** The top frame of the stopped thread. */
export async function topFrame(session: TargetSession): Promise<DebugProtocol.StackFrame> {
  const trace = await session.client.request('stackTrace', { threadId: session.lastStop.body.threadId ?? 1, levels: 1 });
  const frame = trace.stackFrames[0];
  if (!frame) throw new Error('no stack frame at the stop');
  return frame;
}

/** An expression's value as a number, through evaluate in the top frame (e.g. `op_count`, `step`). */
export async function evaluateNumber(session: TargetSession, expression: string): Promise<bigint> {
  const frame = await topFrame(session);
  const body = await session.client.request('evaluate', { expression, frameId: frame.id, context: 'watch' });
  const match = /^\s*(0x[0-9a-f]+|\d+)/i.exec(body.result);
  if (!match?.[1]) throw new Error(`"${expression}" gave "${body.result}", not a number`);
  return BigInt(match[1]);
}

/** Raw bytes through readMemory (for the program's own records), failing on short reads. */
export async function readBytes(session: TargetSession, address: bigint, count: number): Promise<Buffer> {
  const body = await session.client.request('readMemory', { memoryReference: `0x${address.toString(16)}`, count });
  const data = Buffer.from(body?.data ?? '', 'base64');
  if (data.length !== count) throw new Error(`readMemory 0x${address.toString(16)}: ${data.length} of ${count} bytes`);
  return data;
}

/** The stopped program, read through the session's evaluate and readMemory. */
export function targetMemory(session: TargetSession): ProgramMemory {
  return { number: expression => evaluateNumber(session, expression), bytes: (address, count) => readBytes(session, address, count) };
}
