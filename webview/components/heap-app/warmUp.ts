// Runs the per-block loops a new heap goes through before its map shows (message validation,
// the index, the map's painter, overlays and ruler at zoomed-out and zoomed-in scales) on a small
// heap built here, while the panel waits for the host's first message. A fresh page runs them in
// V8's interpreter; warmed, the first million-block heap gets optimized code from its first block.
// The map paints with its own painter on its own hidden canvas (see BlockMap.warmUpPaint): nothing
// is kept and nothing shows, and the real heap's paint replaces every pixel.
import { validateToWebview } from '../../../core/protocol/validate';
import { PROTOCOL_VERSION, WireBlockState, blockCode } from '../../../core/protocol/viewModel';
import { HeapIndex } from '../../model/heapIndex';
import type { ColorBy } from '../../theme/blockColors';

/** The map the warm-up paints with: the panel's own (BlockMap), so the real paint meets the same objects. */
export interface WarmUpMap {
  /** Draws the heap at this zoom level, fitted to the height or not; false when the map cannot (no size, a heap shown). */
  warmUpPaint(index: HeapIndex, colorBy: ColorBy, zoom: number, fitHeight: boolean): boolean;
}

const LEAVES_LOG2 = 15;
/**
 * Blocks of each 32-leaf chunk of the second half (a buddy tiling), with their states and owners:
 * zoomed out, a cell of several blocks sees its leading color win, lose and be replaced (each
 * branch of the painter's vote taken, by order and by owner), and larger blocks fill whole cells.
 */
const CHUNK: readonly { readonly order: number; readonly state: WireBlockState; readonly owner: number }[] = [
  { order: 4, state: WireBlockState.Allocated, owner: 3 },
  { order: 2, state: WireBlockState.Free, owner: 0 },
  { order: 2, state: WireBlockState.Allocated, owner: 1 },
  { order: 1, state: WireBlockState.Free, owner: 0 },
  { order: 1, state: WireBlockState.Allocated, owner: 3 },
  { order: 0, state: WireBlockState.Allocated, owner: 1 },
  { order: 0, state: WireBlockState.Allocated, owner: 2 },
  { order: 0, state: WireBlockState.Allocated, owner: 2 },
  { order: 0, state: WireBlockState.Free, owner: 0 },
];
const ROUNDS = 4;
/** Zoom levels the map is warmed at (with the height fitted or not): several leaves per pixel, and cells with gaps. */
const ZOOMS: readonly (readonly [number, boolean])[] = [
  [-2, false],
  [-3, true],
  [2, true],
];

/** An init message for a 32k-leaf heap with every kind of block: small and row-spanning, free, allocated, unknown, owned. */
function warmUpMessage(): unknown {
  const leaves = 2 ** LEAVES_LOG2;
  const orders = LEAVES_LOG2 + 1;
  const codes: number[] = [];
  const owners: number[] = [];
  const freeByOrder: number[][] = Array.from({ length: orders }, () => []);
  const allocated: number[] = [];
  // The first half: one free block spanning whole rows.
  freeByOrder[LEAVES_LOG2 - 1]!.push(0);
  codes.push(blockCode(LEAVES_LOG2 - 1, WireBlockState.Free));
  owners.push(0);
  // The second half in chunks, so the heap ends with blocks smaller than a zoomed-out cell (the
  // painter's last shared cell is stored after its loop: code a 1M-block heap of small blocks runs).
  let leaf = leaves / 2;
  for (let chunk = 0; leaf < leaves; chunk++) {
    for (const block of CHUNK) {
      // Some blocks of unknown state, and some allocated ones without an owner.
      const state = chunk % 4 === 0 && block.order === 1 ? WireBlockState.Unknown : block.state;
      const owner = state !== WireBlockState.Allocated || (chunk % 5 === 0 && block.order === 4) ? 0 : block.owner;
      if (state === WireBlockState.Free) freeByOrder[block.order]!.push(leaf * 16);
      if (state === WireBlockState.Allocated) allocated.push(codes.length);
      codes.push(blockCode(block.order, state));
      owners.push(owner);
      leaf += 2 ** block.order;
    }
  }
  const size = leaves * 16;
  const freeBytes = freeByOrder.reduce((sum, list, order) => sum + list.length * 16 * 2 ** order, 0);
  const view = {
    layout: { base: '0x20000000', size, orders, minBlockSize: 16, pointerWidth: 4, endianness: 'little' },
    blocks: { count: codes.length, codes: Uint8Array.from(codes), owners: Uint16Array.from(owners) },
    freeLists: freeByOrder.map((list, order) => ({
      order,
      blockSize: 16 * 2 ** order,
      head: list.length ? '0x' + (0x20000000 + list[0]!).toString(16) : '0x0',
      broken: false,
      offsets: Float64Array.from(list),
      lastNext: -1,
    })),
    stats: {
      heapSize: size,
      freeBytes,
      allocatedBytes: size - freeBytes,
      unknownBytes: 0,
      largestFreeBlock: size / 2,
      fragmentation: 0.5,
      largestAllocatable: size / 2,
      perOrder: freeByOrder.map((list, order) => ({ order, blockSize: 16 * 2 ** order, freeBlocks: list.length, allocatedBlocks: 0 })),
    },
    findings: [],
    allocations: {
      count: allocated.length,
      blocks: Uint32Array.from(allocated),
      sizes: new Float64Array(allocated.length).fill(16),
      alignLog2: new Uint8Array(allocated.length).fill(3),
    },
    ownerLabels: ['a', 'b', 'c'],
  };
  return {
    type: 'init',
    protocol: PROTOCOL_VERSION,
    revision: 0,
    source: { kind: 'simulated', label: '', detail: '', canSimulate: false },
    view,
    history: {
      total: 1,
      current: 0,
      windowStart: 0,
      entries: [],
      series: { freeBytes: Float64Array.of(freeBytes), largestFree: Float64Array.of(size / 2), fragmentation: Float64Array.of(0.5) },
    },
    diff: null,
    selection: null,
    notice: null,
  };
}

