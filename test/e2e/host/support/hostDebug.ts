// Helpers for e2e suites inside the VS Code extension host: our extension's API, the targets built
// and debug sessions started through vscode.debug with the fixture's debug types (gdb, gdbtarget,
// lldb-dap), the heaps that attach to them, DAP requests through the session (as the product sends
// them), and bounded waits. Nothing here writes target memory except writeWord, which only the
// corruption scenario calls.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { HeapSnapshot } from '../../../../core/decoder/types';
import { ByteImage } from '../../../../core/memory/byteImage';
import type { BuddyHeapApi } from '../../../../extension/main';
import type { LiveHeapSource } from '../../../../extension/live/liveHeapSource';
import { buildCortexM3, buildRust, type CortexVariantName, requireTools, ToolchainMissingError } from '../../support/buildTargets';
import { type Qemu, startQemu } from '../../support/processes';
import type { ProgramMemory } from '../../support/rustOpLog';

export const EXTENSION_ID = 'buddy-heap.buddy-heap-debugger';
// How long a wait for the debugger may take before it fails: generous, since a loaded machine slows gdb
// several times over; a wait ends as soon as its condition holds.
export const WAIT_MS = 60_000;

export async function extensionApi(): Promise<BuddyHeapApi> {
  const extension = vscode.extensions.getExtension<BuddyHeapApi>(EXTENSION_ID);
  assert.ok(extension, `${EXTENSION_ID} is not loaded`);
  const api = await extension.activate();
  assert.ok(api?.live, 'activate() returns { app, live }');
  return api;
}

/** Polls until `probe` gives a value, or fails after `timeoutMs` with what was awaited. */
export async function waitFor<T>(what: string, probe: () => T | undefined | false, timeoutMs = WAIT_MS): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise(resolve => setTimeout(resolve, 20));
  }
}

/** The fixture's gdbtarget type attaching gdb-multiarch to a QEMU the test started. */
export function qemuAttachConfig(name: string, program: string, qemu: { readonly port: number }): vscode.DebugConfiguration {
  return {
    type: 'gdbtarget',
    request: 'attach',
    name,
    gdb: 'gdb-multiarch',
    program,
    target: { type: 'remote', host: '127.0.0.1', port: String(qemu.port) },
  };
}

/** The fixture's gdb type launching the native Rust program (in its own folder) under gdb. */
export function rustGdbLaunchConfig(
  name: string,
  program: string,
  more: { readonly type?: string; readonly arguments?: string } = {},
): vscode.DebugConfiguration {
  return { type: 'gdb', request: 'launch', name, gdb: 'gdb', program, cwd: path.dirname(program), ...more };
}

/**
 * The fixture's lldb-dap type launching the native Rust program with that lldb-dap executable;
 * `libraryPath` is the LD_LIBRARY_PATH an unpacked lldb-dap needs to find its own libraries.
 */
export function lldbDapLaunchConfig(name: string, program: string, executable: string, libraryPath?: string): vscode.DebugConfiguration {
  return {
    type: 'lldb-dap',
    request: 'launch',
    name,
    program,
    cwd: path.dirname(program),
    adapterExecutable: executable,
    ...(libraryPath === undefined ? {} : { adapterEnv: { LD_LIBRARY_PATH: libraryPath } }),
  };
}

/** Adds a function breakpoint unless the Breakpoints view has it already (suites may leave theirs). */
export function ensureFunctionBreakpoint(functionName: string): void {
  const present = vscode.debug.breakpoints.some(b => b instanceof vscode.FunctionBreakpoint && b.functionName === functionName);
  if (!present) vscode.debug.addBreakpoints([new vscode.FunctionBreakpoint(functionName)]);
}

/** Starts debugging with a configuration; resolves with the session VS Code created for it. */
export async function startSession(config: vscode.DebugConfiguration): Promise<vscode.DebugSession> {
  let started: vscode.DebugSession | undefined;
  const listener = vscode.debug.onDidStartDebugSession(session => {
    if (session.name === config.name) started = session;
  });
  try {
    const folder = vscode.workspace.workspaceFolders?.[0];
    const ok = await vscode.debug.startDebugging(folder, config);
    assert.ok(ok, `startDebugging(${config.name}) refused`);
    return await waitFor(`debug session "${config.name}"`, () => started);
  } finally {
    listener.dispose();
  }
}

