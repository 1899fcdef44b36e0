// A synthetic heap: 2^leavesLog2 minimum blocks of 16 bytes, every even one allocated to one of
// four owners and every odd one free, so the block table holds one block per leaf (the worst
// case: 1M blocks for leavesLog2 = 20) and order 0's free list holds half of them. Each free
// block's buddy is allocated, so it is a valid heap. Built inside the page (no transfer from
// Node: `syntheticDelivery`), or in the extension host by the host messaging bench. Both
// functions must stay self-contained: their source is sent to the page.
import type { WireFinding } from '../../../core/protocol/viewModel';

export interface SyntheticArgs {
  readonly leavesLog2: number;
  readonly revision: number;
  /** Findings to report with it (none by default). */
  readonly findings?: readonly WireFinding[];
}

/** The init message of the synthetic heap, with its view model as typed arrays (as the host sends it). */
export function syntheticInitMessage(args: SyntheticArgs) {
  const leaves = 2 ** args.leavesLog2;
  const orders = args.leavesLog2 + 1;
  const minBlock = 16;
  const size = leaves * minBlock;
  const base = 0x8000_0000;
  const codes = new Uint8Array(leaves);
  const owners = new Uint16Array(leaves);
  const half = leaves / 2;
  const freeOffsets = new Float64Array(half);
  const allocBlocks = new Uint32Array(half);
  for (let i = 0; i < leaves; i++) {
    if (i % 2 === 0) {
      codes[i] = 1 << 5;
      owners[i] = 1 + ((i >> 1) % 4);
      allocBlocks[i >> 1] = i;
    } else {
      freeOffsets[i >> 1] = i * minBlock;
    }
  }
  const freeLists = [];
  const perOrder = [];
  for (let order = 0; order < orders; order++) {
    const list = order === 0;
    freeLists.push({
      order,
      blockSize: minBlock * 2 ** order,
      head: list ? '0x' + (base + freeOffsets[0]!).toString(16) : '0x0',
      broken: false,
      offsets: list ? freeOffsets : new Float64Array(0),
      lastNext: -1,
    });
    perOrder.push({ order, blockSize: minBlock * 2 ** order, freeBlocks: list ? half : 0, allocatedBlocks: list ? half : 0 });
  }
  const view = {
    layout: { base: '0x' + base.toString(16), size, orders, minBlockSize: minBlock, pointerWidth: 4, endianness: 'little' },
    blocks: { count: leaves, codes, owners },
    freeLists,
    stats: {
      heapSize: size,
      freeBytes: size / 2,
      allocatedBytes: size / 2,
      unknownBytes: 0,
      largestFreeBlock: minBlock,
      fragmentation: 1 - minBlock / (size / 2),
      largestAllocatable: minBlock,
      perOrder,
    },
    findings: args.findings ?? [],
    allocations: { count: half, blocks: allocBlocks, sizes: new Float64Array(half).fill(16), alignLog2: new Uint8Array(half).fill(3) },
    ownerLabels: ['dma', 'net/rx', 'net/tx', 'task:logger'],
  };
  const message = {
    type: 'init',
    protocol: 1,
    revision: args.revision,
    source: { kind: 'simulated', label: 'Synthetic heap', detail: `${leaves} minimum blocks`, canSimulate: true },
    view,
    history: {
      total: 1,
      current: 0,
      windowStart: 0,
      entries: [{ step: 0, op: 'heap', text: `heap ${size} orders=${orders}`, ok: true, detail: 'synthetic', changes: [] }],
      series: { freeBytes: Float64Array.of(size / 2), largestFree: Float64Array.of(minBlock), fragmentation: Float64Array.of(0.99) },
    },
    diff: null,
    selection: null,
    notice: null,
  };
  return message;
}

/**
 * Posts a message to the page's window; returns performance.now() just before. With `transfer`,
 * every ArrayBuffer under the message is transferred instead of cloned, as VS Code's webview host
 * frame does (pre/index.html posts into the panel's iframe with the message's buffers in the
 * transfer list); without, the whole model is cloned, as a plain `postMessage` would.
 */
export function postToPage(message: unknown, transfer: boolean): number {
  const buffers = new Set<ArrayBuffer>();
  const walk = (value: unknown): void => {
    if (ArrayBuffer.isView(value)) buffers.add(value.buffer as ArrayBuffer);
    else if (Array.isArray(value)) value.forEach(walk);
    else if (value !== null && typeof value === 'object') Object.values(value).forEach(walk);
  };
  if (transfer) walk(message);
  const started = performance.now();
  window.postMessage(message, { targetOrigin: '*', transfer: [...buffers] });
  return started;
}

/** Page script: builds the synthetic heap's init message and posts it; evaluates to performance.now() just before posting. */
export function syntheticDelivery(args: SyntheticArgs, transfer = false): string {
  return `(${postToPage.toString()})((${syntheticInitMessage.toString()})(${JSON.stringify(args)}), ${transfer})`;
}
