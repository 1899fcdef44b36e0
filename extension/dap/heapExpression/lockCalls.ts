// Which method calls a heap expression may contain, and what they become. Users of Rust's
// #[global_allocator] wrappers write `ALLOCATOR.0.lock().data` or `HEAP.lock()`, but a debugger
// evaluates such a call by running it on the target: `lock()` takes the spinlock (a write to target
// memory) and nothing ever releases it, so the firmware deadlocks at its next allocation. These
// calls are therefore replaced by the field paths that hold the locked value (what the call would
// have returned, read without taking the lock); every other call is refused.

/**
 * Where the value behind a lock-like call lives, by wrapper type, most common first:
 * spin::Mutex / std::sync::Mutex / RwLock keep it in `data: UnsafeCell<T>`, core::cell::RefCell in
 * `value: UnsafeCell<T>`, and UnsafeCell itself in `value`. A hand-rolled `Locked<A>` whose lock()
 * forwards to a field (`inner: spin::Mutex<A>`, or `inner: UnsafeCell<A>` beside an AtomicBool)
 * keeps it one field further down.
 */
const LOCK_PATHS = [
  ['data', 'value'],
  ['value', 'value'],
  ['inner', 'data', 'value'],
  ['inner', 'value'],
] as const;
const DATA = [['data', 'value']] as const;
const REF_CELL = [['value', 'value']] as const;

export const LOCKED_VALUE_PATHS: ReadonlyMap<string, readonly (readonly string[])[]> = new Map<string, readonly (readonly string[])[]>([
  ['lock', LOCK_PATHS],
  ['try_lock', LOCK_PATHS],
  ['read', DATA],
  ['write', DATA],
  ['try_read', DATA],
  ['try_write', DATA],
  ['borrow', REF_CELL],
  ['borrow_mut', REF_CELL],
  ['try_borrow', REF_CELL],
  ['try_borrow_mut', REF_CELL],
  ['get_mut', [['data', 'value'], ['value', 'value'], ['value']]],
  ['get', [['value']]],
]);

/** Calls that only unwrap what the lock-like call gave (Result / Option): dropped. */
export const UNWRAPS: ReadonlySet<string> = new Set(['unwrap', 'expect', 'unwrap_unchecked']);

/** True for the only calls the parser accepts: `.name()` with no arguments, rewritten away before printing. */
export function isRewritableCall(name: string, hasArguments: boolean): boolean {
  return !hasArguments && (LOCKED_VALUE_PATHS.has(name) || UNWRAPS.has(name));
}
