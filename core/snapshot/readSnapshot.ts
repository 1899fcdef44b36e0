// The strict reader of snapshot files. Anything it does not accept is a SnapshotError naming the
// place ("$.stops[2].read[0].bytes[5]") and what is wrong; sizes are checked against
// SNAPSHOT_LIMITS before anything is allocated for them, so a hostile file cannot make the
// reader crash, hang or use unbounded memory.
import type { RootRegion } from '../ownership/types';
import { HEAP_ERROR_EXPLANATIONS, type HeapLayout, MAX_ORDERS, validateLayout } from '../layout';
import {
  type LiveSnapshotFile,
  type SimulatedSnapshotFile,
  type SnapshotFile,
  type SnapshotFrame,
  type SnapshotOperation,
  type SnapshotOwnership,
  type SnapshotProgram,
  type SnapshotStop,
  SNAPSHOT_FORMAT,
  SNAPSHOT_LIMITS,
  SNAPSHOT_VERSION,
} from './format';
import { unknownRanges } from './writeSnapshot';

export class SnapshotError extends Error {
  constructor(
    /** Where: a JSON path ("$.stops[0].fields.heapSize") or "byte N" for text that is not JSON. */
    readonly where: string,
    readonly problem: string,
  ) {
    super(`${where}: ${problem}`);
    this.name = 'SnapshotError';
  }
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

const MAX_ADDRESS = 2n ** 64n - 1n;
const MAX_IMAGE = 2n ** 63n;
const HEX = /^0x[0-9a-fA-F]{1,16}$/;
const HEX_BYTES = /^(?:[0-9a-fA-F]{2})*$/;

/** True when the bytes look like a snapshot file (a JSON object naming the format near its start). */
export function looksLikeSnapshot(bytes: Uint8Array): boolean {
  const start = new TextDecoder().decode(bytes.subarray(0, 512));
  return /^\s*\{\s*"format"\s*:\s*"buddy-heap-snapshot"/.test(start);
}

export function readSnapshot(input: Uint8Array | string): SnapshotFile {
  const length = typeof input === 'string' ? input.length : input.byteLength;
  if (length > SNAPSHOT_LIMITS.maxTextLength)
    throw new SnapshotError('$', `the file is ${length} bytes, more than the ${SNAPSHOT_LIMITS.maxTextLength} a snapshot may have`);
  let text: string;
  if (typeof input === 'string') text = input;
  else {
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(input);
    } catch {
      throw new SnapshotError('$', 'not UTF-8 text: a snapshot file is JSON (was it saved by Save Heap Snapshot?)');
    }
  }
  checkNesting(text);
  let json: Json;
  try {
    json = JSON.parse(text) as Json;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const at = /position (\d+)/.exec(message)?.[1];
    throw new SnapshotError(at !== undefined ? `character ${at}` : '$', `not valid JSON (truncated or edited?): ${message}`);
  }
  return readFile(json);
}

/** Deepest nesting of a valid file is 9 ($.stops[i].ownership.roots[j].slots[k].fat); anything far deeper is refused before parsing, which is slow on it. */
const MAX_NESTING = 16;

function checkNesting(text: string): void {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > MAX_NESTING)
        throw new SnapshotError(`character ${i}`, `nested more than ${MAX_NESTING} levels deep: not a snapshot file`);
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
}

