// Runtime validation of every message in both directions. A message that fails is rejected with
// the reason (the receiver logs it and carries on); nothing malformed reaches the renderer or
// the session.
import { Check, arrayOf, bool, hexString, isRecord, literal, nullable, num, shape, str, typed } from './guards';
import type { FromWebviewMessage, ToWebviewMessage } from './messages';
import { PANEL_COMMANDS } from './messages';
import { CHANGE_KINDS, CONFIDENCES, HeapViewModel, PARENT_NONE, REFERRER_ROOT, type WireOwnership } from './viewModel';
import { POW2 } from '../util/powersOfTwo';

export type Validated<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: string };

const count = num({ int: true, min: 0 });
const offset = num({ int: true, min: 0 });
const order = num({ int: true, min: 0, max: 31 });
const step = num({ int: true, min: 0 });
const byteCount = num({ int: true, min: 0 });

// Size, orders and min block are 0 in a view the decoder refused (its findings say why).
const layout = shape({
  base: hexString,
  size: num({ int: true, min: 0 }),
  orders: num({ int: true, min: 0, max: 32 }),
  minBlockSize: num({ int: true, min: 0 }),
  pointerWidth: literal(4, 8),
  endianness: literal('little', 'big'),
});

const blocks = shape({
  count,
  codes: typed(Uint8Array, parent => parent['count'] as number),
  owners: typed(Uint16Array, parent => parent['count'] as number),
});

const freeList = shape(
  {
    order,
    blockSize: byteCount,
    head: hexString,
    broken: bool,
    offsets: typed(Float64Array),
    lastNext: num({ int: true, min: -3 }),
  },
  { lastRaw: hexString },
);

const orderStats = shape({ order, blockSize: byteCount, freeBlocks: count, allocatedBlocks: count });

const stats = shape({
  heapSize: byteCount,
  freeBytes: byteCount,
  allocatedBytes: byteCount,
  unknownBytes: byteCount,
  largestFreeBlock: byteCount,
  fragmentation: num({ min: 0, max: 1 }),
  largestAllocatable: byteCount,
  perOrder: arrayOf(orderStats, 32),
});

const finding = shape(
  { kind: str, severity: literal('error', 'warning'), message: str },
  { order, address: hexString, offset, linkedOffset: offset },
);

const allocations = shape({
  count,
  blocks: typed(Uint32Array, parent => parent['count'] as number),
  sizes: typed(Float64Array, parent => parent['count'] as number),
  alignLog2: typed(Uint8Array, parent => parent['count'] as number),
});

const ownershipSummary = shape(
  {
    roots: count,
    rootBytes: byteCount,
    spanBytes: byteCount,
    references: count,
    leakCount: count,
    leakBytes: byteCount,
    leaksGrowing: bool,
    caveat: str,
    notes: arrayOf(str, 256),
  },
  { leakTrend: str, truncated: str },
);

const ownershipShape = shape({
  confidence: typed(Uint8Array),
  reason: typed(Uint8Array),
  parent: typed(Int32Array),
  parentWord: typed(Float64Array),
  enteredAt: typed(Float64Array),
  rootPath: typed(Uint32Array),
  leakStops: typed(Uint16Array),
  referrerStart: typed(Uint32Array),
  referrerTotal: typed(Uint32Array),
  referrerBlock: typed(Int32Array),
  referrerWord: typed(Float64Array),
  referrerInterior: typed(Float64Array),
  paths: arrayOf(str),
  summary: ownershipSummary,
});

const viewShape = shape(
  {
    layout,
    blocks,
    freeLists: arrayOf(freeList, 32),
    stats,
    findings: arrayOf(finding),
    allocations,
    ownerLabels: arrayOf(str, 65535),
  },
  { ownership: ownershipShape },
);

