// The trace format: one operation a line, `#` starts a comment, numbers decimal or 0x hex.
//   heap <size> orders=<N> [base=<address>] [ptr=4|8] [endian=little|big]
//   alloc <size> <align> [owner=<label>]
//   free <address> <size> <align>
//   dump
// A malformed line is a TraceSyntaxError naming the line number, its text and what was expected,
// with the text quoted safely for a terminal (control characters escaped, long text cut).
import type { Endianness, PointerWidth } from '../layout';
import { parseTraceNumber } from '../numbers';
import { quoteText } from '../util/quote';

export const DEFAULT_TRACE_BASE = 0x2000_0000n;
/**
 * The longest operation a line may hold (its part before any `#` comment): a real one is under 200
 * characters, and a bound lets a reader drop an over-long line's rest instead of holding it.
 */
export const MAX_OPERATION_LENGTH = 128 * 1024;
/** How much of a line or a word an error message quotes. */
const QUOTED_LINE = 120;
const QUOTED_WORD = 40;

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
  /**
   * `text` is the line as read (a reader may give only the start of an over-long line, with
   * `fullLength` saying how long it was, e.g. "4194304 bytes").
   */
  constructor(
    readonly line: number,
    readonly text: string,
    readonly expected: string,
    fullLength?: string,
  ) {
    super(`line ${line}: ${quoteText(text, QUOTED_LINE, fullLength)}: expected ${expected}`);
    this.name = 'TraceSyntaxError';
  }
}

/** A word of a line, quoted for a message. */
const word = (text: string): string => quoteText(text, QUOTED_WORD);

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
  const operation = hash >= 0 ? raw.slice(0, hash) : raw;
  const fail = (expected: string): never => {
    throw new TraceSyntaxError(line, raw.trim(), expected);
  };
  if (operation.length > MAX_OPERATION_LENGTH)
    return fail(`an operation of at most ${MAX_OPERATION_LENGTH} characters before any # comment (this one has ${operation.length})`);
  const text = operation.trim();
  if (text === '') return undefined;
  const words = text.split(/\s+/);
  const keyword = words[0]!;
  const number = (text: string | undefined, what: string, usage: string): bigint => {
    if (text === undefined) return fail(`${usage} (missing ${what})`);
    const value = parseTraceNumber(text);
    if (value === undefined) return fail(`${usage} (${what} ${word(text)} is not a decimal or 0x hex number)`);
    if (value === null) return fail(`${usage} (${what} ${word(text)} is larger than 0xffffffffffffffff, the largest 64-bit value)`);
    return value;
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
      if (ptr !== '4' && ptr !== '8') return fail(`${usage} (ptr must be 4 or 8, got ${word(ptr)})`);
      const endian = options.endian ?? 'little';
      if (endian !== 'little' && endian !== 'big') return fail(`${usage} (endian must be little or big, got ${word(endian)})`);
      return { op: 'heap', line, size, orders: Number(orders), base, pointerWidth: ptr === '4' ? 4 : 8, endianness: endian };
    }
    case 'alloc': {
      const usage = USAGE.alloc;
      const size = number(words[1], 'size', usage);
      const align = number(words[2], 'align', usage);
      const options = parseOptions(words.slice(3), ['owner'], usage, fail);
      const problem = options.owner === undefined ? undefined : ownerLabelProblem(options.owner);
      if (problem !== undefined) return fail(`${usage} (${problem})`);
      return options.owner === undefined ? { op: 'alloc', line, size, align } : { op: 'alloc', line, size, align, owner: options.owner };
    }
    case 'free': {
      const usage = USAGE.free;
      const address = number(words[1], 'address', usage);
      const size = number(words[2], 'size', usage);
      const align = number(words[3], 'align', usage);
      if (words.length > 4) return fail(`${usage} (unexpected ${word(words.slice(4).join(' '))})`);
      return { op: 'free', line, address, size, align };
    }
    case 'dump':
      if (words.length > 1) return fail(`${USAGE.dump} (unexpected ${word(words.slice(1).join(' '))})`);
      return { op: 'dump', line };
    default:
      return fail(`one of: ${Object.values(USAGE).join(' | ')} (unknown operation ${word(keyword)})`);
  }
}

function parseOptions(
  words: readonly string[],
  allowed: readonly string[],
  usage: string,
  fail: (expected: string) => never,
): Record<string, string | undefined> {
  const options: Record<string, string | undefined> = {};
  for (const option of words) {
    const eq = option.indexOf('=');
    const key = eq > 0 ? option.slice(0, eq) : '';
    const value = option.slice(eq + 1);
    if (!allowed.includes(key)) fail(`${usage} (unexpected ${word(option)})`);
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

const MAX_OWNER_LABEL = 128;

/** Owner labels are one word: no whitespace and no `#`, so a trace line can carry them. */
export function ownerLabelProblem(label: string): string | undefined {
  if (label.length === 0) return 'an owner label cannot be empty';
  if (label.length > MAX_OWNER_LABEL) return `an owner label is at most ${MAX_OWNER_LABEL} characters (${word(label)})`;
  if (/\s/.test(label)) return `owner label ${word(label)} contains white space; use e.g. net/rx or task:logger`;
  if (label.includes('#')) return `owner label ${word(label)} contains "#", which starts a comment in a trace`;
  return undefined;
}
