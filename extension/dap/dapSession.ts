// The only thing the live reader needs from a debug session, and typed, validated wrappers for the
// requests it sends. The extension wraps a vscode.DebugSession with the capabilities its tracker
// saw; the e2e tests' stdio client is one too. Every request passes the capability gate before it
// is sent; responses are checked at runtime: an adapter is outside our control.
import * as l10n from '@vscode/l10n';
import type { AdapterCapabilities } from './adapterCapabilities';
import { LiveReadError, cancelled, classifyRequestError } from './liveErrors';
import { requestArgumentProblem } from './requestArguments';
import { isRecord } from '../../core/protocol/guards';

export interface DapChannel {
  /** Sends a DAP request; resolves with the response body, rejects when the adapter reports failure. */
  customRequest(command: string, args?: unknown): Promise<unknown>;
  /** What the adapter advertised: a request it did not is never sent. */
  readonly capabilities: AdapterCapabilities;
}

/** Counts what one refresh asked of the adapter. */
export interface RequestCounter {
  requests: number;
}

export interface EvaluateBody {
  readonly result: string;
  readonly type: string | undefined;
  readonly variablesReference: number;
}

export interface MemoryBody {
  /** Where the returned bytes start (the adapter may move the start). */
  readonly address: bigint;
  readonly data: Uint8Array;
  /** Bytes the adapter says it could not read after `data`. */
  readonly unreadableBytes: number;
}

/** Per signal, the requests still waiting under it: one abort listener rejects them all. */
const waiting = new WeakMap<AbortSignal, Set<(error: unknown) => void>>();

function waitingUnder(signal: AbortSignal): Set<(error: unknown) => void> {
  let pending = waiting.get(signal);
  if (!pending) {
    // One listener per refresh, not one per request (an EventTarget listener costs more than a request's own work).
    const all = new Set<(error: unknown) => void>();
    signal.addEventListener(
      'abort',
      () => {
        for (const reject of all) reject(cancelled());
        all.clear();
      },
      { once: true },
    );
    waiting.set(signal, all);
    pending = all;
  }
  return pending;
}

/** Rejects as soon as the signal aborts, even if the adapter has not answered yet. */
export function abortable<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.reject(cancelled());
  const pending = waitingUnder(signal);
  return new Promise<T>((resolve, reject) => {
    pending.add(reject);
    promise.then(
      value => {
        pending.delete(reject);
        resolve(value);
      },
      (error: unknown) => {
        pending.delete(reject);
        reject(error);
      },
    );
  });
}

async function send(
  session: DapChannel,
  command: string,
  args: unknown,
  counter: RequestCounter,
  signal: AbortSignal | undefined,
): Promise<unknown> {
  if (signal?.aborted) throw cancelled();
  requireRequest(session, command);
  const problem = requestArgumentProblem(command, args);
  // Our own bug, never the adapter's: fail the read rather than send what an adapter may refuse.
  if (problem) throw new Error(problem);
  counter.requests++;
  // Sent now, in the caller's tick (a refresh's requests leave before it builds anything else);
  // a channel that throws instead of rejecting fails the request the same way.
  let request: Promise<unknown>;
  try {
    request = Promise.resolve(session.customRequest(command, args));
  } catch (error) {
    request = Promise.reject(error);
  }
  try {
    return await abortable(request, signal);
  } catch (error) {
    throw classifyRequestError(command, error);
  }
}

/** Throws LiveReadError('unsupported') when the adapter did not advertise `command` (nothing is sent). */
export function requireRequest(session: DapChannel, command: string): void {
  const refusal = session.capabilities.refusal(command);
  if (refusal) throw new LiveReadError('unsupported', refusal.message);
}

