// Runs inside a real VS Code extension host (the host messaging bench's extensionTestsPath): opens
// a webview panel whose page acknowledges every message, then times `webview.postMessage` for the
// message forms the panel could use, and writes the numbers to BUDDY_BENCH_OUT as JSON.
//   typed  the 1M-leaf view model as typed arrays: VS Code's buffer path (the extension host
//          JSON-encodes the rest and ships each ArrayBuffer as a binary buffer; the webview's
//          host frame transfers the buffers into the panel's iframe)
//   json   the same data with every typed array as a plain array: the JSON path
//   small  a ~1 KB update (a step's diff and history entry), as an incremental patch would be
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { syntheticInitMessage } from '../../webview/support/synthetic';

/**
 * Per form: messages timed, and untimed ones first to warm the path. The JSON form is timed once,
 * unwarmed: one takes seconds (the bench must stay near a minute), and the typed form before it
 * has warmed the channel already.
 */
const RUNS = { typed: 3, json: 1, small: 20 } as const;
const WARM_UP = { typed: 1, json: 0, small: 1 } as const;
/** Bound on one message's round trip: a stuck webview fails the bench instead of hanging it. */
const ACK_TIMEOUT_MS = 30_000;

export interface FormTimes {
  /** The extension host's own time in the `postMessage` call (serializing and sending). */
  readonly postMs: number[];
  /** From the call to its promise resolving (the workbench has taken the message). */
  readonly resolvedMs: number[];
  /** From the call to the webview's acknowledgement arriving back in the extension host. */
  readonly ackMs: number[];
  /** The webview's time from its handler's start to the block codes summed (lazy deserializing of the message included). */
  readonly webviewReadMs: number[];
  /** Whether the block codes arrived in the webview as a Uint8Array (the buffer path). */
  readonly arrivedTyped: boolean;
  /** Bytes the message carries: typed arrays' bytes plus the JSON of the rest, or the JSON text. */
  readonly bytes: number;
}

export type HostMessagingResults = Record<keyof typeof RUNS, FormTimes>;

interface Ack {
  readonly id: number;
  readonly typed: boolean;
  readonly readMs: number;
  readonly sum: number;
}

/** The page: reads what it is sent (as the panel would) and answers with the message's id. */
function pageHtml(nonce: string): string {
  return `<!DOCTYPE html><html><head><meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'nonce-${nonce}';">
</head><body><script nonce="${nonce}">
const vscode = acquireVsCodeApi();
window.addEventListener('message', event => {
  const started = performance.now();
  const { id, body } = event.data;
  const codes = body && body.view ? body.view.blocks.codes : undefined;
  let sum = 0;
  if (codes) for (let i = 0; i < codes.length; i++) sum += codes[i];
  vscode.postMessage({ id, typed: codes instanceof Uint8Array, readMs: performance.now() - started, sum });
});
vscode.postMessage({ id: 0, typed: false, readMs: 0, sum: 0 });
</script></body></html>`;
}

/** A copy with every typed array as a plain array (what a model without typed arrays would send). */
function asPlainArrays(value: unknown): unknown {
  if (ArrayBuffer.isView(value)) return Array.from(value as unknown as ArrayLike<number>);
  if (Array.isArray(value)) return value.map(asPlainArrays);
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, asPlainArrays(v)]));
  return value;
}

function typedBytes(value: unknown): number {
  if (ArrayBuffer.isView(value)) return value.byteLength;
  if (value !== null && typeof value === 'object') return Object.values(value).reduce((n: number, v) => n + typedBytes(v), 0);
  return 0;
}