export async function stopSession(session: vscode.DebugSession | undefined): Promise<void> {
  if (!session) return;
  let ended = false;
  const listener = vscode.debug.onDidTerminateDebugSession(s => {
    if (s.id === session.id) ended = true;
  });
  try {
    // The first stop of a launched program asks the adapter to terminate it; cdt-gdb-adapter answers
    // without a terminated event when the program is stopped, so VS Code keeps the session (and gdb).
    // A second stop disconnects, as a user's second click on Stop does.
    for (let attempt = 0; attempt < 2 && !ended; attempt++) {
      await vscode.debug.stopDebugging(session);
      await waitFor(`session "${session.name}" to end`, () => ended, 10_000).catch(() => undefined);
    }
  } finally {
    listener.dispose();
  }
}

/** Ends a suite's debug session, then the QEMU it debugged (either may never have started). */
export async function endDebugging(session: vscode.DebugSession | undefined, qemu?: Qemu): Promise<void> {
  await stopSession(session);
  await qemu?.stop();
}

/** The live source of heap `heapName` (or of the session's first heap) once it attached to the session. */
export function attachedHeap(api: BuddyHeapApi, session: vscode.DebugSession, heapName?: string): Promise<LiveHeapSource> {
  return waitFor(`${heapName === undefined ? 'a heap' : `heap "${heapName}"`} to attach to "${session.name}"`, () => {
    const sources = api.live.allSources(session.id);
    return heapName === undefined ? sources[0] : sources.find(x => x.heapName === heapName);
  });
}

interface Threads {
  threads: { id: number }[];
}
interface Frames {
  stackFrames: { id: number; name: string }[];
}

export async function firstThread(session: vscode.DebugSession): Promise<number> {
  const body = (await session.customRequest('threads')) as Threads;
  const id = body.threads[0]?.id;
  assert.ok(id !== undefined, 'the target has a thread');
  return id;
}

/** An expression's number in the top frame (evaluate needs a frame in gdb). */
export async function evaluateNumber(session: vscode.DebugSession, expression: string): Promise<bigint> {
  const frames = (await session.customRequest('stackTrace', { threadId: await firstThread(session), levels: 1 })) as Frames;
  const frameId = frames.stackFrames[0]?.id;
  assert.ok(frameId !== undefined, 'a stopped frame');
  const body = (await session.customRequest('evaluate', { expression, frameId, context: 'watch' })) as { result: string };
  const match = /^\s*(0x[0-9a-f]+|\d+)/i.exec(body.result);
  assert.ok(match?.[1], `"${expression}" gave "${body.result}"`);
  return BigInt(match[1]);
}

export async function readBytes(session: vscode.DebugSession, address: bigint, count: number): Promise<Buffer> {
  const body = (await session.customRequest('readMemory', { memoryReference: `0x${address.toString(16)}`, count })) as { data?: string };
  const data = Buffer.from(body.data ?? '', 'base64');
  assert.equal(data.length, count, `readMemory 0x${address.toString(16)}`);
  return data;
}

/** The stopped program, read through the session's evaluate and readMemory. */
export function sessionMemory(session: vscode.DebugSession): ProgramMemory {
  return { number: expression => evaluateNumber(session, expression), bytes: (address, count) => readBytes(session, address, count) };
}

/** The corruption scenario's only write: one little-endian 32-bit word, from the test. */
export async function writeWord(session: vscode.DebugSession, address: bigint, value: bigint): Promise<void> {
  const bytes = Buffer.alloc(4);
  bytes.writeUInt32LE(Number(value));
  await session.customRequest('writeMemory', { memoryReference: `0x${address.toString(16)}`, data: bytes.toString('base64') });
}

/** Waits until the source has read stop number `stops` (the auto-refresh of that stop settled). */
export async function settledAt(source: LiveHeapSource, stops: number): Promise<void> {
  await waitFor(`${source.heapName} to be read at stop ${stops} (now ${JSON.stringify(source.status())})`, () => {
    const status = source.status();
    return status.stops >= stops && (status.state === 'ok' || status.state === 'error');
  });
  await source.idle();
  const status = source.status();
  assert.equal(status.state, 'ok', status.message);
}

