// Reading values out of evaluate results, whose text is the debugger's and not DAP's:
// gdb answers `0x20000008 <HEAP+4>`, `0x20001000 <heap_mem> ""`, `64`, `5 '\005'`, and reports
// some failures as success with `Error: ...` or an empty result.
import * as l10n from '@vscode/l10n';

/** Why a result carries no value, or undefined when it looks like a value. */
export function resultFailure(result: string): string | undefined {
  const text = result.trim();
  if (text === '') return l10n.t('the debugger returned an empty result (unreadable memory or an invalid index)');
  if (/^(error|<error)\b/i.test(text) || /^-var-create: /.test(text)) return text.replace(/^<|>$/g, '');
  if (/^<(optimized out|unavailable|not available)>/i.test(text)) return text;
  if (/^(No symbol|There is no member|Attempt to|Cannot access|Could not|cannot|unable to)/i.test(text)) return text;
  return undefined;
}

/** The address a pointer result starts with; symbol suffixes after the hex are ignored. */
export function leadingAddress(result: string): bigint | undefined {
  const match = /^\s*(?:\([^)]*\)\s*)?(0x[0-9a-f]+)/i.exec(result);
  return match?.[1] === undefined ? undefined : BigInt(match[1]);
}

/** An integer result: decimal or hex, possibly followed by a char rendering or a type suffix. */
export function leadingInteger(result: string): bigint | undefined {
  const match = /^\s*(0x[0-9a-f]+|\d+)(?![0-9a-z.])|^\s*(0x[0-9a-f]+|\d+)(?:_?(?:u|i)(?:8|16|32|64|128|size))\b/i.exec(result);
  const digits = match?.[1] ?? match?.[2];
  return digits === undefined ? undefined : BigInt(digits);
}

/** N from an array type: C `FreeBlock *(*)[12]` / `FreeBlock *[12]`, Rust `*mut [*mut FreeBlock; 16]`. */
export function arrayLengthFromType(type: string | undefined): number | undefined {
  if (!type) return undefined;
  const match = /;\s*(\d+)\s*\]\s*$/.exec(type) ?? /\[(\d+)\]\s*$/.exec(type);
  return match?.[1] === undefined ? undefined : Number(match[1]);
}
