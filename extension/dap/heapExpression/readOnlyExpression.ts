// A heap expression as the debugger may see it: parsed by the allow-list grammar (parse.ts), lock
// calls replaced by the locked value's fields (lockRewrite.ts), and printed from the tree
// (print.ts). Heap expressions come from settings, the workspace's layout file, the Attach
// command and a variable's evaluateName, and are evaluated at every stop: none may write target
// memory or run target code.
import { withoutLockCalls } from './lockRewrite';
import { parseHeapExpression } from './parse';
import { printExpression } from './print';
import { refusalMessage } from './refusal';

export type ReadOnlyExpression =
  /** Expressions to try in order; the first that is a Heap<N> wins. `rewritten` says a lock call was replaced. */
  | { readonly ok: true; readonly candidates: readonly string[]; readonly rewritten: boolean }
  | { readonly ok: false; readonly reason: string };

/** The printed, side-effect-free spellings of `expression`, or why it is refused (naming the token and the fix). */
export function readOnlyExpression(expression: string): ReadOnlyExpression {
  const parsed = parseHeapExpression(expression);
  if (!parsed.ok) return { ok: false, reason: refusalMessage(expression, parsed.refusal) };
  const { alternatives, rewritten } = withoutLockCalls(parsed.expr);
  return { ok: true, candidates: [...new Set(alternatives.map(printExpression))], rewritten };
}
