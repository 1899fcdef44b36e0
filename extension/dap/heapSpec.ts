// Where a live heap is: by expression (offsets found from debug info) or by address plus field
// offsets (targets without debug info). Also the parser for the per-session heap setting, which
// is user JSON and so is checked field by field.
import * as l10n from '@vscode/l10n';
import type { Endianness, PointerWidth } from '../../core/layout';
import { parseNumber } from '../../core/numbers';
import { readOnlyExpression } from './heapExpression/readOnlyExpression';
import { isRecord } from '../../core/protocol/guards';

/** Byte offsets of the five Heap<N> fields inside the struct. */
export interface FieldOffsets {
  readonly heapBase: number;
  readonly heapSize: number;
  readonly freeLists: number;
  readonly minBlockSize: number;
  readonly minBlockSizeLog2: number;
}

export const FIELD_NAMES: Readonly<Record<keyof FieldOffsets, string>> = {
  heapBase: 'heap_base',
  heapSize: 'heap_size',
  freeLists: 'free_lists',
  minBlockSize: 'min_block_size',
  minBlockSizeLog2: 'min_block_size_log2',
};

export type HeapSpec =
  | {
      readonly kind: 'expression';
      readonly expression: string;
      readonly endianness?: Endianness;
      /** N and the pointer width, used only when the debugger cannot tell (no sizeof, no array type). */
      readonly orders?: number;
      readonly pointerWidth?: PointerWidth;
    }
  | {
      readonly kind: 'address';
      readonly address: bigint;
      readonly offsets: FieldOffsets;
      /** N: the number of free lists. */
      readonly orders: number;
      readonly pointerWidth: PointerWidth;
      readonly endianness?: Endianness;
      /** Bytes of `min_block_size_log2` (a u8 in the crate). */
      readonly log2Bytes?: number;
    }
  | DiscoveredHeapSpec;

/**
 * A heap found in the program's debug info: everything is known from DWARF, so reading it needs
 * readMemory only (no evaluate, no stack frame). `address` is where it is in the running program
 * (the ELF address plus the load bias of a position-independent executable).
 */
export interface DiscoveredHeapSpec {
  readonly kind: 'discovered';
  /** The struct's full DWARF path (`prog::ALLOCATOR.inner.value`): the heap's name and label. */
  readonly path: string;
  readonly address: bigint;
  readonly offsets: FieldOffsets;
  readonly orders: number;
  readonly pointerWidth: PointerWidth;
  readonly endianness: Endianness;
  readonly log2Bytes: number;
  /** The program file the debug info came from, for messages. */
  readonly program: string;
  /** The program file was modified after the debug session started: it may not be what runs. */
  readonly programNewer?: boolean;
  /** The wrapper's lock flag, from the struct's address (non-zero while held: the free lists may be mid-update). */
  readonly lock?: LockFlagSpec;
}

/** Where a wrapper's lock flag is, relative to the heap struct, and its path for messages. */
export interface LockFlagSpec {
  readonly path: string;
  readonly offset: number;
  readonly size: number;
}

/** How a heap entry names its heap, for the log and pickers. */
export function heapSpecLabel(spec: HeapSpec): string {
  if (spec.kind === 'expression') return spec.expression;
  const at = `0x${spec.address.toString(16)}`;
  return spec.kind === 'discovered' ? l10n.t('{0} at {1}, from the debug info of {2}', spec.path, at, spec.program) : at;
}

