// Finds a Heap<N> in target memory from an expression, asking the debugger for the real address
// of each field: compilers reorder fields (rustc does), so declaration order means nothing.
import * as l10n from '@vscode/l10n';
import type { Endianness, PointerWidth } from '../../core/layout';
import { readOnlyExpression } from './heapExpression/readOnlyExpression';
import { type DapChannel, type RequestCounter, evaluate } from './dapSession';
import { arrayLengthFromType, leadingAddress, leadingInteger, resultFailure } from './evaluateResult';
import { FIELD_NAMES, type FieldOffsets, type HeapLocation, type HeapSpec, fieldSpan } from './heapSpec';
import { LiveReadError, isFatal } from './liveErrors';

/** How to name a heap instead, after each refusal (translated when the message is made). */
const hint = () =>
  l10n.t(
    'Point the heap setting at the Heap<N> value itself, e.g. "HEAP" in C, or "my_crate::ALLOCATOR.inner.value" when the heap sits inside a lock wrapper; or give its address and field offsets instead.',
  );

/** Identifiers joined by `.` and `::` (no `*`, `->`, calls or indexing): nothing in it can move at run time. */
const PLAIN_PATH = /^[A-Za-z_]\w*(?:(?:::|\.)\w+)*$/;
/** gdb names the symbol of a static address: `0x20000004 <HEAP>`, `0x5555556af000 <prog::ALLOCATOR::h…>`; a stack address has none. */
const SYMBOL_SUFFIX = /^\s*0x[0-9a-f]+\s+<[^>]+>/i;

/** True when `&(expression)` is a static's address: a plain path that the debugger resolved to a symbol. */
export function isFixedAddress(expression: string, result: string): boolean {
  return PLAIN_PATH.test(expression.trim()) && SYMBOL_SUFFIX.test(result);
}

/** What the settings say when neither the heap entry nor the debugger does. */
export interface LocateDefaults {
  readonly endianness: Endianness;
  readonly orders?: number;
  readonly pointerWidth?: PointerWidth;
}

type Evaluated = { ok: true; result: string; type: string | undefined } | { ok: false; reason: string };

/** evaluate, with "this expression has no value" turned into data and session-level failures thrown. */
async function tryEvaluate(
  session: DapChannel,
  expression: string,
  frameId: number,
  counter: RequestCounter,
  signal?: AbortSignal,
): Promise<Evaluated> {
  try {
    const body = await evaluate(session, expression, frameId, counter, signal);
    const failure = resultFailure(body.result);
    return failure === undefined ? { ok: true, result: body.result, type: body.type } : { ok: false, reason: failure };
  } catch (error) {
    if (error instanceof LiveReadError && (isFatal(error) || error.kind === 'badResponse')) throw error;
    return {
      ok: false,
      reason: error instanceof Error ? error.message.replace(/^The debug adapter refused evaluate: /, '') : String(error),
    };
  }
}

async function evaluateAddress(
  session: DapChannel,
  expression: string,
  frameId: number,
  counter: RequestCounter,
  signal?: AbortSignal,
): Promise<{ address: bigint; type: string | undefined; result: string } | { reason: string }> {
  const value = await tryEvaluate(session, expression, frameId, counter, signal);
  if (!value.ok) return { reason: value.reason };
  const address = leadingAddress(value.result);
  return address === undefined ? { reason: `"${value.result}" is not an address` } : { address, type: value.type, result: value.result };
}

async function evaluateInteger(
  session: DapChannel,
  expression: string,
  frameId: number,
  counter: RequestCounter,
  signal?: AbortSignal,
): Promise<bigint | undefined> {
  const value = await tryEvaluate(session, expression, frameId, counter, signal);
  return value.ok ? leadingInteger(value.result) : undefined;
}

/**
 * The struct's location for an address source or a heap found in the debug info: no requests,
 * everything is known already. A discovered heap is a static: it stays put (fixed).
 */
function fromAddress(source: Extract<HeapSpec, { kind: 'address' | 'discovered' }>, defaultEndianness: Endianness): HeapLocation {
  const log2Bytes = source.log2Bytes ?? 1;
  const span = fieldSpan(source.offsets, source.orders, source.pointerWidth, log2Bytes);
  const label = source.kind === 'discovered' ? source.path : `0x${source.address.toString(16)}`;
  if ('error' in span)
    throw new LiveReadError(
      source.kind === 'discovered' ? 'notAHeap' : 'settings',
      source.kind === 'discovered'
        ? l10n.t('The heap {0} at {1} has impossible offsets: {2}.', label, `0x${source.address.toString(16)}`, span.error)
        : l10n.t('The heap at {0} has impossible offsets: {1}.', `0x${source.address.toString(16)}`, span.error),
    );
  return {
    address: source.address,
    offsets: source.offsets,
    orders: source.orders,
    pointerWidth: source.pointerWidth,
    endianness: source.endianness ?? defaultEndianness,
    log2Bytes,
    span: span.span,
    label,
    ...(source.kind === 'discovered' ? { fixed: true } : {}),
  };
}

