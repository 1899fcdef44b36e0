// The operations a simulation records, and how each is written as a trace line (the trace format
// of core/trace, so Export Trace writes what `buddy-heap replay` reads back).
import * as l10n from '@vscode/l10n';
import { HeapLayout, hex } from '../../core/layout';

export type SimOperation =
  | { readonly kind: 'alloc'; readonly size: bigint; readonly align: bigint; readonly owner?: string }
  | { readonly kind: 'free'; readonly address: bigint; readonly size: bigint; readonly align: bigint };

/** Owner labels are one trace token: no whitespace, no `#` (which starts a comment). */
export function ownerLabelProblem(label: string): string | undefined {
  if (label.length === 0) return undefined;
  if (/[\s#]/.test(label)) return l10n.t('an owner label cannot contain spaces or "#" (it is one word in trace files)');
  if (label.length > 64) return l10n.t('an owner label is at most {0} characters', 64);
  return undefined;
}

export function heapLine(layout: HeapLayout): string {
  return `heap ${layout.size} orders=${layout.orders} base=${hex(layout.base)} ptr=${layout.pointerWidth} endian=${layout.endianness}`;
}

export function operationLine(op: SimOperation): string {
  if (op.kind === 'alloc') return `alloc ${op.size} ${op.align}${op.owner ? ` owner=${op.owner}` : ''}`;
  return `free ${hex(op.address)} ${op.size} ${op.align}`;
}

/** A whole simulation as a trace file. */
export function traceText(layout: HeapLayout, ops: readonly SimOperation[]): string {
  const lines = ['# Exported by Buddy Heap Debugger; replay with: buddy-heap replay <file>', heapLine(layout)];
  for (const op of ops) lines.push(operationLine(op));
  lines.push('dump');
  return lines.join('\n') + '\n';
}
