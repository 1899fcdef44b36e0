// Where a program's allocation failures go, from its symbol table: Rust's handle_alloc_error (or,
// when it is absent, the handler it calls) and the C hooks the user names. One Rust function, not
// the whole chain: handle_alloc_error calls the handlers, so breaking on all would stop twice per
// failure; it is also the one frame that holds the failed Layout.
import type { ElfSymbol } from './symbols';
import { rustSymbolPath } from './rustSymbolName';

const STT_FUNC = 2;

/** Rust's allocation-failure path, outermost first: the first one the program has is used. */
export const RUST_FAILURE_FUNCTIONS = ['alloc::alloc::handle_alloc_error', '__rust_alloc_error_handler', '__rg_oom', '__rdl_oom'] as const;

export interface FailureFunction {
  /** The name a debugger resolves: the Rust path or the C symbol. */
  readonly name: string;
  readonly language: 'rust' | 'c';
  readonly address: bigint;
}

export interface FailureFunctions {
  readonly functions: readonly FailureFunction[];
  /** C hooks from the setting the program does not define (a typo, or not linked in). */
  readonly missingHooks: readonly string[];
}

/** The Rust path a function symbol names, matching the handlers by their last component (`__rustc::__rdl_oom`). */
function rustFailureName(symbol: string): string | undefined {
  const path = rustSymbolPath(symbol) ?? (symbol.startsWith('__r') ? symbol : undefined);
  if (!path) return undefined;
  return RUST_FAILURE_FUNCTIONS.find(name => path === name || (name.startsWith('__') && path.endsWith(`::${name}`))) ? path : undefined;
}

export function allocationFailureFunctions(symbols: readonly ElfSymbol[], cHooks: readonly string[]): FailureFunctions {
  const rust = new Map<string, { path: string; address: bigint }>();
  const defined = new Map<string, bigint>();
  for (const s of symbols) {
    if (s.type !== STT_FUNC || s.sectionIndex === 0) continue;
    defined.set(s.name, s.value);
    const path = rustFailureName(s.name);
    if (path === undefined) continue;
    const key = RUST_FAILURE_FUNCTIONS.find(name => path === name || path.endsWith(`::${name}`))!;
    if (!rust.has(key)) rust.set(key, { path, address: s.value });
  }
  const functions: FailureFunction[] = [];
  const first = RUST_FAILURE_FUNCTIONS.map(name => rust.get(name)).find(found => found !== undefined);
  if (first) functions.push({ name: first.path, language: 'rust', address: first.address });
  const missingHooks: string[] = [];
  for (const hook of cHooks) {
    const address = defined.get(hook);
    if (address === undefined) missingHooks.push(hook);
    else if (!functions.some(f => f.name === hook)) functions.push({ name: hook, language: 'c', address });
  }
  return { functions, missingHooks };
}
