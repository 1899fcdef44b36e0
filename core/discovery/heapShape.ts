// Is a struct the seed's Heap<N>? Its five fields by name, free_lists an array of N pointers,
// heap_size and min_block_size pointer-sized integers, min_block_size_log2 an integer. A struct
// with the names but not the shape is a near miss, reported with the reason.
import type { PointerWidth } from '../layout';
import type { DwarfType, Member, TypeReader } from '../dwarf/types';
import { HEAP_FIELD_NAMES, type HeapFieldOffsets } from './heapTypes';

type RecordType = Extract<DwarfType, { kind: 'record' }>;

export interface HeapShape {
  readonly offsets: HeapFieldOffsets;
  readonly orders: number;
  readonly pointerWidth: PointerWidth;
  readonly log2Bytes: number;
}

export type ShapeMatch = { readonly ok: true; readonly shape: HeapShape } | { readonly ok: false; readonly reason: string };

/** The crate's N is 1 to 32 (the panel's model supports the same range). */
const MAX_ORDERS = 32;

/** True when the record has all five field names: only then is it a heap or a near miss. */
export function hasHeapFieldNames(record: RecordType): boolean {
  const names = new Set(record.members.map(m => m.name));
  return Object.values(HEAP_FIELD_NAMES).every(name => names.has(name));
}

export function matchHeapShape(record: RecordType, types: TypeReader, addressSize: number): ShapeMatch {
  const field = (name: string): Member => record.members.find(m => m.name === name)!;
  const offsets: Partial<Record<keyof HeapFieldOffsets, number>> = {};
  for (const [key, name] of Object.entries(HEAP_FIELD_NAMES) as [keyof HeapFieldOffsets, string][]) {
    const member = field(name);
    if (member.bitField) return { ok: false, reason: `${name} is a bit field` };
    if (member.offset === undefined) return { ok: false, reason: `${name} has no constant offset in the debug info` };
    offsets[key] = member.offset;
  }

  const freeLists = types.strip(field('free_lists').type);
  if (freeLists?.kind !== 'array') return { ok: false, reason: 'free_lists is not an array' };
  if (freeLists.dimensions.length !== 1) return { ok: false, reason: `free_lists has ${freeLists.dimensions.length} dimensions, not one` };
  const orders = freeLists.dimensions[0];
  if (orders === undefined) return { ok: false, reason: 'free_lists has no constant length in the debug info' };
  if (orders < 1 || orders > MAX_ORDERS) return { ok: false, reason: `free_lists has ${orders} entries; N must be 1 to ${MAX_ORDERS}` };
  const element = types.strip(freeLists.element);
  if (element?.kind !== 'pointer') return { ok: false, reason: 'free_lists does not hold pointers' };
  const width = element.byteSize ?? addressSize;
  if (width !== 4 && width !== 8) return { ok: false, reason: `pointers are ${width} bytes; only 4- and 8-byte pointers are supported` };

  const heapBase = types.strip(field('heap_base').type);
  if (heapBase?.kind !== 'pointer' && heapBase?.kind !== 'base')
    return { ok: false, reason: 'heap_base is neither a pointer nor an integer' };
  if ((heapBase.byteSize ?? addressSize) !== width)
    return { ok: false, reason: `heap_base is ${heapBase.byteSize} bytes, pointers ${width}` };
  for (const name of ['heap_size', 'min_block_size']) {
    const type = types.strip(field(name).type);
    if (type?.kind !== 'base') return { ok: false, reason: `${name} is not an integer` };
    if (type.byteSize !== width) return { ok: false, reason: `${name} is ${type.byteSize} bytes, not pointer-sized (${width})` };
  }
  const log2 = types.strip(field('min_block_size_log2').type);
  if (log2?.kind !== 'base' || log2.byteSize === undefined || log2.byteSize < 1 || log2.byteSize > 8) {
    return { ok: false, reason: 'min_block_size_log2 is not an integer of 1 to 8 bytes' };
  }

  // Heap<N>'s template parameter, when DWARF has it, must agree with the array.
  const n = record.templateValues.find(t => t.name === 'N') ?? (record.templateValues.length === 1 ? record.templateValues[0] : undefined);
  if (n?.value !== undefined && Number(n.value) !== orders) {
    return { ok: false, reason: `the template parameter ${n.name ?? 'N'} is ${n.value} but free_lists has ${orders} entries` };
  }
  return { ok: true, shape: { offsets: offsets as HeapFieldOffsets, orders, pointerWidth: width, log2Bytes: log2.byteSize } };
}