export async function evaluate(
  session: DapChannel,
  expression: string,
  frameId: number,
  counter: RequestCounter,
  signal?: AbortSignal,
): Promise<EvaluateBody> {
  const body = await send(session, 'evaluate', { expression, frameId, context: 'watch' }, counter, signal);
  if (!isRecord(body) || typeof body.result !== 'string') {
    throw new LiveReadError('badResponse', l10n.t('The debug adapter\'s answer to evaluate "{0}" has no result string.', expression));
  }
  return {
    result: body.result,
    type: typeof body.type === 'string' ? body.type : undefined,
    variablesReference: typeof body.variablesReference === 'number' ? body.variablesReference : 0,
  };
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

export async function readMemory(
  session: DapChannel,
  address: bigint,
  count: number,
  counter: RequestCounter,
  signal?: AbortSignal,
): Promise<MemoryBody> {
  const reference = '0x' + address.toString(16);
  const body = await send(session, 'readMemory', { memoryReference: reference, offset: 0, count }, counter, signal);
  // count 0, or nothing readable: DAP allows a missing body or missing data.
  if (body === undefined || body === null) return { address, data: new Uint8Array(0), unreadableBytes: count };
  if (!isRecord(body))
    throw new LiveReadError('badResponse', l10n.t("The debug adapter's answer to readMemory {0} is not an object.", reference));
  const data = body.data ?? '';
  if (typeof data !== 'string' || !BASE64.test(data))
    throw new LiveReadError('badResponse', l10n.t("The debug adapter's readMemory {0} data is not base64.", reference));
  let start = address;
  if (typeof body.address === 'string' && /^(0x[0-9a-f]+|\d+)$/i.test(body.address.trim())) start = BigInt(body.address.trim());
  const unreadable = typeof body.unreadableBytes === 'number' && body.unreadableBytes > 0 ? body.unreadableBytes : 0;
  const bytes = Buffer.from(data, 'base64');
  return { address: start, data: new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), unreadableBytes: unreadable };
}

/** The top frame of a stopped thread: evaluate needs a frame id in most adapters. */
export async function topFrameId(session: DapChannel, threadId: number, counter: RequestCounter, signal?: AbortSignal): Promise<number> {
  const body = await send(session, 'stackTrace', { threadId, startFrame: 0, levels: 1 }, counter, signal);
  const frames = isRecord(body) ? body.stackFrames : undefined;
  const first: unknown = Array.isArray(frames) ? frames[0] : undefined;
  if (!isRecord(first) || typeof first.id !== 'number') {
    throw new LiveReadError(
      'notStopped',
      `Thread ${threadId} has no stack frame, so the target is probably running; the heap is read at the next stop.`,
    );
  }
  return first.id;
}

/** The first thread, for stops that name none (some adapters omit threadId with allThreadsStopped). */
export async function firstThreadId(session: DapChannel, counter: RequestCounter, signal?: AbortSignal): Promise<number> {
  const body = await send(session, 'threads', undefined, counter, signal);
  const threads = isRecord(body) ? body.threads : undefined;
  const first: unknown = Array.isArray(threads) ? threads[0] : undefined;
  if (!isRecord(first) || typeof first.id !== 'number')
    throw new LiveReadError('notStopped', l10n.t('The debug adapter lists no threads to read the heap in.'));
  return first.id;
}

/** A stack frame as far as the heap reader needs it: its function name and where it executes. */
export interface FrameInfo {
  readonly id: number;
  readonly name: string;
  /** The frame's instruction pointer (DAP's instructionPointerReference), when the adapter gives one. */
  readonly instructionPointer?: bigint;
}

const IP_REFERENCE = /^(0x[0-9a-f]+|\d+)$/i;

/** The innermost `levels` frames of a stopped thread (stackTrace is baseline DAP: every adapter has it). */
export async function stackFrames(
  session: DapChannel,
  threadId: number,
  levels: number,
  counter: RequestCounter,
  signal?: AbortSignal,
): Promise<FrameInfo[]> {
  const body = await send(session, 'stackTrace', { threadId, startFrame: 0, levels }, counter, signal);
  const frames = isRecord(body) && Array.isArray(body.stackFrames) ? (body.stackFrames as unknown[]) : [];
  return frames.flatMap(frame => {
    if (!isRecord(frame) || typeof frame.id !== 'number' || typeof frame.name !== 'string') return [];
    const ip = typeof frame.instructionPointerReference === 'string' ? frame.instructionPointerReference.trim() : '';
    return [{ id: frame.id, name: frame.name, ...(IP_REFERENCE.test(ip) ? { instructionPointer: BigInt(ip) } : {}) }];
  });
}

