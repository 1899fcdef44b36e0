// Replays trace operations on the model, one result per operation line, in the shapes
// `buddy-heap replay --json` prints. Errors are spelled as the seed spells them.
import { HeapLayout, hex } from '../layout';
import { BuddyHeap, type ModelOptions } from '../model/buddyHeap';
import type { TraceOp } from './parse';

export type ReplayResult =
  | { readonly op: 'heap'; readonly ok: true }
  | { readonly op: 'heap'; readonly ok: false; readonly error: string }
  | { readonly op: 'alloc'; readonly ok: true; readonly address: string }
  | { readonly op: 'alloc'; readonly ok: false; readonly error: string }
  | { readonly op: 'free'; readonly ok: true }
  | { readonly op: 'free'; readonly ok: false; readonly error: string }
  | { readonly op: 'dump'; readonly freeLists: string[][] }
  | { readonly op: 'dump'; readonly ok: false; readonly error: string };

/** What an operation after a rejected (or missing) heap line answers, as the reference does. */
export const NO_HEAP = 'NoHeap';

export class TraceReplayer {
  private current: BuddyHeap | undefined;

  /** `options` for every heap the trace creates. */
  constructor(private readonly options: ModelOptions = {}) {}

  /** The heap of the latest accepted `heap` line (undefined before one, or after a rejected one). */
  get heap(): BuddyHeap | undefined {
    return this.current;
  }

  apply(op: TraceOp): ReplayResult {
    switch (op.op) {
      case 'heap': {
        const layout: HeapLayout = {
          base: op.base,
          size: op.size,
          orders: op.orders,
          pointerWidth: op.pointerWidth,
          endianness: op.endianness,
        };
        const created = BuddyHeap.create(layout, this.options);
        this.current = created.ok ? created.heap : undefined;
        return created.ok ? { op: 'heap', ok: true } : { op: 'heap', ok: false, error: created.error };
      }
      case 'alloc': {
        const heap = this.current;
        if (!heap) return { op: 'alloc', ok: false, error: NO_HEAP };
        const result = heap.allocate(op.size, op.align, op.owner);
        return result.ok
          ? { op: 'alloc', ok: true, address: hex(heap.address(result.offset)) }
          : { op: 'alloc', ok: false, error: result.error };
      }
      case 'free': {
        const heap = this.current;
        if (!heap) return { op: 'free', ok: false, error: NO_HEAP };
        // By address, so errors name the address exactly as the trace gives it.
        const result = heap.deallocateAt(op.address, op.size, op.align);
        return result.ok ? { op: 'free', ok: true } : { op: 'free', ok: false, error: `${result.error}: ${result.message}` };
      }
      case 'dump': {
        const heap = this.current;
        if (!heap) return { op: 'dump', ok: false, error: NO_HEAP };
        return { op: 'dump', freeLists: heap.freeLists().map(list => list.map(offset => hex(heap.address(offset)))) };
      }
    }
  }
}

/** Replays a parsed trace from the start; results in operation order. */
export function replayTrace(ops: readonly TraceOp[]): ReplayResult[] {
  const replayer = new TraceReplayer();
  return ops.map(op => replayer.apply(op));
}
