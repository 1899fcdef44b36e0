// Rust symbol names as paths ("alloc::alloc::handle_alloc_error"), from either mangling: legacy
// (_ZN…17h<hash>E) or v0 (_R…). Only plain paths are decoded — the allocation-failure functions
// are plain functions; generic instances, impls and back-references give undefined, never a guess.

/** The path a Rust symbol names, without hash or crate disambiguators; undefined when not a plain Rust path. */
export function rustSymbolPath(symbol: string): string | undefined {
  if (symbol.startsWith('_ZN')) return legacyPath(symbol);
  const v0 = symbol.startsWith('_R') ? 2 : symbol.startsWith('R') ? 1 : -1;
  return v0 < 0 ? undefined : v0Path(symbol, v0);
}

function legacyPath(symbol: string): string | undefined {
  const parts: string[] = [];
  let at = 3;
  while (at < symbol.length && symbol[at] !== 'E') {
    const length = decimalAt(symbol, at);
    if (!length) return undefined;
    const ident = symbol.slice(length.end, length.end + length.value);
    if (ident.length !== length.value) return undefined;
    parts.push(ident);
    at = length.end + length.value;
  }
  if (symbol[at] !== 'E' || parts.length === 0) return undefined;
  // The last component of a legacy name is its hash, h + 16 hex digits.
  if (/^h[0-9a-f]{16}$/.test(parts[parts.length - 1]!)) parts.pop();
  return parts.length > 0 ? parts.join('::') : undefined;
}

function v0Path(symbol: string, start: number): string | undefined {
  const parts: string[] = [];
  const path = (at: number): number | undefined => {
    const tag = symbol[at];
    if (tag === 'C') {
      const ident = identAt(symbol, disambiguatorEnd(symbol, at + 1));
      if (!ident) return undefined;
      parts.push(ident.text);
      return ident.end;
    }
    if (tag === 'N') {
      // N <namespace letter> <path> [disambiguator] <identifier>
      const namespace = symbol[at + 1];
      if (!namespace || !/[a-zA-Z]/.test(namespace)) return undefined;
      const inner = path(at + 2);
      if (inner === undefined) return undefined;
      const ident = identAt(symbol, disambiguatorEnd(symbol, inner));
      if (!ident) return undefined;
      // Closures and shims have empty names: not a function a user would name.
      if (ident.text === '') return undefined;
      parts.push(ident.text);
      return ident.end;
    }
    return undefined;
  };
  const end = path(start);
  return end === undefined ? undefined : parts.join('::');
}

/** Skips an optional `s <base-62> _` disambiguator. */
function disambiguatorEnd(symbol: string, at: number): number {
  if (symbol[at] !== 's') return at;
  const close = symbol.indexOf('_', at + 1);
  return close < 0 ? at : close + 1;
}

/** `<decimal> [_] <bytes>`; punycode (`u` prefix) is not decoded. */
function identAt(symbol: string, at: number): { text: string; end: number } | undefined {
  if (symbol[at] === 'u') return undefined;
  const length = decimalAt(symbol, at);
  if (!length) return undefined;
  let from = length.end;
  if (symbol[from] === '_') from++;
  const text = symbol.slice(from, from + length.value);
  return text.length === length.value ? { text, end: from + length.value } : undefined;
}

function decimalAt(symbol: string, at: number): { value: number; end: number } | undefined {
  const match = /^(0|[1-9][0-9]{0,5})/.exec(symbol.slice(at, at + 6));
  return match ? { value: Number(match[1]), end: at + match[1]!.length } : undefined;
}
