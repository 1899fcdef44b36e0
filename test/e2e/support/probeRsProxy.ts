// A debug adapter that answers like probe-rs's DAP server, run in front of cdt-gdb-adapter (the
// fixture's `probe-rs-debug` type): the client sees probe-rs's capabilities, and every request
// probe-rs would refuse (evaluate of anything but a bare name in the `watch` context, readMemory at
// a non-numeric reference, a command it does not implement) is answered with an error here and
// never reaches gdb. Every request, refused or not, is one JSON line in $PROBE_RS_PROXY_LOG, so a
// test can prove the extension needed nothing probe-rs would refuse.
// Run as `node probeRsProxy.js`; stdio is the DAP stream.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { PROBE_RS_CAPABILITIES, cdtAttachArguments, probeRsRefusal } from './probeRsRules';

interface Message {
  seq: number;
  type: string;
  command?: string;
  request_seq?: number;
  arguments?: unknown;
  body?: unknown;
  success?: boolean;
  message?: string;
}

/** Splits a Content-Length framed stream into messages. */
function framer(onMessage: (message: Message) => void): (chunk: Buffer) => void {
  let buffer = Buffer.alloc(0);
  return chunk => {
    buffer = Buffer.concat([buffer, chunk]);
    for (;;) {
      const end = buffer.indexOf('\r\n\r\n');
      if (end < 0) return;
      const length = /Content-Length:\s*(\d+)/i.exec(buffer.subarray(0, end).toString('ascii'));
      if (!length?.[1]) throw new Error('probe-rs proxy: a DAP header without Content-Length');
      const start = end + 4;
      const size = Number(length[1]);
      if (buffer.length < start + size) return;
      const text = buffer.subarray(start, start + size).toString('utf8');
      buffer = buffer.subarray(start + size);
      onMessage(JSON.parse(text) as Message);
    }
  };
}

function frame(message: Message): Buffer {
  const body = Buffer.from(JSON.stringify(message), 'utf8');
  return Buffer.concat([Buffer.from(`Content-Length: ${body.length}\r\n\r\n`, 'ascii'), body]);
}

const logFile = process.env.PROBE_RS_PROXY_LOG;
function log(entry: Record<string, unknown>): void {
  if (logFile) fs.appendFileSync(logFile, `${JSON.stringify(entry)}\n`);
}

/** The fields of a request worth logging: enough to say what was asked, never the memory bytes. */
function summary(command: string, args: unknown): Record<string, unknown> {
  const a = typeof args === 'object' && args !== null ? (args as Record<string, unknown>) : {};
  const entry: Record<string, unknown> = { command };
  for (const key of ['expression', 'context', 'memoryReference', 'count', 'offset']) if (a[key] !== undefined) entry[key] = a[key];
  return entry;
}

const adapterScript = path.join(path.dirname(require.resolve('cdt-gdb-adapter/package.json')), 'dist', 'debugTargetAdapter.js');
const adapter = spawn(process.execPath, [adapterScript], { stdio: ['pipe', 'pipe', 'inherit'], env: process.env });
let ownSeq = 1_000_000;
let initializeSeq: number | undefined;

function toClient(message: Message): void {
  process.stdout.write(frame(message));
}

adapter.stdout.on(
  'data',
  framer(message => {
    if (message.type === 'response' && message.request_seq === initializeSeq && message.success)
      message = { ...message, body: { ...PROBE_RS_CAPABILITIES } };
    toClient(message);
  }),
);

process.stdin.on(
  'data',
  framer(message => {
    if (message.type !== 'request' || message.command === undefined) {
      adapter.stdin.write(frame(message));
      return;
    }
    const refused = probeRsRefusal(message.command, message.arguments);
    log({ ...summary(message.command, message.arguments), ...(refused ? { refused } : {}) });
    if (refused) {
      toClient({ seq: ownSeq++, type: 'response', request_seq: message.seq, command: message.command, success: false, message: refused });
      return;
    }
    if (message.command === 'initialize') initializeSeq = message.seq;
    if (message.command === 'attach') {
      try {
        message = { ...message, arguments: cdtAttachArguments(message.arguments) };
      } catch (error) {
        const text = error instanceof Error ? error.message : String(error);
        toClient({ seq: ownSeq++, type: 'response', request_seq: message.seq, command: 'attach', success: false, message: text });
        return;
      }
    }
    adapter.stdin.write(frame(message));
  }),
);

process.stdin.on('end', () => adapter.stdin.end());
adapter.on('exit', code => process.exit(code ?? 0));
process.on('SIGTERM', () => adapter.kill('SIGTERM'));
