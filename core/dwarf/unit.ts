// Unit headers of .debug_info (DWARF 2–5, 32- and 64-bit formats, every DWARF 5 unit type).
import { ByteReader } from '../elf/byteReader';
import { hexOffset, ProgramReadError } from '../elf/readError';
import { DW_UT as DW_UT_EXPORT } from './constants';

// Local bindings: esbuild's CommonJS output reads an imported binding through a getter on every
// use, which the per-attribute loops would pay millions of times.
const DW_UT = DW_UT_EXPORT;

export interface UnitHeader {
  /** Offset of the unit header in .debug_info. */
  readonly offset: number;
  /** Offset just past the unit. */
  readonly end: number;
  readonly version: number;
  readonly unitType: number;
  readonly addressSize: number;
  readonly offsetSize: 4 | 8;
  readonly abbrevOffset: number;
  /** Offset of the unit's first DIE. */
  readonly dieOffset: number;
  /** Type units: the signature other units refer to with DW_FORM_ref_sig8, and the type DIE's offset. */
  readonly typeSignature: bigint | undefined;
  readonly typeOffset: number | undefined;
}

/** Reads the header of the unit at `offset`; `inTypesSection` for DWARF 4's .debug_types (type-unit headers). */
export function readUnitHeader(info: ByteReader, offset: number, inTypesSection = false): UnitHeader {
  info.pos = offset;
  let length = info.u32();
  let offsetSize: 4 | 8 = 4;
  if (length === 0xffff_ffff) {
    offsetSize = 8;
    length = info.u64Offset('a 64-bit unit length');
  } else if (length >= 0xffff_fff0) {
    throw new ProgramReadError('malformed', `.debug_info: unit at ${hexOffset(offset)} has reserved length ${hexOffset(length)}`);
  }
  const end = info.pos + length;
  if (end > info.end) {
    throw new ProgramReadError('truncated', `.debug_info: the unit at ${hexOffset(offset)} claims ${length} bytes, past the section's end`);
  }
  const version = info.u16();
  if (version < 2 || version > 5) {
    throw new ProgramReadError(
      'unsupported',
      `.debug_info: the unit at ${hexOffset(offset)} is DWARF version ${version}; this reader reads versions 2 to 5`,
    );
  }
  let unitType: number = DW_UT.compile;
  let addressSize: number;
  let abbrevOffset: number;
  let typeSignature: bigint | undefined;
  let typeOffset: number | undefined;
  if (version >= 5) {
    unitType = info.u8();
    addressSize = info.u8();
    abbrevOffset = info.offset(offsetSize, 'an abbreviation offset');
    if (unitType === DW_UT.skeleton || unitType === DW_UT.split_compile)
      info.skip(8); // dwo_id
    else if (unitType === DW_UT.type || unitType === DW_UT.split_type) {
      typeSignature = info.u64();
      typeOffset = offset + info.offset(offsetSize, 'a type offset');
    } else if (unitType !== DW_UT.compile && unitType !== DW_UT.partial) {
      throw new ProgramReadError('malformed', `.debug_info: the unit at ${hexOffset(offset)} has unknown unit type ${unitType}`);
    }
  } else {
    abbrevOffset = info.offset(offsetSize, 'an abbreviation offset');
    addressSize = info.u8();
    if (inTypesSection) {
      unitType = DW_UT.type;
      typeSignature = info.u64();
      typeOffset = offset + info.offset(offsetSize, 'a type offset');
    }
  }
  if (addressSize !== 2 && addressSize !== 4 && addressSize !== 8) {
    throw new ProgramReadError('malformed', `.debug_info: the unit at ${hexOffset(offset)} has ${addressSize}-byte addresses`);
  }
  if (info.pos > end) throw new ProgramReadError('truncated', `.debug_info: the unit at ${hexOffset(offset)} is shorter than its header`);
  if (typeOffset !== undefined && (typeOffset < info.pos || typeOffset >= end)) {
    throw new ProgramReadError('malformed', `.debug_info: the type unit at ${hexOffset(offset)} points its type outside itself`);
  }
  return { offset, end, version, unitType, addressSize, offsetSize, abbrevOffset, dieOffset: info.pos, typeSignature, typeOffset };
}
