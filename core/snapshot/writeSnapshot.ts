// Writes a snapshot file as JSON text. Numbers that may not fit a double (addresses, sizes,
// offsets of 64-bit heaps) are "0x…" strings; bytes are hex in rows of 32 so a text diff of two
// files shows which rows changed.
import type { RootRegion } from '../ownership/types';
import {
  type SnapshotFile,
  type SnapshotOperation,
  type SnapshotOwnership,
  type SnapshotStop,
  SNAPSHOT_FORMAT,
  SNAPSHOT_VERSION,
} from './format';

export const HEX_ROW_BYTES = 32;

export function hexString(value: bigint | number): string {
  return `0x${value.toString(16)}`;
}

export function writeSnapshot(file: SnapshotFile): string {
  const head = {
    format: SNAPSHOT_FORMAT,
    version: SNAPSHOT_VERSION,
    kind: file.kind,
    name: file.name,
    savedAt: file.savedAt,
    ...(file.program ? { program: file.program } : {}),
    shownStep: file.shownStep,
  };
  const body =
    file.kind === 'live'
      ? { pointerWidth: file.pointerWidth, endianness: file.endianness, stops: file.stops.map(stop => stopJson(stop)) }
      : {
          layout: {
            base: hexString(file.layout.base),
            size: hexString(file.layout.size),
            orders: file.layout.orders,
            pointerWidth: file.layout.pointerWidth,
            endianness: file.layout.endianness,
          },
          operations: file.operations.map(operationJson),
        };
  return JSON.stringify({ ...head, ...body }, null, 1) + '\n';
}

function stopJson(stop: SnapshotStop): unknown {
  const f = stop.fields;
  return {
    text: stop.text,
    ...(stop.reason !== undefined ? { reason: stop.reason } : {}),
    ...(stop.description !== undefined ? { description: stop.description } : {}),
    time: stop.time,
    ...(stop.frame ? { frame: stop.frame } : {}),
    fields: {
      heapBase: hexString(f.heapBase),
      heapSize: hexString(f.heapSize),
      freeLists: f.freeLists.map(hexString),
      minBlockSize: hexString(f.minBlockSize),
      minBlockSizeLog2: f.minBlockSizeLog2,
    },
    imageSize: hexString(stop.imageSize),
    read: stop.memory.map(([offset, bytes]) => ({ offset: hexString(offset), length: bytes.length, bytes: hexRows(bytes) })),
    unknown: unknownRanges(stop).map(([offset, length]) => ({ offset: hexString(offset), length: hexString(length) })),
    ...(stop.ownership ? { ownership: ownershipJson(stop.ownership) } : {}),
  };
}

function ownershipJson(o: SnapshotOwnership): unknown {
  return {
    heapStruct: { address: hexString(o.heapStruct.address), size: o.heapStruct.size },
    roots: o.roots.map(rootJson),
    rootMemory: o.rootMemory.map(([address, bytes]) => ({ address: hexString(address), length: bytes.length, bytes: hexRows(bytes) })),
  };
}

function rootJson(root: RootRegion): unknown {
  if (root.kind === 'register') return { kind: root.kind, label: root.label, value: hexString(root.value) };
  return {
    kind: root.kind,
    label: root.label,
    address: hexString(root.address),
    size: root.size,
    ...(root.slots
      ? { slots: root.slots.map(slot => ({ offset: slot.offset, path: slot.path, ...(slot.fat ? { fat: slot.fat } : {}) })) }
      : {}),
  };
}

function operationJson(op: SnapshotOperation): unknown {
  return op.kind === 'alloc'
    ? { op: 'alloc', size: hexString(op.size), align: hexString(op.align), ...(op.owner !== undefined ? { owner: op.owner } : {}) }
    : { op: 'free', address: hexString(op.address), size: hexString(op.size), align: hexString(op.align) };
}

function hexRows(bytes: Uint8Array): string[] {
  const rows: string[] = [];
  for (let at = 0; at < bytes.length; at += HEX_ROW_BYTES) rows.push(toHex(bytes.subarray(at, at + HEX_ROW_BYTES)));
  return rows;
}

/** The gaps between the known ranges: the bytes that were not read (or whose read failed). */
export function unknownRanges(stop: Pick<SnapshotStop, 'imageSize' | 'memory'>): [number, number][] {
  const gaps: [number, number][] = [];
  let at = 0;
  for (const [offset, bytes] of stop.memory) {
    if (offset > at) gaps.push([at, offset - at]);
    at = offset + bytes.length;
  }
  if (stop.imageSize > at) gaps.push([at, stop.imageSize - at]);
  return gaps;
}

const HEX_DIGITS = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, '0'));

function toHex(bytes: Uint8Array): string {
  let text = '';
  for (const b of bytes) text += HEX_DIGITS[b]!;
  return text;
}
