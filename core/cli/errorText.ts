// Error names of replay results explained for people (the readable table). `--json` keeps the
// bare names the issue specifies; free errors already carry their message.
import { HEAP_ERROR_EXPLANATIONS, HeapError, LayoutShapeError, addressSpace, hex } from '../layout';
import { NO_HEAP, type ReplayResult } from '../trace/replay';
import type { TraceOp } from '../trace/parse';

const ALLOCATION_EXPLANATIONS: Readonly<Record<string, string>> = {
  HeapExhausted: 'no free block is large enough for the request right now (the heap is full or too fragmented)',
  'InvalidSize(TooLarge)': 'the request, rounded up to a power of two and to its alignment, is larger than the whole heap',
  'InvalidSize(BadAlignment)': 'the alignment must be a power of two of at most 4096 (MIN_HEAP_ALIGN)',
  [NO_HEAP]: 'there is no heap to act on: no heap line came before, or the last one was rejected',
};

/** "<name>: <why, and what to change>" for a failed result; free errors are already explained. */
export function explainError(op: TraceOp, result: Extract<ReplayResult, { ok: false }>): string {
  const error = result.error;
  if (op.op === 'heap') {
    if (error === 'AddressOverflow') {
      const end = op.base + op.size;
      return `${error}: the heap ${hex(op.base)}..${hex(end)} runs past ${hex(addressSpace(op.pointerWidth) - 1n)}, the last ${op.pointerWidth * 8}-bit address; lower the base or the size, or use ptr=8`;
    }
    const explanation = HEAP_ERROR_EXPLANATIONS[error as HeapError | LayoutShapeError] as string | undefined;
    return explanation === undefined ? error : `${error}: ${explanation}`;
  }
  const explanation = ALLOCATION_EXPLANATIONS[error];
  return explanation === undefined ? error : `${error}: ${explanation}`;
}