/** Shape plus the invariants the renderer relies on: blocks tile the heap, references resolve. */
const view: Check = (v, p) => {
  const error = viewShape(v, p);
  if (error) return error;
  const model = v as HeapViewModel;
  const { codes, owners, count: n } = model.blocks;
  const labels = model.ownerLabels.length;
  // One pass sums the blocks' leaves with every code and owner checked (NaN when one is bad);
  // only then is the bad block looked for, for the message.
  const leaves = sumBlocks(codes, owners, n, leavesByCode(model.layout.orders), labels);
  if (Number.isNaN(leaves))
    return `${p}.blocks: block ${badBlock(codes, owners, n, model.layout.orders, labels)} has a bad order, state or owner`;
  if (leaves * model.layout.minBlockSize !== model.layout.size)
    return `${p}.blocks: the blocks cover ${leaves * model.layout.minBlockSize} bytes, not the heap's ${model.layout.size}`;
  const refs = model.allocations.blocks;
  if (n === 0 ? refs.length > 0 : maxOf(refs) >= n) return `${p}.allocations.blocks[${refs.findIndex(r => r >= n)}]: no such block`;
  return model.ownership ? ownershipProblem(model.ownership, model.allocations.count, `${p}.ownership`) : undefined;
};

/** The ownership columns line up with the allocations and every reference inside them resolves. */
function ownershipProblem(o: WireOwnership, n: number, p: string): string | undefined {
  const perAllocation = {
    confidence: o.confidence,
    reason: o.reason,
    parent: o.parent,
    parentWord: o.parentWord,
    enteredAt: o.enteredAt,
    rootPath: o.rootPath,
    leakStops: o.leakStops,
    referrerTotal: o.referrerTotal,
  };
  for (const [name, column] of Object.entries(perAllocation))
    if (column.length !== n) return `${p}.${name}: ${column.length} entries for ${n} allocations`;
  if (o.referrerStart.length !== n + 1) return `${p}.referrerStart: ${o.referrerStart.length} entries, not ${n + 1}`;
  const m = o.referrerBlock.length;
  if (o.referrerWord.length !== m || o.referrerInterior.length !== m || o.referrerStart[n] !== m)
    return `${p}: the referrer columns disagree on their length`;
  for (let i = 0; i < n; i++) {
    if (o.confidence[i]! >= CONFIDENCES.length) return `${p}.confidence[${i}]: no such confidence`;
    const parent = o.parent[i]!;
    if (parent < PARENT_NONE || parent >= n) return `${p}.parent[${i}]: no such allocation`;
    if (parent !== PARENT_NONE && o.rootPath[i]! >= o.paths.length) return `${p}.rootPath[${i}]: no such path`;
    if (o.referrerStart[i]! > o.referrerStart[i + 1]!) return `${p}.referrerStart[${i}]: runs backward`;
  }
  for (let j = 0; j < m; j++) {
    const block = o.referrerBlock[j]!;
    if (block < REFERRER_ROOT || block >= n) return `${p}.referrerBlock[${j}]: no such allocation`;
    if (block === REFERRER_ROOT && !(o.referrerWord[j]! < o.paths.length)) return `${p}.referrerWord[${j}]: no such path`;
  }
  return undefined;
}

// Small monomorphic loops (a million iterations each for a 1M-block heap): kept apart so they
// optimize, with no branch per block, since they run on every message before anything is drawn.

/** Leaves of a block by its code byte: 2^order for a valid code, NaN for a bad order or state. */
const codeTables = new Map<number, Float64Array>();
function leavesByCode(orders: number): Float64Array {
  let table = codeTables.get(orders);
  if (!table) {
    table = new Float64Array(256);
    for (let code = 0; code < 256; code++) table[code] = (code & 31) < orders && code >> 5 <= 2 ? POW2[code & 31]! : NaN;
    codeTables.set(orders, table);
  }
  return table;
}

/** Leaves the blocks cover, or NaN when a code is bad or an owner is past `labels` (numbers only: no object to build after the loop). */
function sumBlocks(codes: Uint8Array, owners: Uint16Array, n: number, leavesOfCode: Float64Array, labels: number): number {
  let leaves = 0;
  let slack = 0;
  for (let i = 0; i < n; i++) {
    leaves += leavesOfCode[codes[i]!]!;
    slack |= labels - owners[i]!;
  }
  return slack < 0 ? NaN : leaves;
}

