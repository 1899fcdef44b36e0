// The trace format: one operation a line, `#` starts a comment, numbers decimal or 0x hex.
//   heap <size> orders=<N> [base=<address>] [ptr=4|8] [endian=little|big]
//   alloc <size> <align> [owner=<label>]
//   free <address> <size> <align>
//   dump
// A malformed line is a TraceSyntaxError naming the line number, its text and what was expected.
import type { Endianness, PointerWidth } from '../layout';
import { parseTraceNumber } from '../numbers';

export const DEFAULT_TRACE_BASE = 0x2000_0000n;

export type TraceOp =
  | {
      readonly op: 'heap';
      readonly line: number;
      readonly size: bigint;
      readonly orders: number;
      readonly base: bigint;
      readonly pointerWidth: PointerWidth;
      readonly endianness: Endianness;
    }
  | { readonly op: 'alloc'; readonly line: number; readonly size: bigint; readonly align: bigint; readonly owner?: string }
  | { readonly op: 'free'; readonly line: number; readonly address: bigint; readonly size: bigint; readonly align: bigint }
  | { readonly op: 'dump'; readonly line: number };

export class TraceSyntaxError extends Error {
  constructor(
    readonly line: number,
    readonly text: string,
    readonly expected: string,
  ) {
    super(`line ${line}: "${text}": expected ${expected}`);
    this.name = 'TraceSyntaxError';
  }
}

const USAGE: Readonly<Record<TraceOp['op'], string>> = {
  heap: 'heap <size> orders=<N> [base=<address>] [ptr=4|8] [endian=little|big]',
  alloc: 'alloc <size> <align> [owner=<label>]',
  free: 'free <address> <size> <align>',
  dump: 'dump',
};

/** Parses a whole trace; throws TraceSyntaxError at the first malformed line. */
export function parseTrace(text: string): TraceOp[] {
  const ops: TraceOp[] = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const op = parseTraceLine(lines[i]!, i + 1);
    if (op) ops.push(op);
  }
  return ops;
}

/** One line; undefined for blank and comment-only lines. */
export function parseTraceLine(raw: string, line: number): TraceOp | undefined {
  const hash = raw.indexOf('#');
  const text = (hash >= 0 ? raw.slice(0, hash) : raw).trim();
  if (text === '') return undefined;
  const words = text.split(/\s+/);
  const keyword = words[0]!;
  const fail = (expected: string): never => {
    throw new TraceSyntaxError(line, raw.trim(), expected);
  };
  const number = (word: string | undefined, what: string, usage: string): bigint => {
    if (word === undefined) return fail(`${usage} (missing ${what})`);
    const value = parseTraceNumber(word);
    return value ?? fail(`${usage} (${what} "${word}" is not a decimal or 0x hex number)`);
  };
  switch (keyword) {
    case 'heap': {
      const usage = USAGE.heap;
      const size = number(words[1], 'size', usage);
      const options = parseOptions(words.slice(2), ['orders', 'base', 'ptr', 'endian'], usage, fail);
      if (options.orders === undefined) return fail(`${usage} (missing orders=<N>)`);
      const orders = number(options.orders, 'orders', usage);
      if (orders < 1n || orders > 32n) return fail(`${usage} (orders must be 1 to 32, got ${orders})`);
      const base = options.base === undefined ? DEFAULT_TRACE_BASE : number(options.base, 'base', usage);
      const ptr = options.ptr ?? '4';
      if (ptr !== '4' && ptr !== '8') return fail(`${usage} (ptr must be 4 or 8, got "${ptr}")`);
      const endian = options.endian ?? 'little';
      if (endian !== 'little' && endian !== 'big') return fail(`${usage} (endian must be little or big, got "${endian}")`);
      return { op: 'heap', line, size, orders: Number(orders), base, pointerWidth: ptr === '4' ? 4 : 8, endianness: endian };
    }
    case 'alloc': {
      const usage = USAGE.alloc;
      const size = number(words[1], 'size', usage);
      const align = number(words[2], 'align', usage);
      const options = parseOptions(words.slice(3), ['owner'], usage, fail);
      return options.owner === undefined ? { op: 'alloc', line, size, align } : { op: 'alloc', line, size, align, owner: options.owner };
    }
    case 'free': {
      const usage = USAGE.free;
      const address = number(words[1], 'address', usage);
      const size = number(words[2], 'size', usage);
      const align = number(words[3], 'align', usage);
      if (words.length > 4) return fail(`${usage} (unexpected "${words.slice(4).join(' ')}")`);
      return { op: 'free', line, address, size, align };
    }
    case 'dump':
      if (words.length > 1) return fail(`${USAGE.dump} (unexpected "${words.slice(1).join(' ')}")`);
      return { op: 'dump', line };
    default:
      return fail(`one of: ${Object.values(USAGE).join(' | ')} (unknown operation "${keyword}")`);
  }
}

function parseOptions(
  words: readonly string[],
  allowed: readonly string[],
  usage: string,
  fail: (expected: string) => never,
): Record<string, string | undefined> {
  const options: Record<string, string | undefined> = {};
  for (const word of words) {
    const eq = word.indexOf('=');
    const key = eq > 0 ? word.slice(0, eq) : '';
    const value = word.slice(eq + 1);
    if (!allowed.includes(key)) fail(`${usage} (unexpected "${word}")`);
    if (options[key] !== undefined) fail(`${usage} (${key}= given twice)`);
    if (value === '') fail(`${usage} (${key}= has no value)`);
    options[key] = value;
  }
  return options;
}

/** One operation as a trace line (what Export Trace writes and `replay` reads back). */
export function formatTraceOp(op: TraceOp): string {
  const h = (v: bigint) => '0x' + v.toString(16);
  switch (op.op) {
    case 'heap':
      return `heap ${h(op.size)} orders=${op.orders} base=${h(op.base)} ptr=${op.pointerWidth} endian=${op.endianness}`;
    case 'alloc':
      return `alloc ${op.size} ${op.align}${op.owner !== undefined ? ` owner=${op.owner}` : ''}`;
    case 'free':
      return `free ${h(op.address)} ${op.size} ${op.align}`;
    case 'dump':
      return 'dump';
  }
}

/** Owner labels are one word: no whitespace and no `#`, so a trace line can carry them. */
export function ownerLabelProblem(label: string): string | undefined {
  if (label.length === 0) return 'an owner label cannot be empty';
  if (/\s/.test(label)) return `owner label "${label}" contains white space; use e.g. net/rx or task:logger`;
  if (label.includes('#')) return `owner label "${label}" contains "#", which starts a comment in a trace`;
  if (label.length > 128) return 'an owner label is at most 128 characters';
  return undefined;
}
