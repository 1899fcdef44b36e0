// Replaces the lock-like method calls of a parsed heap expression by the fields that hold the
// locked value (lockCalls.ts), and drops unwraps. The wrapper's type is unknown here, so each
// lock call becomes several spellings, tried in order by the caller; the product stays small.
import { LOCKED_VALUE_PATHS, UNWRAPS } from './lockCalls';
import { type Expr, isTypeName } from './syntax';

/** Most expressions tried for one heap setting (a wrong one costs one evaluate). */
export const MAX_CANDIDATES = 8;

function fields(base: Expr, names: readonly string[]): Expr {
  return names.reduce<Expr>((expr, name) => ({ kind: 'field', base: expr, name, arrow: false }), base);
}

function lockPaths(name: string): readonly (readonly string[])[] {
  const paths = LOCKED_VALUE_PATHS.get(name);
  if (!paths) throw new Error(`internal error: .${name}() is not a lock-like call`);
  return paths;
}

/** Every spelling of `expr` without calls, most likely first, at most MAX_CANDIDATES. */
function alternatives(expr: Expr): Expr[] {
  const capped = (list: Expr[]) => list.slice(0, MAX_CANDIDATES);
  switch (expr.kind) {
    case 'path':
    case 'number':
      return [expr];
    case 'paren':
      return alternatives(expr.inner).map(inner => ({ ...expr, inner }));
    case 'field': {
      const call = expr.base;
      // `lock().data` in a debugger is the guard's own pointer to the value (spin's MutexGuard
      // { data: *mut T }): the value itself is what the replacement already names…
      if (call.kind === 'methodCall' && !expr.arrow && expr.name === 'data' && LOCKED_VALUE_PATHS.has(call.name)) {
        const paths = lockPaths(call.name);
        return capped(
          alternatives(call.base).flatMap(base => [
            ...paths.map(path => fields(base, path)),
            // …unless the locked value really has a field named `data` (Rust's Deref: `lock().data`).
            ...paths.map(path => fields(base, [...path, 'data'])),
          ]),
        );
      }
      return alternatives(expr.base).map(base => ({ ...expr, base }));
    }
    case 'index':
      return alternatives(expr.base).map(base => ({ ...expr, base }));
    case 'deref':
    case 'addressOf':
    case 'cast':
    case 'as':
      return alternatives(expr.operand).map(operand => ({ ...expr, operand }));
    case 'sizeof':
      return !isTypeName(expr.operand) ? alternatives(expr.operand).map(operand => ({ ...expr, operand })) : [expr];
    case 'binary':
      return capped(alternatives(expr.left).flatMap(left => alternatives(expr.right).map(right => ({ ...expr, left, right }))));
    case 'methodCall':
      if (UNWRAPS.has(expr.name)) return alternatives(expr.base);
      return capped(alternatives(expr.base).flatMap(base => lockPaths(expr.name).map(path => fields(base, path))));
  }
}

/** True when the tree has a call (which the rewrite removes). */
function hasCall(expr: Expr): boolean {
  switch (expr.kind) {
    case 'methodCall':
      return true;
    case 'path':
    case 'number':
      return false;
    case 'paren':
      return hasCall(expr.inner);
    case 'field':
    case 'index':
      return hasCall(expr.base);
    case 'sizeof':
      return !isTypeName(expr.operand) && hasCall(expr.operand);
    case 'binary':
      return hasCall(expr.left) || hasCall(expr.right);
    default:
      return hasCall(expr.operand);
  }
}

/** The expression's call-free spellings; `rewritten` when a lock-like call or an unwrap was replaced. */
export function withoutLockCalls(expr: Expr): { readonly alternatives: readonly Expr[]; readonly rewritten: boolean } {
  return { alternatives: alternatives(expr), rewritten: hasCall(expr) };
}