/**
 * Locates the heap. For an expression E: `&(E)` for the struct, `&(E).field` for each field's
 * real offset, N from the free_lists type (or a sizeof ratio), the pointer width from
 * `sizeof((E).heap_size)` (or of a free-list slot), and heap_size's value for the byte order. When the debugger cannot tell N or the width,
 * the heap entry's value is used, else the setting's (`defaults`), and the location says so.
 * Throws LiveReadError('expression' | 'notAHeap') with a fix.
 */
export async function locateHeap(
  session: DapChannel,
  source: HeapSpec,
  frameId: number,
  counter: RequestCounter,
  signal?: AbortSignal,
  defaults: LocateDefaults = { endianness: 'little' },
): Promise<HeapLocation> {
  if (source.kind !== 'expression') return fromAddress(source, defaults.endianness);
  // Never let the debugger run target code: lock() calls become the lock's data fields.
  const readOnly = readOnlyExpression(source.expression);
  if (!readOnly.ok) throw new LiveReadError('expression', readOnly.reason);
  let first: LiveReadError | undefined;
  for (const candidate of readOnly.candidates) {
    try {
      const location = await locateExpression(session, source, candidate, frameId, counter, signal, defaults);
      if (!readOnly.rewritten) return location;
      const note = `"${source.expression}" calls target code, so it is read as "${candidate}": the locked value, without taking the lock`;
      return { ...location, notes: [...(location.notes ?? []), note] };
    } catch (error) {
      // Another spelling of the lock's data may be the one this wrapper type has.
      if (!(error instanceof LiveReadError) || (error.kind !== 'expression' && error.kind !== 'notAHeap')) throw error;
      first ??= error;
    }
  }
  const tried = readOnly.candidates.map(c => `"${c}"`).join(', ');
  throw readOnly.rewritten && first
    ? new LiveReadError(
        first.kind,
        `${first.message} ("${source.expression}" calls target code, which this extension never runs; tried ${tried} instead.)`,
      )
    : first!;
}