function buffersOf(value: unknown, found = new Set<ArrayBuffer>()): ArrayBuffer[] {
  if (ArrayBuffer.isView(value)) found.add(value.buffer as ArrayBuffer);
  else if (value !== null && typeof value === 'object') for (const v of Object.values(value)) buffersOf(v, found);
  return [...found];
}

/**
 * Runs the hot loops on a small heap, one step (a validation, a paint) per task, while
 * `waiting()` holds: a heap that arrives meanwhile waits for one step at most, never for the
 * whole warm-up. `map()` is the panel's map (undefined while it is not built). Resolves with the
 * milliseconds spent (the steps' own time); rejects only on a bug here.
 */
export async function warmUpHotPaths(waiting: () => boolean, map: () => WarmUpMap | undefined): Promise<number> {
  let spent = 0;
  const timed = <T>(work: () => T): T => {
    const started = performance.now();
    try {
      return work();
    } finally {
      spent += performance.now() - started;
    }
  };
  // A message to itself, not setTimeout: nested timeouts are clamped to 4 ms each.
  const channel = new MessageChannel();
  const nextTask = () =>
    new Promise<void>(resolve => {
      channel.port1.onmessage = () => resolve();
      channel.port2.postMessage(null);
    });
  // A copy as a message arrives in VS Code, its buffers transferred: the same kinds of objects
  // the real ones are. Transferring detaches the originals, and V8 drops all optimized
  // typed-array code the first time any buffer in the page is detached (its "no detached
  // buffers" protector); detached here first, the code warmed next stays valid when the host's
  // buffers arrive.
  const message = timed(() => {
    const raw = warmUpMessage();
    return structuredClone(raw, { transfer: buffersOf(raw) });
  });
  // Each step in its own task: a heap arriving meanwhile waits for one step at most.
  const steps: (() => void)[] = [];
  let index: HeapIndex | undefined;
  const checkAndIndex = () => {
    const checked = validateToWebview(message);
    if (!checked.ok) throw new Error(`warm-up heap rejected: ${checked.error}`);
    if (checked.value.type !== 'init') throw new Error('warm-up heap is not an init message');
    index = new HeapIndex(checked.value.view);
    index.freeLeavesIn(0, index.totalLeaves);
    index.allocationAt(index.block(index.blockAtLeaf(index.totalLeaves - 1)).offset);
  };
  for (let round = 0; round < ROUNDS; round++) {
    steps.push(checkAndIndex);
    // Both colorings at every zoom level, every round: a branch first taken later would throw
    // the optimized code away.
    for (const colorBy of ['order', 'owner'] as const)
      for (const [zoom, fitHeight] of ZOOMS)
        steps.push(() => {
          if (index) map()?.warmUpPaint(index, colorBy, zoom, fitHeight);
        });
  }
  // Once more at the end: V8 makes the validation's loops' optimized code for a call's entry (not
  // only for a loop already running) after a few calls, and a heap arriving right after the
  // warm-up would otherwise be checked by code still being compiled.
  steps.push(checkAndIndex);
  for (const step of steps) {
    await nextTask();
    if (!waiting()) break;
    timed(step);
  }
  channel.port1.close();
  return spent;
}