/** A heap struct pinned down: everything needed to read and decode its bytes. */
export interface HeapLocation {
  /** Address of the struct (not of the heap region). */
  readonly address: bigint;
  readonly offsets: FieldOffsets;
  readonly orders: number;
  readonly pointerWidth: PointerWidth;
  readonly endianness: Endianness;
  readonly log2Bytes: number;
  /** Bytes from the struct's address to the end of its last field. */
  readonly span: number;
  /** How the user named it, for messages. */
  readonly label: string;
  /** The struct's type as the debugger printed it, when known (a changed type means a new location). */
  readonly type?: string;
  /**
   * A named static (a plain path such as `HEAP` or `crate::ALLOCATOR.inner.value` whose address the
   * debugger prints with a symbol): it stays put until the program is reloaded, so later stops
   * need no evaluate (nor a stack frame to evaluate in).
   */
  readonly fixed?: boolean;
  /** How N or the pointer width was settled when the settings were needed or disagreed, for the log. */
  readonly notes?: readonly string[];
  /** heap_size as the debugger printed it when the heap was located: with its bytes it tells the byte order. */
  readonly heapSizeValue?: bigint;
  /** The byte order was read from the target (not taken from the settings): it is not checked again. */
  readonly endiannessFromTarget?: boolean;
}

/** The span the five fields cover, or a reason they cannot be the fields of one Heap<N>. */
export function fieldSpan(
  offsets: FieldOffsets,
  orders: number,
  pointerWidth: number,
  log2Bytes: number,
): { span: number } | { error: string } {
  const fields = [
    { name: 'heap_base', at: offsets.heapBase, size: pointerWidth },
    { name: 'heap_size', at: offsets.heapSize, size: pointerWidth },
    { name: 'free_lists', at: offsets.freeLists, size: orders * pointerWidth },
    { name: 'min_block_size', at: offsets.minBlockSize, size: pointerWidth },
    { name: 'min_block_size_log2', at: offsets.minBlockSizeLog2, size: log2Bytes },
  ].sort((a, b) => a.at - b.at);
  for (const f of fields) {
    if (!Number.isSafeInteger(f.at) || f.at < 0)
      return { error: l10n.t('{0} has offset {1}, which is not a byte offset inside the struct', f.name, f.at) };
  }
  for (let i = 1; i < fields.length; i++) {
    const before = fields[i - 1]!;
    const field = fields[i]!;
    if (before.at + before.size > field.at)
      return { error: l10n.t('{0} (+{1}, {2} bytes) overlaps {3} (+{4})', before.name, before.at, before.size, field.name, field.at) };
  }
  const last = fields[fields.length - 1]!;
  return { span: last.at + last.size };
}

function toInteger(value: unknown): bigint | undefined {
  if (typeof value === 'number' && Number.isSafeInteger(value)) return BigInt(value);
  if (typeof value === 'string') return parseNumber(value);
  return undefined;
}

function parseEndianness(value: unknown): Endianness | undefined | 'bad' {
  if (value === undefined) return undefined;
  return value === 'little' || value === 'big' ? value : 'bad';
}

/** N: 1 to 32 free lists; undefined when not given (null counts as not given: settings default to it). */
export function parseOrders(value: unknown): number | undefined | { error: string } {
  if (value === undefined || value === null) return undefined;
  const orders = toInteger(value);
  return orders !== undefined && orders >= 1n && orders <= 32n
    ? Number(orders)
    : { error: l10n.t('"orders" (N, the number of free lists) must be 1 to 32, not {0}', JSON.stringify(value)) };
}

export function parsePointerWidth(value: unknown): PointerWidth | undefined | { error: string } {
  if (value === undefined || value === null) return undefined;
  const width = toInteger(value);
  return width === 4n || width === 8n
    ? (Number(width) as PointerWidth)
    : { error: l10n.t('"pointerWidth" must be 4 or 8, not {0}', JSON.stringify(value)) };
}

export type ParsedHeapSpec = { readonly ok: true; readonly source: HeapSpec } | { readonly ok: false; readonly message: string };

/**
 * One heap setting: `{ "expression": "HEAP" }` or `{ "address": "0x20001008", "orders": 12,
 * "pointerWidth": 4, "offsets": { "heapBase": 0, "heapSize": 4, "freeLists": 8,
 * "minBlockSize": 56, "minBlockSizeLog2": 60 } }`, each with an optional "endianness". An
 * expression may also give "orders" and "pointerWidth", for debuggers that cannot tell them.
 */
