// The argument shapes every adapter accepts, checked on each request before it is sent: evaluate
// in the `watch` context (probe-rs refuses any other, Cortex-Debug treats a missing one as
// `hover`) and readMemory at a plain hex address (probe-rs and Cortex-Debug parse only numbers;
// lldb-dap refuses expressions and decimal as "malformed memory reference").
import { isRecord } from '../../core/protocol/guards';

const HEX_ADDRESS = /^0x[0-9a-f]+$/i;

/** What is wrong with the arguments of a request we are about to send, or undefined. */
export function requestArgumentProblem(command: string, args: unknown): string | undefined {
  if (command === 'evaluate' && !(isRecord(args) && args.context === 'watch'))
    return 'evaluate requests must carry context "watch" (some adapters refuse other contexts).';
  if (command === 'readMemory' && !(isRecord(args) && typeof args.memoryReference === 'string' && HEX_ADDRESS.test(args.memoryReference)))
    return 'readMemory requests must name a hex address as memoryReference (some adapters parse nothing else).';
  return undefined;
}