/** The first block with a bad order, state or owner (only looked for once one is known to be there). */
function badBlock(codes: Uint8Array, owners: Uint16Array, n: number, orders: number, labels: number): number {
  for (let i = 0; i < n; i++) {
    const code = codes[i]!;
    if ((code & 31) >= orders || code >> 5 > 2 || owners[i]! > labels) return i;
  }
  return -1;
}

function maxOf(values: Uint32Array): number {
  let max = 0;
  for (let i = 0; i < values.length; i++) if (values[i]! > max) max = values[i]!;
  return max;
}

const change = shape({ kind: literal(...CHANGE_KINDS), offset, order });

const diffShape = shape({
  fromStep: step,
  toStep: step,
  count,
  offsets: typed(Float64Array, parent => parent['count'] as number),
  orders: typed(Uint8Array, parent => parent['count'] as number),
  kinds: typed(Uint8Array, parent => parent['count'] as number),
  summary: str,
});

const diff: Check = (v, p) => {
  const error = diffShape(v, p);
  if (error) return error;
  const kinds = (v as { kinds: Uint8Array }).kinds;
  for (let i = 0; i < kinds.length; i++) if (kinds[i]! >= CHANGE_KINDS.length) return `${p}.kinds[${i}]: no such change kind`;
  return undefined;
};

const historyEntry = shape({
  step,
  op: literal('heap', 'alloc', 'free', 'dump', 'snapshot'),
  text: str,
  ok: bool,
  detail: str,
  changes: arrayOf(change),
});

const series = shape({
  freeBytes: typed(Float64Array),
  largestFree: typed(Float64Array),
  fragmentation: typed(Float64Array),
});

const history: Check = (v, p) => {
  const error = shape({ total: num({ int: true, min: 1 }), current: step, windowStart: step, entries: arrayOf(historyEntry), series })(
    v,
    p,
  );
  if (error) return error;
  const h = v as { total: number; current: number };
  return h.current < h.total ? undefined : `${p}.current: step ${h.current} is past the ${h.total} steps`;
};

const source = shape({ kind: literal('simulated', 'live'), label: str, detail: str, canSimulate: bool });

const notice = shape({
  level: literal('info', 'warning', 'error'),
  title: str,
  message: str,
  blocks: arrayOf(shape({ offset, order })),
});

const init = shape({
  type: literal('init'),
  protocol: num({ int: true }),
  revision: count,
  source,
  view,
  history,
  diff: nullable(diff),
  selection: nullable(offset),
  notice: nullable(notice),
});

const lengthOf = (key: string) => (parent: Record<string, unknown>) => (parent[key] as { length: number }).length;

const freeListEdit = shape({
  order,
  removed: typed(Float64Array),
  pushed: typed(Float64Array),
  head: hexString,
  lastNext: num({ int: true, min: -2 }),
});

const patch = shape(
  {
    offset,
    order,
    codes: typed(Uint8Array),
    owners: typed(Uint16Array, lengthOf('codes')),
    freedAllocations: typed(Float64Array),
    newAllocations: shape({
      offsets: typed(Float64Array),
      sizes: typed(Float64Array, lengthOf('offsets')),
      alignLog2: typed(Uint8Array, lengthOf('offsets')),
    }),
    freeLists: arrayOf(freeListEdit, 32),
    stats,
    findings: arrayOf(finding),
  },
  { ownerLabels: arrayOf(str, 65535) },
);

const historyTail: Check = (v, p) => {
  const error = shape({
    total: num({ int: true, min: 1 }),
    current: step,
    windowStart: step,
    windowLength: count,
    from: step,
    entries: arrayOf(historyEntry),
    series: shape({
      freeBytes: typed(Float64Array),
      largestFree: typed(Float64Array, lengthOf('freeBytes')),
      fragmentation: typed(Float64Array, lengthOf('freeBytes')),
    }),
  })(v, p);
  if (error) return error;
  const t = v as { total: number; current: number; from: number };
  if (t.current >= t.total) return `${p}.current: step ${t.current} is past the ${t.total} steps`;
  return t.from > t.total ? `${p}.from: step ${t.from} is past the ${t.total} steps` : undefined;
};

