// The lock flag of a wrapper around a heap: the member of an enclosing record that is a lock
// (`lock`, `locked`, or a member whose type is named like a mutex or lock), followed through
// single-member wrappers down to one integer: Rust's `Locked { lock: AtomicBool }` gives
// `lock.v.value` (u8), spin's `SpinMutex { lock: AtomicBool }` the same, std's
// `Mutex { inner: sys::Mutex { futex: AtomicU32 } }` gives `inner.futex.v.value`, lock_api's
// `raw: RawSpinlock { locked }` and a C `struct spin_lock { uint32_t held; }` their one word.
// Every one of these reads non-zero while the lock is held. Anything else (an OS mutex union, a
// RefCell's borrow count) is not a flag we can read reliably, and is left out.
import type { Member, TypeReader } from '../dwarf/types';

/** A lock flag as found: its offset from the static's address (the heap's is known only later). */
export interface FoundLock {
  readonly path: string;
  readonly staticOffset: number;
  readonly size: number;
}

/** A member by this name is the wrapper's lock. */
const LOCK_NAMES = /^(lock|locked|spin_?lock|mutex|raw)$/i;
/** …and so is a member whose type is named like one (std's `inner: sys::Mutex`, lock_api's `RawSpinlock`). */
const LOCK_TYPE_NAMES = /(Mutex|mutex|Lock|spinlock)/; // case-sensitive: a FreeBlock is no lock
/** Wrappers around the flag nest a few deep (AtomicBool → UnsafeCell<u8> → u8). */
const MAX_DEPTH = 8;

/** The integer a lock member comes down to: its path below the member, offset in it, and size. */
function flagIn(
  types: TypeReader,
  typeOffset: number | undefined,
  depth: number,
): { path: string; offset: number; size: number } | undefined {
  if (depth > MAX_DEPTH) return undefined;
  const type = types.strip(typeOffset);
  if (type?.kind === 'base') {
    const size = type.byteSize;
    return size === 1 || size === 2 || size === 4 || size === 8 ? { path: '', offset: 0, size } : undefined;
  }
  if (type?.kind !== 'record' || type.variantParts.length > 0) return undefined;
  // Zero-sized members (PhantomData) do not count: the flag's wrappers hold one value each.
  const data = type.members.filter(m => !m.bitField && m.offset !== undefined && m.type !== undefined && types.byteSize(m.type) !== 0);
  if (data.length !== 1) return undefined;
  const only = data[0]!;
  const inner = flagIn(types, only.type, depth + 1);
  if (!inner) return undefined;
  return { path: `.${only.name ?? '?'}${inner.path}`, offset: only.offset! + inner.offset, size: inner.size };
}

/**
 * The lock flag among a wrapper record's members (the record at `recordOffset` from the static),
 * with the member it is in (a heap inside that very member is not guarded by it), or undefined.
 */
export function lockFlagOf(
  types: TypeReader,
  members: readonly Member[],
  recordPath: string,
  recordOffset: number,
): { readonly member: Member; readonly flag: FoundLock } | undefined {
  for (const member of members) {
    if (member.name === undefined || member.offset === undefined || member.bitField) continue;
    if (!LOCK_NAMES.test(member.name) && !LOCK_TYPE_NAMES.test(types.name(member.type) ?? '')) continue;
    const flag = flagIn(types, member.type, 0);
    if (flag)
      return {
        member,
        flag: {
          path: `${recordPath}.${member.name}${flag.path}`,
          staticOffset: recordOffset + member.offset + flag.offset,
          size: flag.size,
        },
      };
  }
  return undefined;
}