function readFile(json: Json): SnapshotFile {
  const root = object(json, '$', 'a buddy heap snapshot is a JSON object');
  if (root.format !== SNAPSHOT_FORMAT)
    throw new SnapshotError('$.format', `expected "${SNAPSHOT_FORMAT}": this is not a buddy heap snapshot`);
  const version = integer(root.version, '$.version', 1, Number.MAX_SAFE_INTEGER);
  if (version > SNAPSHOT_VERSION)
    throw new SnapshotError(
      '$.version',
      `format version ${version} is newer than the version ${SNAPSHOT_VERSION} this reader knows; update Buddy Heap Debugger to open it`,
    );
  const kind = root.kind;
  const common = {
    name: text(root.name, '$.name'),
    savedAt: time(root.savedAt, '$.savedAt'),
    ...(root.program !== undefined ? { program: program(root.program, '$.program') } : {}),
  };
  if (kind === 'live') {
    allowKeys(root, '$', ['format', 'version', 'kind', 'name', 'savedAt', 'program', 'shownStep', 'pointerWidth', 'endianness', 'stops']);
    const pointerWidth = oneOf(root.pointerWidth, '$.pointerWidth', [4, 8] as const);
    const endianness = oneOf(root.endianness, '$.endianness', ['little', 'big'] as const);
    const stopsJson = array(root.stops, '$.stops', 1, SNAPSHOT_LIMITS.maxSteps);
    const budget = { bytes: SNAPSHOT_LIMITS.maxTotalBytes };
    const stops = stopsJson.map((s, i) => stop(s, `$.stops[${i}]`, budget));
    const file: LiveSnapshotFile = {
      kind,
      ...common,
      shownStep: integer(root.shownStep, '$.shownStep', 0, stops.length - 1),
      pointerWidth,
      endianness,
      stops,
    };
    return file;
  }
  if (kind === 'simulated') {
    allowKeys(root, '$', ['format', 'version', 'kind', 'name', 'savedAt', 'program', 'shownStep', 'layout', 'operations']);
    const heapLayout = layout(root.layout, '$.layout');
    const operations = array(root.operations, '$.operations', 0, SNAPSHOT_LIMITS.maxOperations).map((o, i) =>
      operation(o, `$.operations[${i}]`),
    );
    const file: SimulatedSnapshotFile = {
      kind,
      ...common,
      shownStep: integer(root.shownStep, '$.shownStep', 0, operations.length),
      layout: heapLayout,
      operations,
    };
    return file;
  }
  throw new SnapshotError('$.kind', `expected "live" or "simulated", found ${describe(kind)}`);
}

function stop(json: Json, path: string, budget: { bytes: number }): SnapshotStop {
  const o = object(json, path, 'a stop is an object');
  allowKeys(o, path, ['text', 'reason', 'description', 'time', 'frame', 'fields', 'imageSize', 'read', 'unknown', 'ownership']);
  const imageSize = bigHex(o.imageSize, `${path}.imageSize`, MAX_IMAGE);
  const size = Number(imageSize);
  const reads = array(o.read, `${path}.read`, 0, SNAPSHOT_LIMITS.maxRangesPerStep);
  const memory: (readonly [number, Uint8Array])[] = [];
  let end = 0;
  reads.forEach((r, i) => {
    const at = `${path}.read[${i}]`;
    const range = object(r, at, 'a read range is an object');
    allowKeys(range, at, ['offset', 'length', 'bytes']);
    const offset = Number(bigHex(range.offset, `${at}.offset`, MAX_IMAGE));
    const length = integer(range.length, `${at}.length`, 1, SNAPSHOT_LIMITS.maxTotalBytes);
    if (offset < end)
      throw new SnapshotError(`${at}.offset`, 'read ranges must be in address order and must not overlap or touch the one before');
    if (offset + length > size)
      throw new SnapshotError(at, `the range ends at 0x${(offset + length).toString(16)}, past the image's 0x${size.toString(16)} bytes`);
    if (length > budget.bytes)
      throw new SnapshotError(`${at}.length`, `more bytes than the ${SNAPSHOT_LIMITS.maxTotalBytes} a snapshot file may hold in all`);
    budget.bytes -= length;
    memory.push([offset, hexBytes(range.bytes, `${at}.bytes`, length)]);
    end = offset + length + 1;
  });
  const unknown = array(o.unknown, `${path}.unknown`, 0, reads.length + 1);
  const expected = unknownRanges({ imageSize: size, memory });
  if (unknown.length !== expected.length)
    throw new SnapshotError(
      `${path}.unknown`,
      `expected ${expected.length} unknown ranges (the gaps between the read ranges), found ${unknown.length}`,
    );
  unknown.forEach((u, i) => {
    const at = `${path}.unknown[${i}]`;
    const range = object(u, at, 'an unknown range is an object');
    allowKeys(range, at, ['offset', 'length']);
    const offset = Number(bigHex(range.offset, `${at}.offset`, MAX_IMAGE));
    const length = Number(bigHex(range.length, `${at}.length`, MAX_IMAGE));
    if (offset !== expected[i]![0] || length !== expected[i]![1])
      throw new SnapshotError(
        at,
        `expected the gap at 0x${expected[i]![0].toString(16)} of 0x${expected[i]![1].toString(16)} bytes between the read ranges`,
      );
  });
  return {
    text: text(o.text, `${path}.text`),
    ...(o.reason !== undefined ? { reason: text(o.reason, `${path}.reason`) } : {}),
    ...(o.description !== undefined ? { description: text(o.description, `${path}.description`) } : {}),
    time: time(o.time, `${path}.time`),
    ...(o.frame !== undefined ? { frame: frame(o.frame, `${path}.frame`) } : {}),
    fields: fields(o.fields, `${path}.fields`),
    imageSize: size,
    memory,
    ...(o.ownership !== undefined ? { ownership: ownership(o.ownership, `${path}.ownership`, budget) } : {}),
  };
}