const updateShape = shape(
  { type: literal('update'), revision: count },
  { source, view, patch, history, historyTail, diff: nullable(diff), selection: nullable(offset), notice: nullable(notice) },
);

const update: Check = (v, p) => {
  const error = updateShape(v, p);
  if (error) return error;
  const u = v as Record<string, unknown>;
  if (u['view'] !== undefined && u['patch'] !== undefined) return `${p}: a view and a patch to it in one message`;
  if (u['history'] !== undefined && u['historyTail'] !== undefined) return `${p}: a history and a tail of it in one message`;
  return undefined;
};

/** The heap the panel shows, which a block offset from the webview must lie in. */
export interface HeapBounds {
  readonly heapSize: number;
  readonly minBlockSize: number;
}

/** A block's offset in `heap`: below its size and on a minimum-block boundary (where every block starts). */
function blockOffset(bounds: (() => HeapBounds) | undefined): Check {
  return (v, p) => {
    const error = offset(v, p);
    if (error || !bounds) return error;
    const heap = bounds();
    const at = v as number;
    if (heap.heapSize === 0) return `${p}: the heap shown has no blocks`;
    if (at >= heap.heapSize) return `${p}: ${at} is past the end of the ${heap.heapSize}-byte heap`;
    return at % heap.minBlockSize === 0 ? undefined : `${p}: ${at} is not on a ${heap.minBlockSize}-byte block boundary`;
  };
}

/** Longest webview error text logged: a stack trace fits, a runaway message does not flood the log. */
export const MAX_WEBVIEW_ERROR_LENGTH = 8192;

const errorText: Check = (v, p) =>
  str(v, p) ??
  ((v as string).length > MAX_WEBVIEW_ERROR_LENGTH
    ? `${p}: ${(v as string).length} characters, more than ${MAX_WEBVIEW_ERROR_LENGTH}`
    : undefined);

const fromWebview = (heap: (() => HeapBounds) | undefined): Record<FromWebviewMessage['type'], Check> => ({
  ready: shape({ type: str, protocol: num({ int: true }) }),
  selectBlock: shape({ type: str, offset: nullable(blockOffset(heap)) }),
  stepTo: shape({ type: str, step }),
  compareWith: shape({ type: str, step: nullable(step) }),
  freeBlock: shape({ type: str, offset: blockOffset(heap) }),
  runCommand: shape({ type: str, command: literal(...PANEL_COMMANDS) }),
  dismissNotice: shape({ type: str }),
  rendered: shape({
    type: str,
    revision: count,
    step,
    blocks: count,
    freeBlocks: count,
    findings: count,
    selection: nullable(offset),
    notice: nullable(str),
  }),
  webviewError: shape({ type: str, message: errorText }),
});
const fromAnyHeap = fromWebview(undefined);

function typeOf(value: unknown): string | undefined {
  return isRecord(value) && typeof value['type'] === 'string' ? value['type'] : undefined;
}

/**
 * Checks a message the host received from the webview; with `heap` (the heap shown, asked for only
 * when a message names a block), block offsets must also lie on a block of it.
 */
export function validateFromWebview(value: unknown, heap?: () => HeapBounds): Validated<FromWebviewMessage> {
  const type = typeOf(value);
  if (type === undefined) return { ok: false, error: 'message: expected an object with a string "type"' };
  const checks = heap ? fromWebview(heap) : fromAnyHeap;
  const check = Object.prototype.hasOwnProperty.call(checks, type) ? checks[type as FromWebviewMessage['type']] : undefined;
  if (!check) return { ok: false, error: `message: unknown type "${type}"` };
  const error = check(value, type);
  return error ? { ok: false, error } : { ok: true, value: value as FromWebviewMessage };
}

/** Checks a message the webview received from the host. */
export function validateToWebview(value: unknown): Validated<ToWebviewMessage> {
  const type = typeOf(value);
  const check = type === 'init' ? init : type === 'update' ? update : undefined;
  if (!check) return { ok: false, error: `message: unknown type "${type ?? typeof value}"` };
  const error = check(value, type!);
  return error ? { ok: false, error } : { ok: true, value: value as ToWebviewMessage };
}