/** A loaded module with the address range the adapter reports, when it reports one. */
export interface ModuleInfo {
  readonly name: string;
  readonly path?: string;
  readonly addressRange?: string;
}

/** The adapter's modules (only for adapters that advertise supportsModulesRequest: send checks). */
export async function listModules(session: DapChannel, counter: RequestCounter, signal?: AbortSignal): Promise<ModuleInfo[]> {
  const body = await send(session, 'modules', { startModule: 0, moduleCount: 0 }, counter, signal);
  const modules = isRecord(body) && Array.isArray(body.modules) ? (body.modules as unknown[]) : [];
  return modules.flatMap(module => {
    if (!isRecord(module) || typeof module.name !== 'string') return [];
    return [
      {
        name: module.name,
        ...(typeof module.path === 'string' ? { path: module.path } : {}),
        ...(typeof module.addressRange === 'string' ? { addressRange: module.addressRange } : {}),
      },
    ];
  });
}

/** A thread as `threads` names it. */
export interface ThreadInfo {
  readonly id: number;
  readonly name: string;
}

/** The session's threads (baseline DAP). */
export async function listThreads(session: DapChannel, counter: RequestCounter, signal?: AbortSignal): Promise<ThreadInfo[]> {
  const body = await send(session, 'threads', undefined, counter, signal);
  const threads = isRecord(body) && Array.isArray(body.threads) ? (body.threads as unknown[]) : [];
  return threads.flatMap(t =>
    isRecord(t) && typeof t.id === 'number' ? [{ id: t.id, name: typeof t.name === 'string' ? t.name : '' }] : [],
  );
}

/** A scope or a variable that holds children (`variablesReference` > 0). */
export interface VariableInfo {
  readonly name: string;
  readonly value: string;
  readonly variablesReference: number;
  readonly presentationHint?: string;
  /** A scope the adapter says is expensive to list (e.g. all globals). */
  readonly expensive?: boolean;
}

/** A frame's scopes (Locals, Registers, …) with the references to list them. */
export async function frameScopes(
  session: DapChannel,
  frameId: number,
  counter: RequestCounter,
  signal?: AbortSignal,
): Promise<VariableInfo[]> {
  const body = await send(session, 'scopes', { frameId }, counter, signal);
  const scopes = isRecord(body) && Array.isArray(body.scopes) ? (body.scopes as unknown[]) : [];
  return scopes.flatMap(s =>
    isRecord(s) && typeof s.name === 'string' && typeof s.variablesReference === 'number'
      ? [
          {
            name: s.name,
            value: '',
            variablesReference: s.variablesReference,
            ...(typeof s.presentationHint === 'string' ? { presentationHint: s.presentationHint } : {}),
            ...(s.expensive === true ? { expensive: true } : {}),
          },
        ]
      : [],
  );
}

/** The children of a scope or variable. */
export async function listVariables(
  session: DapChannel,
  variablesReference: number,
  counter: RequestCounter,
  signal?: AbortSignal,
): Promise<VariableInfo[]> {
  const body = await send(session, 'variables', { variablesReference }, counter, signal);
  const variables = isRecord(body) && Array.isArray(body.variables) ? (body.variables as unknown[]) : [];
  return variables.flatMap(v =>
    isRecord(v) && typeof v.name === 'string' && typeof v.value === 'string'
      ? [{ name: v.name, value: v.value, variablesReference: typeof v.variablesReference === 'number' ? v.variablesReference : 0 }]
      : [],
  );
}
