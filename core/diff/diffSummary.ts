// The one-line summary of a diff: what happened, how free memory moved, and which orders' free
// block counts changed. "allocated 1 (16 B), split 1 (64 B); free 64 B → 48 B; free blocks: 16 B 0 → 1, ..."
import { formatBytes } from '../layout';
import { CHANGE_KIND_NAMES } from './changeList';

export interface OrderCountChange {
  readonly order: number;
  readonly blockSize: number;
  readonly freeBefore: number;
  readonly freeAfter: number;
  readonly allocatedBefore: number;
  readonly allocatedAfter: number;
}

export function summarize(
  totals: readonly { readonly count: number; readonly bytes: number }[],
  perOrder: readonly OrderCountChange[],
  freeBefore: number,
  freeAfter: number,
): string {
  const happened = totals.flatMap((total, kind) =>
    total.count === 0 ? [] : [`${CHANGE_KIND_NAMES[kind]} ${total.count} (${formatBytes(total.bytes)})`],
  );
  if (happened.length === 0) return `no change (free ${formatBytes(freeAfter)})`;
  const orders = perOrder
    .filter(o => o.freeBefore !== o.freeAfter)
    .map(o => `${formatBytes(o.blockSize)} ${o.freeBefore} → ${o.freeAfter}`);
  const free = freeBefore === freeAfter ? `free ${formatBytes(freeAfter)}` : `free ${formatBytes(freeBefore)} → ${formatBytes(freeAfter)}`;
  return [happened.join(', '), free, ...(orders.length > 0 ? [`free blocks: ${orders.join(', ')}`] : [])].join('; ');
}
