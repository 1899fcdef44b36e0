// Commands take their inputs either as an argument object (tests, keybindings, other extensions:
// `executeCommand('buddyHeap.simulateAllocation', { size: '64', align: '8', owner: 'net/rx' })`)
// or, without one, from quick inputs. Every command resolves to a result saying what happened.

export type CommandResult =
  { readonly ok: true; readonly [key: string]: unknown } | { readonly ok: false; readonly error: string; readonly message?: string };

export const CANCELLED: CommandResult = { ok: false, error: 'Cancelled' };

/** The argument object, or undefined when the command was run from the palette (or a menu). */
export function argObject(args: unknown): Record<string, unknown> | undefined {
  return typeof args === 'object' && args !== null && !Array.isArray(args) && !('scheme' in args)
    ? (args as Record<string, unknown>)
    : undefined;
}

/** A number argument as text (`64`, `0x40`, `1k`, or a JS number). */
export function textArg(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  return undefined;
}