/** continue, then wait for the live source's refresh at the next stop. */
export async function continueToNext(session: vscode.DebugSession, source: LiveHeapSource): Promise<void> {
  const next = source.status().stops + 1;
  await session.customRequest('continue', { threadId: await firstThread(session) });
  await settledAt(source, next);
}

/** Skips when a toolchain is missing, and records why for the runner's notice. */
export async function setupOrSkip<T>(context: Mocha.Context, setup: () => Promise<T>): Promise<T> {
  try {
    return await setup();
  } catch (error) {
    if (error instanceof ToolchainMissingError) {
      const dir = process.env.BUDDY_TEST_RESULTS_DIR;
      if (dir) fs.appendFileSync(path.join(dir, 'e2e-host-skips.txt'), `${error.message}\n`);
      context.skip();
    }
    throw error;
  }
}

export async function setLiveSettings(values: Record<string, unknown>): Promise<void> {
  const config = vscode.workspace.getConfiguration('buddyHeap.live');
  for (const [key, value] of Object.entries(values)) await config.update(key, value, vscode.ConfigurationTarget.Workspace);
}

/** What a snapshot's image offers to be copied (a ByteImage of any module instance). */
interface CopyableImage {
  readonly size: number;
  knownRanges(): [number, number][];
  read(offset: number, length: number): Uint8Array | undefined;
}

function isCopyableImage(memory: unknown): memory is CopyableImage {
  const m = memory as Partial<CopyableImage> | null;
  return typeof m?.size === 'number' && typeof m.knownRanges === 'function' && typeof m.read === 'function';
}

/**
 * The extension's snapshot with its image copied into this module's ByteImage. The extension runs
 * from its bundle (dist/extension.js) and the tests from out/, so the two hold different ByteImage
 * classes: core code the test calls (heapFromSnapshot's `instanceof ByteImage`) would refuse the
 * extension's image as "no byte image" though it is one.
 */
export function snapshotInTestModules(snapshot: HeapSnapshot): HeapSnapshot {
  const memory: unknown = snapshot.memory;
  assert.ok(isCopyableImage(memory), 'the live snapshot holds a byte image');
  const copy = new ByteImage(memory.size, {
    pointerWidth: snapshot.pointerWidth,
    endianness: snapshot.endianness,
    unknownUntilWritten: true,
  });
  for (const [offset, length] of memory.knownRanges()) {
    const bytes = memory.read(offset, length);
    assert.ok(bytes, `known range ${offset}+${length} reads back`);
    copy.write(offset, bytes);
  }
  return { ...snapshot, memory: copy };
}

/** The Cortex-M3 firmware built and QEMU started halted with it; skips the suite when a tool is missing. */
export async function startCortexFirmware(
  context: Mocha.Context,
  variant: CortexVariantName = '64k',
  options: Parameters<typeof buildCortexM3>[1] = {},
): Promise<{ program: string; qemu: Qemu }> {
  const program = await setupOrSkip(context, async () => {
    requireTools('qemu-system-arm', 'gdb-multiarch');
    return buildCortexM3(variant, options);
  });
  return { program, qemu: await startQemu(program) };
}

/** Debugs the firmware in QEMU through the fixture's gdbtarget type, stopping at every checkpoint. */
export async function debugFirmware(name: string, program: string, qemu: Qemu): Promise<vscode.DebugSession> {
  ensureFunctionBreakpoint('checkpoint');
  return startSession(qemuAttachConfig(name, program, qemu));
}

/** The native Rust program built for gdb; skips the suite when a tool is missing. */
export function rustProgramOrSkip(context: Mocha.Context): Promise<string> {
  return setupOrSkip(context, async () => {
    requireTools('gdb');
    return buildRust();
  });
}

/** Launches the Rust program under gdb through the fixture's gdb type, stopping at every checkpoint. */
export async function debugRustProgram(name: string, program: string): Promise<vscode.DebugSession> {
  ensureFunctionBreakpoint('checkpoint');
  return startSession(rustGdbLaunchConfig(name, program));
}