/** The ownership scan's inputs of one stop; their bytes count against the file's byte budget. */
function ownership(json: Json, path: string, budget: { bytes: number }): SnapshotOwnership {
  const o = object(json, path, 'the ownership inputs are an object');
  allowKeys(o, path, ['heapStruct', 'roots', 'rootMemory']);
  const struct = object(o.heapStruct, `${path}.heapStruct`, 'the heap struct is an object');
  allowKeys(struct, `${path}.heapStruct`, ['address', 'size']);
  const slots = { left: SNAPSHOT_LIMITS.maxSlots };
  const roots = array(o.roots, `${path}.roots`, 0, SNAPSHOT_LIMITS.maxRoots).map((r, i) => root(r, `${path}.roots[${i}]`, slots));
  const rootMemory: (readonly [bigint, Uint8Array])[] = [];
  let end = -1n;
  array(o.rootMemory, `${path}.rootMemory`, 0, SNAPSHOT_LIMITS.maxRangesPerStep).forEach((r, i) => {
    const at = `${path}.rootMemory[${i}]`;
    const range = object(r, at, 'a root memory range is an object');
    allowKeys(range, at, ['address', 'length', 'bytes']);
    const address = bigHex(range.address, `${at}.address`, MAX_ADDRESS);
    const length = integer(range.length, `${at}.length`, 1, SNAPSHOT_LIMITS.maxTotalBytes);
    if (address <= end) throw new SnapshotError(`${at}.address`, 'root memory ranges must be in address order and must not overlap');
    if (address + BigInt(length) - 1n > MAX_ADDRESS) throw new SnapshotError(at, 'the range runs past the end of the address space');
    if (length > budget.bytes)
      throw new SnapshotError(`${at}.length`, `more bytes than the ${SNAPSHOT_LIMITS.maxTotalBytes} a snapshot file may hold in all`);
    budget.bytes -= length;
    rootMemory.push([address, hexBytes(range.bytes, `${at}.bytes`, length)]);
    end = address + BigInt(length) - 1n;
  });
  return {
    roots,
    rootMemory,
    heapStruct: {
      address: bigHex(struct.address, `${path}.heapStruct.address`, MAX_ADDRESS),
      size: integer(struct.size, `${path}.heapStruct.size`, 0, 1 << 20),
    },
  };
}

function root(json: Json, path: string, slots: { left: number }): RootRegion {
  const o = object(json, path, 'a root is an object');
  const kind = oneOf(o.kind, `${path}.kind`, ['static', 'stack', 'symbol', 'register'] as const);
  const label = text(o.label, `${path}.label`);
  if (kind === 'register') {
    allowKeys(o, path, ['kind', 'label', 'value']);
    return { kind, label, value: bigHex(o.value, `${path}.value`, MAX_ADDRESS) };
  }
  allowKeys(o, path, ['kind', 'label', 'address', 'size', 'slots']);
  const size = integer(o.size, `${path}.size`, 0, SNAPSHOT_LIMITS.maxTotalBytes);
  const address = bigHex(o.address, `${path}.address`, MAX_ADDRESS);
  if (o.slots === undefined) return { kind, label, address, size };
  const list = array(o.slots, `${path}.slots`, 0, slots.left);
  slots.left -= list.length;
  return {
    kind,
    label,
    address,
    size,
    slots: list.map((j, i) => {
      const at = `${path}.slots[${i}]`;
      const slot = object(j, at, 'a pointer slot is an object');
      allowKeys(slot, at, ['offset', 'path', 'fat']);
      const offset = integer(slot.offset, `${at}.offset`, 0, size);
      if (slot.fat === undefined) return { offset, path: text(slot.path, `${at}.path`) };
      const fat = object(slot.fat, `${at}.fat`, 'a fat pointer is an object');
      allowKeys(fat, `${at}.fat`, ['lengthOffset', 'elementSize']);
      return {
        offset,
        path: text(slot.path, `${at}.path`),
        fat: {
          lengthOffset: integer(fat.lengthOffset, `${at}.fat.lengthOffset`, 0, size),
          elementSize: integer(fat.elementSize, `${at}.fat.elementSize`, 0, 1 << 30),
        },
      };
    }),
  };
}