/** ~1 KB: one step's history entry and a diff of 48 blocks, as typed arrays like the full model's. */
function smallUpdate(): unknown {
  const n = 48;
  return {
    type: 'update',
    revision: 2,
    diff: {
      fromStep: 0,
      toStep: 1,
      count: n,
      offsets: Float64Array.from({ length: n }, (_, i) => i * 32),
      orders: new Uint8Array(n),
      kinds: Uint8Array.from({ length: n }, (_, i) => i % 4),
      summary: `${n} blocks changed`,
    },
    history: {
      total: 2,
      current: 1,
      windowStart: 0,
      entries: [
        {
          step: 1,
          op: 'alloc',
          text: 'alloc 16 align 8 net/rx',
          ok: true,
          detail: '0x80000020',
          changes: [{ kind: 'split', offset: 32, order: 0 }],
        },
      ],
      series: { freeBytes: Float64Array.of(8192, 8176), largestFree: Float64Array.of(16, 16), fragmentation: Float64Array.of(0.99, 0.99) },
    },
  };
}

async function measure(): Promise<HostMessagingResults> {
  const panel = vscode.window.createWebviewPanel('buddyHeap.bench', 'Host messaging bench', vscode.ViewColumn.One, {
    enableScripts: true,
    retainContextWhenHidden: true,
  });
  const waiting = new Map<number, (ack: Ack, at: number) => void>();
  const listener = panel.webview.onDidReceiveMessage((ack: Ack) => waiting.get(ack.id)?.(ack, performance.now()));
  const ackOf = (id: number) =>
    new Promise<{ ack: Ack; at: number }>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no acknowledgement of message ${id} within ${ACK_TIMEOUT_MS} ms`)), ACK_TIMEOUT_MS);
      waiting.set(id, (ack, at) => {
        clearTimeout(timer);
        waiting.delete(id);
        resolve({ ack, at });
      });
    });
  try {
    const loaded = ackOf(0);
    panel.webview.html = pageHtml(Math.random().toString(36).slice(2));
    await loaded;
    let id = 0;
    const time = async (body: unknown, form: keyof typeof RUNS, bytes: number): Promise<FormTimes> => {
      const times = { postMs: [] as number[], resolvedMs: [] as number[], ackMs: [] as number[], webviewReadMs: [] as number[] };
      let typed = false;
      for (let run = -WARM_UP[form]; run < RUNS[form]; run++) {
        const acked = ackOf(++id);
        const started = performance.now();
        const posted = panel.webview.postMessage({ id, body });
        const called = performance.now();
        const delivered = await posted;
        const resolved = performance.now();
        if (!delivered) throw new Error(`postMessage of message ${id} returned false (the webview is gone)`);
        const { ack, at } = await acked;
        typed = ack.typed;
        if (run < 0) continue; // warming the path
        times.postMs.push(called - started);
        times.resolvedMs.push(resolved - started);
        times.ackMs.push(at - started);
        times.webviewReadMs.push(ack.readMs);
      }
      return { ...times, arrivedTyped: typed, bytes };
    };
    const model = syntheticInitMessage({ leavesLog2: 20, revision: 1 });
    const typedSize = typedBytes(model) + JSON.stringify(model, (_k, v: unknown) => (ArrayBuffer.isView(v) ? 0 : v)).length;
    const small = smallUpdate();
    const smallSize = typedBytes(small) + JSON.stringify(small, (_k, v: unknown) => (ArrayBuffer.isView(v) ? 0 : v)).length;
    const results = {
      small: await time(small, 'small', smallSize),
      typed: await time(model, 'typed', typedSize),
      json: { postMs: [], resolvedMs: [], ackMs: [], webviewReadMs: [], arrivedTyped: false, bytes: 0 } as FormTimes,
    };
    const plain = asPlainArrays(model);
    results.json = await time(plain, 'json', JSON.stringify(plain).length);
    return results;
  } finally {
    listener.dispose();
    panel.dispose();
  }
}

/** extensionTestsPath entry: VS Code calls run() in the extension host. */
export async function run(): Promise<void> {
  const out = process.env['BUDDY_BENCH_OUT'];
  if (!out) throw new Error('BUDDY_BENCH_OUT is not set (the bench runner sets it)');
  try {
    fs.writeFileSync(out, JSON.stringify({ ok: true, results: await measure() }));
  } catch (error) {
    fs.writeFileSync(out, JSON.stringify({ ok: false, error: error instanceof Error ? error.message : String(error) }));
    throw error;
  }
}