/** locateHeap for one call-free expression `e` of an expression source. */
async function locateExpression(
  session: DapChannel,
  source: Extract<HeapSpec, { kind: 'expression' }>,
  e: string,
  frameId: number,
  counter: RequestCounter,
  signal: AbortSignal | undefined,
  defaults: LocateDefaults,
): Promise<HeapLocation> {
  const defaultEndianness = defaults.endianness;
  const struct = await evaluateAddress(session, `&(${e})`, frameId, counter, signal);
  if ('reason' in struct) {
    throw new LiveReadError(
      'expression',
      `${l10n.t('The heap expression "{0}" does not evaluate in the current frame: {1}.', e, struct.reason)} ${hint()}`,
    );
  }
  const keys = Object.keys(FIELD_NAMES) as (keyof FieldOffsets)[];
  const [fields, heapSizeValue, width, log2Width, freeListsSize, freeListSlot] = await Promise.all([
    Promise.all(keys.map(key => evaluateAddress(session, `&(${e}).${FIELD_NAMES[key]}`, frameId, counter, signal))),
    // The value, so the struct's bytes can tell the target's byte order (see byteOrder.ts).
    evaluateInteger(session, `(${e}).heap_size`, frameId, counter, signal),
    evaluateInteger(session, `sizeof((${e}).heap_size)`, frameId, counter, signal),
    evaluateInteger(session, `sizeof((${e}).min_block_size_log2)`, frameId, counter, signal),
    evaluateInteger(session, `sizeof((${e}).free_lists)`, frameId, counter, signal),
    evaluateInteger(session, `sizeof((${e}).free_lists[0])`, frameId, counter, signal),
  ]);
  const typeText = struct.type ? ` ${l10n.t('(type {0})', struct.type.replace(/\s*\*$|^\*mut\s+|^\*const\s+/g, ''))}` : '';
  const missing = keys.filter((_, i) => 'reason' in fields[i]!);
  if (missing.length > 0) {
    const firstReason = fields.find((f): f is { reason: string } => 'reason' in f)?.reason ?? '';
    const found = keys.length - missing.length;
    throw new LiveReadError(
      'notAHeap',
      `${l10n.t(
        '"{0}"{1} is not a buddyalloc Heap<N>: {2} ({3}).',
        e,
        typeText,
        found === 0 ? l10n.t('it has none of the fields') : l10n.t('it lacks {0}', missing.map(k => FIELD_NAMES[k]).join(', ')),
        firstReason,
      )} ${hint()}`,
    );
  }
  const offsets = Object.fromEntries(
    keys.map((key, i) => {
      const field = fields[i] as { address: bigint };
      return [key, Number(field.address - struct.address)];
    }),
  ) as unknown as FieldOffsets;
  const notes: string[] = [];
  // A usize is as wide as a free-list slot (a pointer): either sizeof tells the width.
  const told = width ?? freeListSlot;
  const fallbackWidth = source.pointerWidth ?? defaults.pointerWidth;
  if (told === undefined && fallbackWidth !== undefined) {
    notes.push(
      `pointer width ${fallbackWidth} from ${source.pointerWidth !== undefined ? 'the heap entry' : 'buddyHeap.live.pointerWidth'} (the debugger gave no sizeof of heap_size)`,
    );
  } else if (told !== 4n && told !== 8n) {
    const fix =
      told === undefined
        ? ` ${l10n.t('If this debugger cannot evaluate sizeof, add "pointerWidth": 4 or 8 to the heap entry (or set buddyHeap.live.pointerWidth).')}`
        : '';
    throw new LiveReadError(
      'notAHeap',
      `${l10n.t(
        '"{0}"{1}: sizeof heap_size is {2}, not a 4- or 8-byte usize, so the pointer width cannot be told.',
        e,
        typeText,
        told === undefined ? l10n.t('unknown') : String(told),
      )}${fix} ${hint()}`,
    );
  }
  const pointerWidth = (told === undefined ? fallbackWidth : Number(told)) as PointerWidth;
  if (told !== undefined && fallbackWidth !== undefined && fallbackWidth !== pointerWidth) {
    notes.push(`the debugger reports ${pointerWidth}-byte pointers, not the configured ${fallbackWidth}; using ${pointerWidth}`);
  }
  const freeListsType = (fields[keys.indexOf('freeLists')] as { type: string | undefined }).type;
  const ratio =
    freeListsSize !== undefined && freeListSlot !== undefined && freeListSlot > 0n ? Number(freeListsSize / freeListSlot) : undefined;
  const toldOrders = arrayLengthFromType(freeListsType) ?? ratio;
  const fallbackOrders = source.orders ?? defaults.orders;
  if (toldOrders === undefined && fallbackOrders !== undefined) {
    notes.push(
      `N = ${fallbackOrders} from ${source.orders !== undefined ? 'the heap entry' : 'buddyHeap.live.orders'} (the debugger gave neither the free_lists array type nor its sizeof)`,
    );
  }
  const orders = toldOrders ?? fallbackOrders;
  if (toldOrders !== undefined && fallbackOrders !== undefined && fallbackOrders !== toldOrders) {
    notes.push(`the debugger reports N = ${toldOrders}, not the configured ${fallbackOrders}; using ${toldOrders}`);
  }
  if (orders === undefined || orders < 1 || orders > 32 || (freeListSlot !== undefined && freeListSlot !== BigInt(pointerWidth))) {
    const fix =
      orders === undefined
        ? ` ${l10n.t('If this debugger cannot tell array lengths, add "orders" (N) to the heap entry (or set buddyHeap.live.orders).')}`
        : '';
    throw new LiveReadError(
      'notAHeap',
      `${l10n.t(
        '"{0}"{1}: free_lists is not an array of 1 to 32 pointers (type {2}, {3} entries).',
        e,
        typeText,
        freeListsType ?? l10n.t('unknown'),
        orders ?? '?',
      )}${fix} ${hint()}`,
    );
  }
  const log2Bytes = log2Width === undefined ? 1 : Number(log2Width);
  const span = fieldSpan(offsets, orders, pointerWidth, log2Bytes);
  if ('error' in span)
    throw new LiveReadError(
      'notAHeap',
      `${l10n.t('"{0}"{1}: the field offsets the debugger reports cannot be a Heap<{2}>: {3}.', e, typeText, orders, span.error)} ${hint()}`,
    );
  return {
    address: struct.address,
    offsets,
    orders,
    pointerWidth,
    log2Bytes,
    span: span.span,
    endianness: source.endianness ?? defaultEndianness,
    label: e,
    ...(struct.type ? { type: struct.type } : {}),
    ...(isFixedAddress(e, struct.result) ? { fixed: true } : {}),
    ...(notes.length > 0 ? { notes } : {}),
    ...(heapSizeValue !== undefined ? { heapSizeValue } : {}),
  };
}

/** The cheap re-check at each stop: does `&(E)` still give the same struct (a local may move)? */
export async function relocate(
  session: DapChannel,
  location: HeapLocation,
  source: HeapSpec,
  frameId: number,
  counter: RequestCounter,
  signal?: AbortSignal,
): Promise<HeapLocation | undefined> {
  if (source.kind !== 'expression') return location;
  // The label is the expression the heap was found by (call-free: see locateHeap).
  const struct = await evaluateAddress(session, `&(${location.label})`, frameId, counter, signal);
  if ('reason' in struct || struct.type !== location.type) return undefined;
  return struct.address === location.address ? location : { ...location, address: struct.address };
}
