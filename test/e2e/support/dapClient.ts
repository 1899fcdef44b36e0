// A small DAP client over a child's stdio: Content-Length framing, requests matched to responses
// by seq, events queued so each one is consumed by exactly one waiter (a stop must never answer
// two continues), and a timeout on every wait. It is a DapChannel, so the live reader runs on it.
import { type ChildProcess, spawn } from 'node:child_process';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { AdapterCapabilities } from '../../../extension/dap/adapterCapabilities';
import type { DapChannel } from '../../../extension/dap/dapSession';
import { adapterEntry } from './paths';
import { stopProcess } from './processes';

/** Each request this suite sends: its arguments and its response body. */
export interface Requests {
  initialize: [DebugProtocol.InitializeRequestArguments, DebugProtocol.Capabilities | undefined];
  attach: [Record<string, unknown>, unknown];
  launch: [Record<string, unknown>, unknown];
  setFunctionBreakpoints: [DebugProtocol.SetFunctionBreakpointsArguments, DebugProtocol.SetFunctionBreakpointsResponse['body']];
  configurationDone: [Record<string, never>, unknown];
  threads: [undefined, DebugProtocol.ThreadsResponse['body']];
  stackTrace: [DebugProtocol.StackTraceArguments, DebugProtocol.StackTraceResponse['body']];
  evaluate: [DebugProtocol.EvaluateArguments, DebugProtocol.EvaluateResponse['body']];
  readMemory: [DebugProtocol.ReadMemoryArguments, DebugProtocol.ReadMemoryResponse['body']];
  writeMemory: [DebugProtocol.WriteMemoryArguments, DebugProtocol.WriteMemoryResponse['body']];
  continue: [DebugProtocol.ContinueArguments, DebugProtocol.ContinueResponse['body']];
  pause: [DebugProtocol.PauseArguments, unknown];
  disconnect: [DebugProtocol.DisconnectArguments, unknown];
}

/** A failed request: `success:false` with the adapter's message. */
export class DapRequestError extends Error {
  constructor(
    readonly command: string,
    message: string,
  ) {
    super(message);
    this.name = 'DapRequestError';
  }
}

interface Pending {
  command: string;
  resolve: (body: unknown) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}
interface EventWaiter {
  event: string;
  predicate: (body: Record<string, unknown>) => boolean;
  resolve: (event: DebugProtocol.Event) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

export class DapClient implements DapChannel {
  /** Text of `output` events (gdb's banner, the program's stdout), kept for failure messages. */
  readonly output: string[] = [];
  /** Every request sent, in order (tests assert on what the reader asked). */
  readonly sent: { command: string; arguments: unknown }[] = [];
  requestTimeoutMs = 15_000;
  private seq = 1;
  private buffer = Buffer.alloc(0);
  private readonly pending = new Map<number, Pending>();
  private readonly events: DebugProtocol.Event[] = [];
  private readonly waiters: EventWaiter[] = [];
  private readonly listeners = new Set<(event: DebugProtocol.Event) => void>();
  private closedReason: string | undefined;
  private stderr = '';

  /** Learnt from the adapter's initialize answer, as the extension's tracker learns them. */
  readonly capabilities: AdapterCapabilities;

  constructor(
    readonly child: ChildProcess,
    adapterName = 'cdt-gdb-adapter',
  ) {
    this.capabilities = new AdapterCapabilities(adapterName);
    child.stdout?.on('data', (chunk: Buffer) => this.receive(chunk));
    child.stderr?.on('data', (chunk: Buffer) => {
      this.stderr = (this.stderr + chunk.toString()).slice(-4000);
    });
    child.on('exit', (code, signal) =>
      this.fail(`debug adapter exited (${signal ?? code})${this.stderr ? `: ${this.stderr.trim()}` : ''}`),
    );
    child.stdin?.on('error', () => {
      /* EPIPE after exit: reported by the exit handler */
    });
  }

  request<C extends keyof Requests>(command: C, args: Requests[C][0], timeoutMs = this.requestTimeoutMs): Promise<Requests[C][1]> {
    return this.send(command, args, timeoutMs) as Promise<Requests[C][1]>;
  }

  /** The DapChannel face: what vscode.DebugSession.customRequest does. */
  customRequest(command: string, args?: unknown): Promise<unknown> {
    return this.send(command, args, this.requestTimeoutMs);
  }

  /** The first queued or future event of this name matching the predicate, removed from the queue. */
  waitForEvent(
    event: string,
    timeoutMs: number,
    predicate: (body: Record<string, unknown>) => boolean = () => true,
  ): Promise<DebugProtocol.Event> {
    const index = this.events.findIndex(e => e.event === event && predicate(isRecord(e.body) ? e.body : {}));
    if (index >= 0) return Promise.resolve(this.events.splice(index, 1)[0]!);
    if (this.closedReason) return Promise.reject(new Error(`waiting for "${event}": ${this.closedReason}`));
    return new Promise((resolve, reject) => {
      const waiter: EventWaiter = {
        event,
        predicate,
        resolve,
        reject,
        timer: setTimeout(() => {
          this.waiters.splice(this.waiters.indexOf(waiter), 1);
          reject(
            new Error(
              `no "${event}" event within ${timeoutMs} ms; queued: ${this.events.map(e => e.event).join(', ') || 'none'}; output: ${this.output.join('').slice(-800)}`,
            ),
          );
        }, timeoutMs),
      };
      this.waiters.push(waiter);
    });
  }

