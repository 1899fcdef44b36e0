// Parsing numbers the way users type them: decimal, 0x hex, and k/M/G binary suffixes.
// Everything is bigint so a 64-bit address never loses a bit.

const PATTERN = /^(0x[0-9a-f]+|0b[01]+|\d+)\s*([kmg]i?b?)?$/i;
const SUFFIX: Readonly<Record<string, bigint>> = { k: 1n << 10n, m: 1n << 20n, g: 1n << 30n };

/** Parses `64`, `0x40`, `1k`, `4KiB`, `2M`; underscores are allowed as digit separators. Undefined when it is not a number. */
export function parseNumber(text: string): bigint | undefined {
  const cleaned = text.trim().replace(/_/g, '');
  const match = PATTERN.exec(cleaned);
  if (!match || match[1] === undefined) return undefined;
  const value = BigInt(match[1]);
  const suffix = match[2]?.[0]?.toLowerCase();
  return suffix ? value * (SUFFIX[suffix] ?? 1n) : value;
}

/** The largest number a trace can hold: every address, size and alignment of a 64-bit target fits. */
export const MAX_TRACE_NUMBER = 0xffff_ffff_ffff_ffffn;
/** Digits of MAX_TRACE_NUMBER: a longer number is refused before BigInt spends ~1 s per MB of digits on it. */
const MAX_HEX_DIGITS = 16;
const MAX_DECIMAL_DIGITS = 20;

/**
 * Strict form for trace files: decimal or 0x hex only, no suffixes. Undefined when it is not a
 * number; null when it is longer or larger than MAX_TRACE_NUMBER (no heap has such a value).
 */
export function parseTraceNumber(text: string): bigint | null | undefined {
  if (!/^(0x[0-9a-f]+|\d+)$/i.test(text)) return undefined;
  const hex = text.length > 1 && (text.charCodeAt(1) | 32) === 120;
  if (hex ? text.length - 2 > MAX_HEX_DIGITS : text.length > MAX_DECIMAL_DIGITS) return null;
  const value = BigInt(text);
  return value > MAX_TRACE_NUMBER ? null : value;
}
