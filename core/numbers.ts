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

/** Strict form for trace files: decimal or 0x hex only, no suffixes. */
export function parseTraceNumber(text: string): bigint | undefined {
  return /^(0x[0-9a-f]+|\d+)$/i.test(text) ? BigInt(text) : undefined;
}
