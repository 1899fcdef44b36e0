// The layout file of `buddy-heap inspect`: how to find the heap struct and the heap in a raw image.
//   {
//     "imageBase": "0x20000000",          // address of the image's first byte
//     "pointerWidth": 4, "endianness": "little",
//     "fields": { "heapBase": "0x20001000", "heapSize": 65536, "freeLists": ["0x0", ...],
//                 "minBlockSize": 32, "minBlockSizeLog2": 5 }
//   }
// or, instead of "fields", where the struct sits in the image (offsets from the debugger's
// `ptype/o`: Rust does not keep declaration order):
//     "struct": { "address": "0x20000004", "orders": 12,
//                 "offsets": { "heapBase": 0, "heapSize": 4, "freeLists": 8, "minBlockSize": 56, "minBlockSizeLog2": 60 } }
import type { Endianness, PointerWidth } from '../layout';
import type { HeapStructFields } from '../model/buddyHeap';
import { decodeWord } from '../memory/byteImage';
import { parseNumber } from '../numbers';
import { escapeText, quoteText } from '../util/quote';
import type { ImagePages } from './imagePages';

export interface InspectLayout {
  readonly imageBase: bigint;
  readonly pointerWidth: PointerWidth;
  readonly endianness: Endianness;
  readonly fields: HeapStructFields;
}

const MAX_NUMBER_TEXT = 100;

type FieldName = 'heapBase' | 'heapSize' | 'freeLists' | 'minBlockSize' | 'minBlockSizeLog2';

/** Parses and checks the layout file; throws an Error whose message names the bad key and the fix. */
export function parseInspectLayout(text: string, image: ImagePages): InspectLayout {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    // JSON.parse's message quotes the text near the error: escaped and cut like any input text.
    const reason = (e as Error).message;
    throw new Error(`the layout file is not JSON: ${escapeText(reason.length > 200 ? `${reason.slice(0, 200)}…` : reason)}`);
  }
  const root = asObject(json, 'the layout file');
  const pointerWidth = root.pointerWidth ?? 4;
  if (pointerWidth !== 4 && pointerWidth !== 8) throw new Error(`"pointerWidth" must be 4 or 8, got ${shown(pointerWidth)}`);
  const endianness = root.endianness ?? 'little';
  if (endianness !== 'little' && endianness !== 'big') throw new Error(`"endianness" must be "little" or "big", got ${shown(endianness)}`);
  const imageBase = root.imageBase === undefined ? undefined : number(root.imageBase, 'imageBase');
  if (root.fields !== undefined && root.struct !== undefined) throw new Error('give either "fields" or "struct", not both');
  let fields: HeapStructFields;
  if (root.fields !== undefined) {
    const f = asObject(root.fields, '"fields"');
    if (!Array.isArray(f.freeLists) || f.freeLists.length < 1 || f.freeLists.length > 32)
      throw new Error('"fields.freeLists" must be an array of 1 to 32 addresses (0 for an empty list)');
    fields = {
      heapBase: number(f.heapBase, 'fields.heapBase'),
      heapSize: number(f.heapSize, 'fields.heapSize'),
      freeLists: f.freeLists.map((v, i) => number(v, `fields.freeLists[${i}]`)),
      minBlockSize: number(f.minBlockSize, 'fields.minBlockSize'),
      minBlockSizeLog2: Number(number(f.minBlockSizeLog2, 'fields.minBlockSizeLog2')),
    };
  } else if (root.struct !== undefined) {
    if (imageBase === undefined) throw new Error('"imageBase" is needed with "struct": it says which address the image starts at');
    fields = readStruct(asObject(root.struct, '"struct"'), image, imageBase, pointerWidth, endianness === 'little');
  } else {
    throw new Error('the layout file needs "fields" (the heap struct\'s values) or "struct" (where it sits in the image)');
  }
  return { imageBase: imageBase ?? fields.heapBase, pointerWidth, endianness, fields };
}

function readStruct(
  struct: Record<string, unknown>,
  image: ImagePages,
  imageBase: bigint,
  width: PointerWidth,
  little: boolean,
): HeapStructFields {
  const address = number(struct.address, 'struct.address');
  const orders = Number(number(struct.orders, 'struct.orders'));
  if (orders < 1 || orders > 32) throw new Error(`"struct.orders" must be 1 to 32, got ${orders}`);
  const offsets = asObject(struct.offsets, '"struct.offsets"');
  const word = (fieldOffset: number, name: string, bytes: number = width): bigint => {
    const at = address - imageBase + BigInt(fieldOffset);
    const slice = at < 0n || at + BigInt(bytes) > BigInt(image.size) ? undefined : image.bytes(Number(at), bytes);
    if (!slice) throw new Error(`struct field ${name} at ${'0x' + (address + BigInt(fieldOffset)).toString(16)} lies outside the image`);
    return bytes === 1 ? BigInt(slice[0] ?? 0) : decodeWord(slice, bytes as PointerWidth, little);
  };
  const offset = (name: FieldName): number => {
    const value = Number(number(offsets[name], `struct.offsets.${name}`));
    if (!Number.isSafeInteger(value)) throw new Error(`"struct.offsets.${name}" is not a byte offset`);
    return value;
  };
  return {
    heapBase: word(offset('heapBase'), 'heap_base'),
    heapSize: word(offset('heapSize'), 'heap_size'),
    freeLists: Array.from({ length: orders }, (_, k) => word(offset('freeLists') + k * width, `free_lists[${k}]`)),
    minBlockSize: word(offset('minBlockSize'), 'min_block_size'),
    // min_block_size_log2 is a u8.
    minBlockSizeLog2: Number(word(offset('minBlockSizeLog2'), 'min_block_size_log2', 1)),
  };
}

/** A JSON value as a message shows it: short, with control characters escaped. */
function shown(value: unknown): string {
  if (typeof value === 'string') return quoteText(value, 40);
  const text = JSON.stringify(value) ?? String(value);
  return escapeText(text.length > 40 ? `${text.slice(0, 40)}…` : text);
}

function asObject(value: unknown, what: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error(`${what} must be a JSON object`);
  return value as Record<string, unknown>;
}

function number(value: unknown, key: string): bigint {
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return BigInt(value);
  // Longer than any 64-bit value however spelled: refused before BigInt spends seconds on it.
  if (typeof value === 'string' && value.length <= MAX_NUMBER_TEXT) {
    const parsed = parseNumber(value);
    if (parsed !== undefined) return parsed;
  }
  throw new Error(`"${key}" must be a non-negative number or a "0x..." string, got ${shown(value)}`);
}