function fields(json: Json | undefined, path: string): SnapshotStop['fields'] {
  const o = object(json, path, 'the heap struct fields are an object');
  allowKeys(o, path, ['heapBase', 'heapSize', 'freeLists', 'minBlockSize', 'minBlockSizeLog2']);
  return {
    heapBase: bigHex(o.heapBase, `${path}.heapBase`, MAX_ADDRESS),
    heapSize: bigHex(o.heapSize, `${path}.heapSize`, MAX_ADDRESS),
    // Field values are as read: they may be inconsistent (that is a finding), but never more lists than N can be.
    freeLists: array(o.freeLists, `${path}.freeLists`, 0, 2 * MAX_ORDERS).map((h, i) => bigHex(h, `${path}.freeLists[${i}]`, MAX_ADDRESS)),
    minBlockSize: bigHex(o.minBlockSize, `${path}.minBlockSize`, MAX_ADDRESS),
    minBlockSizeLog2: integer(o.minBlockSizeLog2, `${path}.minBlockSizeLog2`, 0, 255),
  };
}

function layout(json: Json | undefined, path: string): HeapLayout {
  const o = object(json, path, 'the layout is an object');
  allowKeys(o, path, ['base', 'size', 'orders', 'pointerWidth', 'endianness']);
  const result: HeapLayout = {
    base: bigHex(o.base, `${path}.base`, MAX_ADDRESS),
    size: bigHex(o.size, `${path}.size`, MAX_ADDRESS),
    orders: integer(o.orders, `${path}.orders`, 1, MAX_ORDERS),
    pointerWidth: oneOf(o.pointerWidth, `${path}.pointerWidth`, [4, 8] as const),
    endianness: oneOf(o.endianness, `${path}.endianness`, ['little', 'big'] as const),
  };
  const error = validateLayout(result);
  if (error) throw new SnapshotError(path, `${error}: ${HEAP_ERROR_EXPLANATIONS[error]}`);
  return result;
}

