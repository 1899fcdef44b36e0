// Heap expressions must not call target code. Users of Rust's #[global_allocator] wrappers write
// `ALLOCATOR.0.lock().data` or `HEAP.lock()`, but a debugger evaluates such a call by running it on
// the target: `lock()` takes the spinlock (a write to target memory) and nothing ever releases it,
// so the firmware deadlocks at its next allocation. We never write target memory, so lock-like
// calls are replaced by the field paths that hold the locked value (what the call would have
// returned, read without taking the lock), and any other call is refused with a fix.

/** Most expressions tried for one heap setting (a wrong one costs one evaluate). */
const MAX_CANDIDATES = 8;

/**
 * Where the value behind a lock-like call lives, by wrapper type, most common first:
 * spin::Mutex / std::sync::Mutex / RwLock keep it in `data: UnsafeCell<T>`, core::cell::RefCell in
 * `value: UnsafeCell<T>`, and UnsafeCell itself in `value`. A hand-rolled `Locked<A>` whose lock()
 * forwards to a field (`inner: spin::Mutex<A>`, or `inner: UnsafeCell<A>` beside an AtomicBool)
 * keeps it one field further down.
 */
const LOCK_PATHS = ['.data.value', '.value.value', '.inner.data.value', '.inner.value'];
const LOCKED_VALUE_PATHS: Readonly<Record<string, readonly string[]>> = {
  lock: LOCK_PATHS,
  try_lock: LOCK_PATHS,
  read: ['.data.value'],
  write: ['.data.value'],
  try_read: ['.data.value'],
  try_write: ['.data.value'],
  borrow: ['.value.value'],
  borrow_mut: ['.value.value'],
  try_borrow: ['.value.value'],
  try_borrow_mut: ['.value.value'],
  get_mut: ['.data.value', '.value.value', '.value'],
  get: ['.value'],
};

/** Calls that only unwrap what the lock-like call gave (Result / Option): dropped. */
const UNWRAPS = new Set(['unwrap', 'expect', 'unwrap_unchecked']);

/** Operators spelled like calls that run nothing on the target. */
const NOT_CALLS = new Set(['sizeof', 'alignof', '_Alignof', 'offsetof', 'typeof', '__typeof__', 'decltype']);

export type CallFreeExpression =
  /** Expressions to try in order; the first that is a Heap<N> wins. `rewritten` says what changed. */
  | { readonly ok: true; readonly candidates: readonly string[]; readonly rewritten: boolean }
  | { readonly ok: false; readonly reason: string };

/** One call in the expression: `.name(args)` or `name(args)`, from `start` (the dot or name) to `end`. */
interface Call {
  readonly name: string;
  readonly start: number;
  readonly end: number;
  readonly method: boolean;
  readonly args: string;
}

/** The first call at or after `from`, skipping string and character literals; undefined when none. */
function nextCall(text: string, from: number): Call | undefined | { unbalanced: string } {
  const pattern = /(\.|::|->)?\s*([A-Za-z_]\w*)\s*(?:::<[^>]*>\s*)?\(|["']/g;
  pattern.lastIndex = from;
  for (let m = pattern.exec(text); m; m = pattern.exec(text)) {
    if (m[0] === '"' || m[0] === "'") {
      // Skip the literal: a parenthesis inside it is no call.
      const close = text.indexOf(m[0], m.index + 1);
      if (close < 0) return undefined;
      pattern.lastIndex = close + 1;
      continue;
    }
    const name = m[2]!;
    if (NOT_CALLS.has(name) && !m[1]) continue;
    let depth = 1;
    let i = pattern.lastIndex;
    for (; i < text.length && depth > 0; i++) {
      if (text[i] === '(') depth++;
      else if (text[i] === ')') depth--;
    }
    if (depth > 0) return { unbalanced: name };
    return { name, start: m.index, end: i, method: m[1] === '.', args: text.slice(pattern.lastIndex, i - 1).trim() };
  }
  return undefined;
}

/**
 * The expression without target calls: lock-like method calls become the field paths of the locked
 * value (several spellings when the wrapper type is unknown), unwraps are dropped, and any other
 * call is refused with the reason and a fix.
 */
export function callFreeExpression(expression: string): CallFreeExpression {
  let candidates = [''];
  let rest = expression.trim();
  let rewritten = false;
  for (;;) {
    const call = nextCall(rest, 0);
    if (call === undefined) break;
    if ('unbalanced' in call) return { ok: false, reason: `"${expression}" has an unclosed "(" after ${call.unbalanced}` };
    const before = rest.slice(0, call.start);
    let replacements: readonly string[];
    if (call.method && UNWRAPS.has(call.name)) replacements = [''];
    else if (call.method && call.args === '' && LOCKED_VALUE_PATHS[call.name]) replacements = LOCKED_VALUE_PATHS[call.name]!;
    else return { ok: false, reason: refusal(expression, call) };
    rewritten = true;
    let after = rest.slice(call.end);
    // `lock().data` in a debugger is the guard's own pointer to the value (spin's MutexGuard
    // { data: *mut T }): the value itself is what the replacement already names.
    let guardField = false;
    if (LOCKED_VALUE_PATHS[call.name] && /^\s*\.data\b(?!\s*\()/.test(after)) {
      after = after.replace(/^\s*\.data\b/, '');
      guardField = true;
    }
    const next: string[] = [];
    for (const prefix of candidates) {
      for (const replacement of replacements) next.push(prefix + before + replacement);
      // …unless the locked value really has a field named `data` (Rust's Deref: `lock().data`).
      if (guardField) for (const replacement of replacements) next.push(`${prefix}${before}${replacement}.data`);
    }
    candidates = next.slice(0, MAX_CANDIDATES);
    rest = after;
  }
  return { ok: true, candidates: [...new Set(candidates.map(c => (c + rest).trim()))], rewritten };
}

function refusal(expression: string, call: Call): string {
  const what = `${call.name}(${call.args})`;
  const lockLike = LOCKED_VALUE_PATHS[call.name] ? ` (${call.name} with arguments is not a lock)` : '';
  return `"${expression}" calls ${what} on the target${lockLike}: a debugger runs the call in the target, which can take locks or write memory, and this extension never changes target memory. Name the heap by its fields instead, e.g. "ALLOCATOR.inner" or "HEAP.data.value" for a heap inside a lock (the lock's data field), or give the heap's address and field offsets.`;
}