  /**
   * Sees every event the adapter sends, before the waiters (as a VS Code DebugAdapterTracker
   * does); output events included. Returns the unsubscribe.
   */
  onEvent(listener: (event: DebugProtocol.Event) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Puts an event into the stream as if the adapter had sent it (for events this adapter never sends). */
  injectEvent(event: string, body: Record<string, unknown>): void {
    this.dispatch({ seq: 0, type: 'event', event, body });
  }

  /** Drops queued events of a name (e.g. stale `continued`). */
  discardEvents(event: string): void {
    for (let i = this.events.length - 1; i >= 0; i--) if (this.events[i]!.event === event) this.events.splice(i, 1);
  }

  /** disconnect (bounded), end stdin so the adapter exits, then stop its process group. */
  async close(disconnectArgs: DebugProtocol.DisconnectArguments = {}): Promise<void> {
    if (!this.closedReason) {
      await this.request('disconnect', disconnectArgs, 3000).catch(() => undefined);
      this.child.stdin?.end();
    }
    await stopProcess(this.child, 3000);
    this.fail('client closed');
  }

  private send(command: string, args: unknown, timeoutMs: number): Promise<unknown> {
    if (this.closedReason) return Promise.reject(new DapRequestError(command, this.closedReason));
    const seq = this.seq++;
    this.sent.push({ command, arguments: args });
    const json = JSON.stringify({ seq, type: 'request', command, ...(args === undefined ? {} : { arguments: args }) });
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(seq);
        reject(new DapRequestError(command, `no response to ${command} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(seq, { command, resolve, reject, timer });
      this.child.stdin?.write(`Content-Length: ${Buffer.byteLength(json)}\r\n\r\n${json}`);
    });
  }

  private receive(chunk: Buffer): void {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    for (;;) {
      const headerEnd = this.buffer.indexOf('\r\n\r\n');
      if (headerEnd < 0) return;
      const length = /Content-Length:\s*(\d+)/i.exec(this.buffer.subarray(0, headerEnd).toString('ascii'))?.[1];
      if (length === undefined) {
        this.fail('adapter sent a frame without Content-Length');
        return;
      }
      const end = headerEnd + 4 + Number(length);
      if (this.buffer.length < end) return;
      const body = this.buffer.subarray(headerEnd + 4, end).toString('utf8');
      this.buffer = this.buffer.subarray(end);
      let message: unknown;
      try {
        message = JSON.parse(body);
      } catch {
        this.fail(`adapter sent invalid JSON: ${body.slice(0, 200)}`);
        return;
      }
      this.dispatch(message);
    }
  }

  private dispatch(message: unknown): void {
    if (!isRecord(message)) return;
    this.capabilities.observe(message);
    if (message.type === 'response' && typeof message.request_seq === 'number') {
      const pending = this.pending.get(message.request_seq);
      if (!pending) return;
      this.pending.delete(message.request_seq);
      clearTimeout(pending.timer);
      if (message.success === true) pending.resolve(message.body);
      else
        pending.reject(
          new DapRequestError(pending.command, typeof message.message === 'string' ? message.message : `${pending.command} failed`),
        );
    } else if (message.type === 'event' && typeof message.event === 'string') {
      const event = message as unknown as DebugProtocol.Event;
      for (const listener of this.listeners) listener(event);
      if (event.event === 'output') {
        const body = isRecord(event.body) ? event.body : {};
        this.output.push(typeof body.output === 'string' ? body.output : '');
        return;
      }
      const body = isRecord(event.body) ? event.body : {};
      const index = this.waiters.findIndex(w => w.event === event.event && w.predicate(body));
      if (index >= 0) {
        const [waiter] = this.waiters.splice(index, 1);
        clearTimeout(waiter!.timer);
        waiter!.resolve(event);
      } else {
        this.events.push(event);
      }
    } else if (message.type === 'request' && typeof message.seq === 'number') {
      // Reverse requests (runInTerminal, startDebugging): this client supports none.
      const json = JSON.stringify({
        seq: this.seq++,
        type: 'response',
        request_seq: message.seq,
        command: message.command,
        success: false,
        message: 'not supported by the test client',
      });
      this.child.stdin?.write(`Content-Length: ${Buffer.byteLength(json)}\r\n\r\n${json}`);
    }
  }

  private fail(reason: string): void {
    if (this.closedReason) return;
    this.closedReason = reason;
    for (const [, pending] of this.pending) {
      clearTimeout(pending.timer);
      pending.reject(new DapRequestError(pending.command, reason));
    }
    this.pending.clear();
    for (const waiter of this.waiters.splice(0)) {
      clearTimeout(waiter.timer);
      waiter.reject(new Error(`waiting for "${waiter.event}": ${reason}`));
    }
  }
}

/** Starts cdt-gdb-adapter's entry under node and speaks DAP to it over stdio. */
export function startAdapter(kind: 'target' | 'native'): DapClient {
  const child = spawn(process.execPath, [adapterEntry(kind)], { detached: true, stdio: ['pipe', 'pipe', 'pipe'] });
  return new DapClient(child);
}
