// `buddyHeap.live.allocationFailureHooks`, checked: C functions a program calls when an allocation
// fails, and which of their arguments hold the request's size and alignment.
import * as l10n from '@vscode/l10n';

export interface FailureHook {
  readonly function: string;
  readonly sizeArgument?: string;
  readonly alignArgument?: string;
}

const C_IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]{0,254}$/;
const MAX_HOOKS = 64;

export function parseFailureHooks(raw: unknown): { hooks: FailureHook[]; problems: string[] } {
  const hooks: FailureHook[] = [];
  const problems: string[] = [];
  if (raw === undefined || raw === null) return { hooks, problems };
  if (!Array.isArray(raw)) {
    problems.push(
      l10n.t(
        'buddyHeap.live.allocationFailureHooks must be an array such as {0}; it was ignored.',
        '[{ "function": "heap_alloc_failed", "sizeArgument": "size" }]',
      ),
    );
    return { hooks, problems };
  }
  raw.slice(0, MAX_HOOKS).forEach((entry: unknown, i) => {
    const where = `buddyHeap.live.allocationFailureHooks[${i}]`;
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
      problems.push(l10n.t('{0} must be an object with a "function" name; it was ignored.', where));
      return;
    }
    const record = entry as Record<string, unknown>;
    const name = record.function;
    if (typeof name !== 'string' || !C_IDENTIFIER.test(name)) {
      problems.push(l10n.t('{0}.function must be a C function name such as "vApplicationMallocFailedHook"; it was ignored.', where));
      return;
    }
    const hook: { function: string; sizeArgument?: string; alignArgument?: string } = { function: name };
    for (const key of ['sizeArgument', 'alignArgument'] as const) {
      const value = record[key];
      if (value === undefined) continue;
      if (typeof value === 'string' && C_IDENTIFIER.test(value)) hook[key] = value;
      else problems.push(l10n.t("{0}.{1} must be the name of one of {2}'s parameters; it was ignored.", where, key, name));
    }
    if (!hooks.some(h => h.function === name)) hooks.push(hook);
  });
  if (raw.length > MAX_HOOKS)
    problems.push(l10n.t('buddyHeap.live.allocationFailureHooks has {0} entries; only the first {1} are used.', raw.length, MAX_HOOKS));
  return { hooks, problems };
}
