// Why a heap expression is refused, in words a user can act on: the refused token, its column,
// what it would do on the target, and how to write the heap instead.
import * as l10n from '@vscode/l10n';

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

/** How a heap expression is written, said after each refusal. */
export const howToWrite = (): string =>
  l10n.t(
    'A heap expression only names memory: a path (HEAP, my_crate::ALLOCATOR), fields (.inner, ->next, .0), constant indexes ([3]), * and &, parentheses, a pointer cast ((struct heap *)0x20001000, or Rust\'s "as *mut Heap<16>"), sizeof and + or - between those. Write e.g. "HEAP" or "my_crate::ALLOCATOR.inner.value", or give the heap\'s address and field offsets instead.',
  );

const callFix = (): string =>
  l10n.t(
    'Name the heap by its fields instead, e.g. "ALLOCATOR.inner" or "HEAP.data.value" for a heap inside a lock (the lock\'s data field), or give the heap\'s address and field offsets.',
  );

const ASSIGNMENTS = new Set(['=', '+=', '-=', '*=', '/=', '%=', '&=', '|=', '^=', '<<=', '>>=']);

/** What a refused token would do, or why it has no place in a heap's name. */
function whyRefused(token: string, leading: boolean, expected: string | undefined): string {
  if (ASSIGNMENTS.has(token)) return l10n.t('an assignment writes target memory');
  if (token === '++' || token === '--') return l10n.t('an increment or decrement writes target memory');
  if (token === ',') return l10n.t('a comma evaluates several expressions, e.g. an assignment before the heap');
  if (token === '"' || token === "'")
    return l10n.t("string and character literals have no place in a heap's name (and a quote can hide what follows it)");
  if (token === '`') return l10n.t('a backtick makes some adapters (lldb-dap) run the rest as a debugger command');
  if (token.startsWith('$'))
    return l10n.t('registers, convenience variables and functions ($pc, $1, $_…) can be assigned or called, and never name a static heap');
  if (leading && token.startsWith('-'))
    return l10n.t('a leading "-" makes adapters run the rest as a debugger command (-exec, MI commands)');
  if (leading && token === '>') return l10n.t('a leading ">" makes cdt-gdb-adapter run the rest as a gdb command');
  if (/^[0-9]/.test(token) && /[A-Za-z_]/.test(token))
    return l10n.t("it is not a plain integer (decimal or 0x hex, with at most C's u/l suffixes)");
  if (token.length === 1 && !/[ -~]/.test(token)) return l10n.t('it is not a character any heap expression has');
  return expected ? l10n.t('{0} was expected here', expected) : l10n.t('it is not part of a heap expression');
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
      const call = `${shown(refusal.callee)}(${shown(refusal.args)})`;
      const said = refusal.lockWithArgs
        ? l10n.t(
            '{0} calls {1} on the target ({2} with arguments is not a lock) (the "(" at column {3}): a debugger runs the call in the target, which can take locks or write memory, and this extension never changes target memory.',
            quoted,
            call,
            refusal.callee,
            refusal.column,
          )
        : l10n.t(
            '{0} calls {1} on the target (the "(" at column {2}): a debugger runs the call in the target, which can take locks or write memory, and this extension never changes target memory.',
            quoted,
            call,
            refusal.column,
          );
      return `${said} ${callFix()}`;
    }
    case 'unclosed':
      return `${l10n.t(
        '{0} has an unclosed "(" after {1} (column {2}), and a call would run on the target anyway: this extension never changes target memory.',
        quoted,
        shown(refusal.callee),
        refusal.column,
      )} ${callFix()}`;
    case 'tooLong':
      return `${l10n.t("The heap expression is {0} characters long, more than the {1} any heap's name needs.", refusal.length, MAX_EXPRESSION_LENGTH)} ${howToWrite()}`;
    case 'tooDeep':
      return `${l10n.t('{0} nests parentheses, casts or * and & more than {1} deep (at column {2}).', quoted, MAX_DEPTH, refusal.column)} ${howToWrite()}`;
    case 'token':
      if (refusal.token === '(end)')
        return `${l10n.t('{0} ends too early (column {1}): {2} was expected.', quoted, refusal.column, refusal.expected ?? l10n.t('more'))} ${howToWrite()}`;
      return `${l10n.t(
        '{0} is refused at "{1}" (column {2}): {3}; this extension never changes target memory.',
        quoted,
        shown(refusal.token),
        refusal.column,
        whyRefused(refusal.token, refusal.leading, refusal.expected),
      )} ${howToWrite()}`;
  }
}
