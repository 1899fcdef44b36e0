// Reading a heap layout from what people type or write in settings and *.buddyheap.json files:
// numbers as `64`, `0x40` or `1k`, every field checked, and the seed's layout errors in words.
import * as l10n from '@vscode/l10n';
import { Endianness, HEAP_ERROR_EXPLANATIONS, HeapLayout, MAX_ORDERS, PointerWidth, hex, validateLayout } from '../../core/layout';
import { MAX_SIMULATED_LEAVES } from '../../core/model/buddyHeap';
import { parseNumber } from '../../core/numbers';

export const DEFAULT_LAYOUT: HeapLayout = { base: 0x2000_0000n, size: 0x1_0000n, orders: 12, pointerWidth: 4, endianness: 'little' };

/** A layout as written by a person: strings or numbers, any field may be missing (→ default). */
export interface LayoutInput {
  readonly base?: unknown;
  readonly size?: unknown;
  readonly orders?: unknown;
  readonly pointerWidth?: unknown;
  readonly endianness?: unknown;
}

export type LayoutField = keyof LayoutInput;

export type LayoutResult =
  | { readonly ok: true; readonly layout: HeapLayout }
  | { readonly ok: false; readonly field?: LayoutField; readonly error: string; readonly message: string };

/** Parses one number field; undefined when it is not a number as users write them. */
export function parseNumberField(value: unknown): bigint | undefined {
  if (typeof value === 'number') return Number.isSafeInteger(value) && value >= 0 ? BigInt(value) : undefined;
  if (typeof value === 'bigint') return value >= 0n ? value : undefined;
  if (typeof value === 'string') return parseNumber(value);
  return undefined;
}

/** Why a typed number is not acceptable (for quick input validation), or undefined when it is. */
export function numberInputProblem(text: string, what: string, options: { min?: bigint; max?: bigint } = {}): string | undefined {
  const value = parseNumber(text);
  if (value === undefined) return l10n.t('{0} must be a number: 64, 0x40 or 1k', what);
  if (options.min !== undefined && value < options.min) return l10n.t('{0} must be at least {1}', what, String(options.min));
  if (options.max !== undefined && value > options.max)
    return l10n.t('{0} must be at most {1} ({2})', what, String(options.max), hex(options.max));
  return undefined;
}

export function parseLayout(input: LayoutInput, defaults: HeapLayout = DEFAULT_LAYOUT): LayoutResult {
  const base = input.base === undefined ? defaults.base : parseNumberField(input.base);
  if (base === undefined) return fieldError('base', l10n.t('the base address must be a number such as 0x20000000'));
  const size = input.size === undefined ? defaults.size : parseNumberField(input.size);
  if (size === undefined) return fieldError('size', l10n.t('the heap size must be a number such as 65536, 0x10000 or 64k'));
  const ordersBig = input.orders === undefined ? BigInt(defaults.orders) : parseNumberField(input.orders);
  if (ordersBig === undefined || ordersBig < 1n || ordersBig > BigInt(MAX_ORDERS))
    return fieldError('orders', HEAP_ERROR_EXPLANATIONS.BadOrders);
  const width = input.pointerWidth === undefined ? BigInt(defaults.pointerWidth) : parseNumberField(input.pointerWidth);
  if (width !== 4n && width !== 8n) return fieldError('pointerWidth', HEAP_ERROR_EXPLANATIONS.BadPointerWidth);
  const endianness = input.endianness === undefined ? defaults.endianness : input.endianness;
  if (endianness !== 'little' && endianness !== 'big') return fieldError('endianness', HEAP_ERROR_EXPLANATIONS.BadEndianness);
  const layout: HeapLayout = {
    base,
    size,
    orders: Number(ordersBig),
    pointerWidth: Number(width) as PointerWidth,
    endianness: endianness as Endianness,
  };
  return checkLayout(layout);
}

/** The seed's verdict on a layout, explained; plus the simulation's own size limit. */
export function checkLayout(layout: HeapLayout): LayoutResult {
  const error = validateLayout(layout);
  if (error) {
    return {
      ok: false,
      error,
      message: l10n.t('The layout is invalid ({0}): {1}.', error, HEAP_ERROR_EXPLANATIONS[error]),
      ...(fieldOf(error) ? { field: fieldOf(error)! } : {}),
    };
  }
  if (1n << BigInt(layout.orders - 1) > BigInt(MAX_SIMULATED_LEAVES)) {
    return {
      ok: false,
      field: 'orders',
      error: 'TooManyBlocksToSimulate',
      message: l10n.t(
        'The layout is valid but has more than {0} minimum blocks (2^(orders - 1)), more than the panel simulates; use at most {1} orders, or replay larger heaps with the buddy-heap CLI.',
        MAX_SIMULATED_LEAVES,
        Math.log2(MAX_SIMULATED_LEAVES) + 1,
      ),
    };
  }
  return { ok: true, layout };
}

function fieldOf(error: string): LayoutField | undefined {
  switch (error) {
    case 'BadBaseAlignment':
    case 'NullBase':
      return 'base';
    case 'BadHeapSize':
    case 'BadSizeAlignment':
    case 'AddressOverflow':
      return 'size';
    case 'MinBlockTooSmall':
    case 'BadOrders':
      return 'orders';
    case 'BadPointerWidth':
      return 'pointerWidth';
    case 'BadEndianness':
      return 'endianness';
    default:
      return undefined;
  }
}

function fieldError(field: LayoutField, explanation: string): LayoutResult {
  return { ok: false, field, error: 'BadInput', message: l10n.t('The layout is invalid: {0}.', explanation) };
}

/** The layout as a *.buddyheap.json / settings object (numbers in the spelling people read). */
export function layoutToJson(layout: HeapLayout): Record<string, string | number> {
  return {
    base: hex(layout.base),
    size: hex(layout.size),
    orders: layout.orders,
    pointerWidth: layout.pointerWidth,
    endianness: layout.endianness,
  };
}