export function parseHeapSpec(value: unknown): ParsedHeapSpec {
  const example = l10n.t(
    'write {0} or {1}',
    '{ "expression": "HEAP" }',
    '{ "address": "0x20001008", "orders": 12, "pointerWidth": 4, "offsets": { "heapBase": 0, "heapSize": 4, "freeLists": 8, "minBlockSize": 56, "minBlockSizeLog2": 60 } }',
  );
  if (typeof value === 'string') value = { expression: value };
  if (!isRecord(value)) return { ok: false, message: l10n.t('A heap setting must be an object: {0}.', example) };
  const endianness = parseEndianness(value.endianness);
  if (endianness === 'bad')
    return { ok: false, message: l10n.t('"endianness" must be "little" or "big", not {0}.', JSON.stringify(value.endianness)) };
  const orders = parseOrders(value.orders);
  if (typeof orders === 'object') return { ok: false, message: `${orders.error}.` };
  const width = parsePointerWidth(value.pointerWidth);
  if (typeof width === 'object') return { ok: false, message: `${width.error}.` };
  if (value.expression !== undefined) {
    if (typeof value.expression !== 'string' || value.expression.trim() === '')
      return { ok: false, message: l10n.t('"expression" must be a non-empty debugger expression naming a Heap<N>, e.g. "HEAP".') };
    // Said when the setting is read, not at the first stop: a call the debugger would run on the target.
    const readOnly = readOnlyExpression(value.expression);
    if (!readOnly.ok) return { ok: false, message: readOnly.reason };
    return {
      ok: true,
      source: {
        kind: 'expression',
        expression: value.expression.trim(),
        ...(endianness ? { endianness } : {}),
        ...(orders !== undefined ? { orders } : {}),
        ...(width !== undefined ? { pointerWidth: width } : {}),
      },
    };
  }
  const address = toInteger(value.address);
  if (address === undefined || address <= 0n)
    return { ok: false, message: l10n.t('A heap setting needs an "expression" or a non-zero "address"; {0}.', example) };
  if (orders === undefined)
    return { ok: false, message: l10n.t('An address heap setting needs "orders" (N, the number of free lists, 1 to 32); {0}.', example) };
  if (width === undefined) return { ok: false, message: l10n.t('An address heap setting needs "pointerWidth" (4 or 8); {0}.', example) };
  const log2Bytes = value.log2Bytes === undefined ? 1n : toInteger(value.log2Bytes);
  if (log2Bytes === undefined || log2Bytes < 1n || log2Bytes > 8n) return { ok: false, message: l10n.t('"log2Bytes" must be 1 to 8.') };
  if (!isRecord(value.offsets))
    return { ok: false, message: l10n.t('An address heap setting needs "offsets" for all five fields; {0}.', example) };
  const rawOffsets = value.offsets;
  const offsets: Partial<Record<keyof FieldOffsets, number>> = {};
  for (const key of Object.keys(FIELD_NAMES) as (keyof FieldOffsets)[]) {
    const offset = toInteger(rawOffsets[key]);
    if (offset === undefined || offset < 0n || offset > 1n << 20n)
      return {
        ok: false,
        message: l10n.t('"offsets.{0}" (the byte offset of {1}) is missing or not a small non-negative number.', key, FIELD_NAMES[key]),
      };
    offsets[key] = Number(offset);
  }
  const complete = offsets as FieldOffsets;
  const span = fieldSpan(complete, orders, width, Number(log2Bytes));
  if ('error' in span) return { ok: false, message: l10n.t('The heap offsets cannot describe a Heap<{0}>: {1}.', orders, span.error) };
  return {
    ok: true,
    source: {
      kind: 'address',
      address,
      offsets: complete,
      orders,
      pointerWidth: width,
      log2Bytes: Number(log2Bytes),
      ...(endianness ? { endianness } : {}),
    },
  };
}
