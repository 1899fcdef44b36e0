// What VS Code passes to a `debug/variables/context` or `debug/watch/context` command:
// `{ sessionId, container, variable: { name, value, evaluateName, memoryReference, type } }`. It is
// checked field by field (another extension or a keybinding may pass anything).
import { leadingAddress } from '../dap/evaluateResult';
import { isRecord } from '../../core/protocol/guards';

export interface VariableTarget {
  readonly sessionId: string | undefined;
  /** The expression that names the value (evaluateName, else the name). */
  readonly expression: string | undefined;
  /** The address the value holds (a pointer) or the adapter's memoryReference. */
  readonly address: bigint | undefined;
  readonly type: string | undefined;
  readonly value: string | undefined;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

export function parseVariableTarget(args: unknown): VariableTarget | undefined {
  if (!isRecord(args) || !isRecord(args.variable)) return undefined;
  const v = args.variable;
  const value = text(v.value);
  const reference = text(v.memoryReference);
  // A pointer's value ("0x20001040 <heap_mem+64>") says where it points; a memoryReference is the
  // address of the variable itself, so it is used only for values that do not print an address.
  const address =
    (value !== undefined ? leadingAddress(value) : undefined) ?? (reference !== undefined ? leadingAddress(reference) : undefined);
  return {
    sessionId: text(args.sessionId),
    expression: text(v.evaluateName) ?? text(v.name) ?? text(isRecord(args.container) ? args.container.expression : undefined),
    address,
    type: text(v.type),
    value,
  };
}
