// Why a heap expression is refused, in words a user can act on: the refused token, its column,
// what it would do on the target, and how to write the heap instead.

export type Refusal =
  /** A token the grammar has no place for here. `expected` says what could have come instead. */
  | { readonly kind: 'token'; readonly token: string; readonly column: number; readonly leading: boolean; readonly expected?: string }
  /** A call: `callee(args)`, refused unless it is a lock-like or unwrap method with no arguments. */
  | { readonly kind: 'call'; readonly callee: string; readonly args: string; readonly column: number; readonly lockWithArgs: boolean }
  /** `f(HEAP`: a call whose parenthesis is never closed. */
  | { readonly kind: 'unclosed'; readonly callee: string; readonly column: number }
  | { readonly kind: 'tooLong'; readonly length: number }
  | { readonly kind: 'tooDeep'; readonly column: number };

/** Longer than any name of a heap; keeps parsing and every message small. */
export const MAX_EXPRESSION_LENGTH = 1000;
/** Nesting of parentheses, casts and unary operators. */
export const MAX_DEPTH = 64;

export const HOW_TO_WRITE =
  'A heap expression only names memory: a path (HEAP, my_crate::ALLOCATOR), fields (.inner, ->next, .0), constant indexes ([3]), * and &, parentheses, a pointer cast ((struct heap *)0x20001000, or Rust\'s "as *mut Heap<16>"), sizeof and + or - between those. Write e.g. "HEAP" or "my_crate::ALLOCATOR.inner.value", or give the heap\'s address and field offsets instead.';

const CALL_FIX =
  'Name the heap by its fields instead, e.g. "ALLOCATOR.inner" or "HEAP.data.value" for a heap inside a lock (the lock\'s data field), or give the heap\'s address and field offsets.';

const ASSIGNMENTS = new Set(['=', '+=', '-=', '*=', '/=', '%=', '&=', '|=', '^=', '<<=', '>>=']);

/** What a refused token would do, or why it has no place in a heap's name. */
function whyRefused(token: string, leading: boolean, expected: string | undefined): string {
  if (ASSIGNMENTS.has(token)) return 'an assignment writes target memory';
  if (token === '++' || token === '--') return 'an increment or decrement writes target memory';
  if (token === ',') return 'a comma evaluates several expressions, e.g. an assignment before the heap';
  if (token === '"' || token === "'")
    return "string and character literals have no place in a heap's name (and a quote can hide what follows it)";
  if (token === '`') return 'a backtick makes some adapters (lldb-dap) run the rest as a debugger command';
  if (token.startsWith('$'))
    return 'registers, convenience variables and functions ($pc, $1, $_…) can be assigned or called, and never name a static heap';
  if (leading && token.startsWith('-')) return 'a leading "-" makes adapters run the rest as a debugger command (-exec, MI commands)';
  if (leading && token === '>') return 'a leading ">" makes cdt-gdb-adapter run the rest as a gdb command';
  if (/^[0-9]/.test(token) && /[A-Za-z_]/.test(token))
    return "it is not a plain integer (decimal or 0x hex, with at most C's u/l suffixes)";
  if (token.length === 1 && !/[ -~]/.test(token)) return 'it is not a character any heap expression has';
  return expected ? `${expected} was expected here` : 'it is not part of a heap expression';
}

/** Shows an unprintable character by its code point, so the message itself stays plain text. */
function shown(token: string): string {
  return token.replace(/[^ -~]/gu, c => `U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`);
}

/** The message for a refused expression. */
export function refusalMessage(expression: string, refusal: Refusal): string {
  const quoted = `"${shown(expression.length > 200 ? `${expression.slice(0, 200)}…` : expression)}"`;
  switch (refusal.kind) {
    case 'call': {
      const lockLike = refusal.lockWithArgs ? ` (${refusal.callee} with arguments is not a lock)` : '';
      return `${quoted} calls ${shown(refusal.callee)}(${shown(refusal.args)}) on the target${lockLike} (the "(" at column ${refusal.column}): a debugger runs the call in the target, which can take locks or write memory, and this extension never changes target memory. ${CALL_FIX}`;
    }
    case 'unclosed':
      return `${quoted} has an unclosed "(" after ${shown(refusal.callee)} (column ${refusal.column}), and a call would run on the target anyway: this extension never changes target memory. ${CALL_FIX}`;
    case 'tooLong':
      return `The heap expression is ${refusal.length} characters long, more than the ${MAX_EXPRESSION_LENGTH} any heap's name needs. ${HOW_TO_WRITE}`;
    case 'tooDeep':
      return `${quoted} nests parentheses, casts or * and & more than ${MAX_DEPTH} deep (at column ${refusal.column}). ${HOW_TO_WRITE}`;
    case 'token':
      if (refusal.token === '(end)')
        return `${quoted} ends too early (column ${refusal.column}): ${refusal.expected ?? 'more'} was expected. ${HOW_TO_WRITE}`;
      return `${quoted} is refused at "${shown(refusal.token)}" (column ${refusal.column}): ${whyRefused(refusal.token, refusal.leading, refusal.expected)}; this extension never changes target memory. ${HOW_TO_WRITE}`;
  }
}