function operation(json: Json, path: string): SnapshotOperation {
  const o = object(json, path, 'an operation is an object');
  if (o.op === 'alloc') {
    allowKeys(o, path, ['op', 'size', 'align', 'owner']);
    const owner = o.owner === undefined ? undefined : text(o.owner, `${path}.owner`, 64);
    if (owner !== undefined && /[\s#]/.test(owner)) throw new SnapshotError(`${path}.owner`, 'an owner label cannot contain spaces or "#"');
    return {
      kind: 'alloc',
      size: bigHex(o.size, `${path}.size`, MAX_ADDRESS),
      align: bigHex(o.align, `${path}.align`, MAX_ADDRESS),
      ...(owner !== undefined ? { owner } : {}),
    };
  }
  if (o.op === 'free') {
    allowKeys(o, path, ['op', 'address', 'size', 'align']);
    return {
      kind: 'free',
      address: bigHex(o.address, `${path}.address`, MAX_ADDRESS),
      size: bigHex(o.size, `${path}.size`, MAX_ADDRESS),
      align: bigHex(o.align, `${path}.align`, MAX_ADDRESS),
    };
  }
  throw new SnapshotError(`${path}.op`, `expected "alloc" or "free", found ${describe(o.op)}`);
}

function program(json: Json, path: string): SnapshotProgram {
  const o = object(json, path, 'the program is an object');
  allowKeys(o, path, ['path', 'buildId']);
  return {
    ...(o.path !== undefined ? { path: text(o.path, `${path}.path`) } : {}),
    ...(o.buildId !== undefined ? { buildId: text(o.buildId, `${path}.buildId`, 128) } : {}),
  };
}

function frame(json: Json, path: string): SnapshotFrame {
  const o = object(json, path, 'the frame is an object');
  allowKeys(o, path, ['id', 'name']);
  return {
    ...(o.id !== undefined ? { id: integer(o.id, `${path}.id`, 0, 2 ** 31 - 1) } : {}),
    ...(o.name !== undefined ? { name: text(o.name, `${path}.name`) } : {}),
  };
}

//#region primitive checks

function describe(value: Json | undefined): string {
  if (value === undefined) return 'nothing (the field is missing)';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  const shown = JSON.stringify(value);
  return `${typeof value} ${shown.length > 40 ? `${shown.slice(0, 40)}…` : shown}`;
}

function object(value: Json | undefined, path: string, what: string): JsonObject {
  if (value === null || value === undefined || typeof value !== 'object' || Array.isArray(value))
    throw new SnapshotError(path, `${what}, found ${describe(value)}`);
  return value;
}

function allowKeys(o: JsonObject, path: string, allowed: readonly string[]): void {
  for (const key of Object.keys(o))
    if (!allowed.includes(key)) throw new SnapshotError(`${path}.${key}`, `unknown field (this reader knows ${allowed.join(', ')})`);
}

function array(value: Json | undefined, path: string, min: number, max: number): Json[] {
  if (!Array.isArray(value)) throw new SnapshotError(path, `expected an array, found ${describe(value)}`);
  if (value.length < min || value.length > max) throw new SnapshotError(path, `expected ${min} to ${max} entries, found ${value.length}`);
  return value;
}

function integer(value: Json | undefined, path: string, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max)
    throw new SnapshotError(path, `expected a whole number from ${min} to ${max}, found ${describe(value)}`);
  return value;
}

function text(value: Json | undefined, path: string, max: number = SNAPSHOT_LIMITS.maxTextField): string {
  if (typeof value !== 'string') throw new SnapshotError(path, `expected a string, found ${describe(value)}`);
  if (value.length > max) throw new SnapshotError(path, `longer than ${max} characters`);
  return value;
}

function time(value: Json | undefined, path: string): string {
  const s = text(value, path, 64);
  if (Number.isNaN(Date.parse(s)))
    throw new SnapshotError(path, `expected an ISO 8601 time such as "2026-01-31T12:00:00.000Z", found ${describe(s)}`);
  return s;
}

function oneOf<T extends string | number>(value: Json | undefined, path: string, allowed: readonly T[]): T {
  if (!allowed.includes(value as T))
    throw new SnapshotError(path, `expected ${allowed.map(a => JSON.stringify(a)).join(' or ')}, found ${describe(value)}`);
  return value as T;
}

function bigHex(value: Json | undefined, path: string, max: bigint): bigint {
  if (typeof value !== 'string' || !HEX.test(value))
    throw new SnapshotError(path, `expected a hex number string such as "0x20000000", found ${describe(value)}`);
  const n = BigInt(value);
  if (n > max) throw new SnapshotError(path, `${value} is larger than the largest allowed, 0x${max.toString(16)}`);
  return n;
}

/** Hex rows into exactly `length` bytes; lengths are checked before the bytes are allocated. */
function hexBytes(value: Json | undefined, path: string, length: number): Uint8Array {
  const rows = array(value, path, 1, length);
  let chars = 0;
  rows.forEach((row, i) => {
    if (typeof row !== 'string' || !HEX_BYTES.test(row) || row.length === 0)
      throw new SnapshotError(`${path}[${i}]`, `expected a non-empty string of hex byte pairs, found ${describe(row)}`);
    chars += row.length;
  });
  if (chars !== 2 * length) throw new SnapshotError(path, `holds ${chars / 2} bytes, but the range's length is ${length}`);
  const bytes = new Uint8Array(length);
  let at = 0;
  for (const row of rows as string[]) for (let i = 0; i < row.length; i += 2) bytes[at++] = parseInt(row.slice(i, i + 2), 16);
  return bytes;
}

//#endregion
