// Reading and skipping attribute values by form. Skipping is the hot path of a scan (most DIEs
// are of no interest), so forms with a fixed size in a unit are summed once per abbreviation.
import type { ByteReader } from '../elf/byteReader';
import { hexOffset, ProgramReadError } from '../elf/readError';
import type { Abbrev } from './abbrev';
import { DW_FORM as DW_FORM_EXPORT } from './constants';
import type { UnitHeader } from './unit';

// Local bindings: esbuild's CommonJS output reads an imported binding through a getter on every
// use, which the per-attribute loops would pay millions of times.
const DW_FORM = DW_FORM_EXPORT;

/** An attribute's value. String and address indexes (strx, addrx) are resolved by DwarfInfo. */
export type AttrValue =
  | { readonly kind: 'const'; readonly value: number | bigint; readonly signed: boolean }
  | { readonly kind: 'address'; readonly value: bigint }
  | { readonly kind: 'addrx'; readonly index: number }
  | { readonly kind: 'ref'; readonly offset: number }
  | { readonly kind: 'refSig8'; readonly signature: bigint }
  | { readonly kind: 'string'; readonly value: string }
  | { readonly kind: 'strp'; readonly section: '.debug_str' | '.debug_line_str'; readonly offset: number }
  | { readonly kind: 'strx'; readonly index: number }
  | { readonly kind: 'block'; readonly bytes: Uint8Array }
  | { readonly kind: 'flag'; readonly value: boolean }
  | { readonly kind: 'secOffset'; readonly value: number }
  /** A value this reader has no use for (data16, supplementary-file references). */
  | { readonly kind: 'other'; readonly form: number };

/** Bytes a form takes in this unit, or -1 when the size is in the data (LEB128, blocks, strings). */
export function fixedFormSize(form: number, unit: UnitHeader): number {
  switch (form) {
    case DW_FORM.addr:
      return unit.addressSize;
    case DW_FORM.data1:
    case DW_FORM.ref1:
    case DW_FORM.flag:
    case DW_FORM.strx1:
    case DW_FORM.addrx1:
      return 1;
    case DW_FORM.data2:
    case DW_FORM.ref2:
    case DW_FORM.strx2:
    case DW_FORM.addrx2:
      return 2;
    case DW_FORM.strx3:
    case DW_FORM.addrx3:
      return 3;
    case DW_FORM.data4:
    case DW_FORM.ref4:
    case DW_FORM.ref_sup4:
    case DW_FORM.strx4:
    case DW_FORM.addrx4:
      return 4;
    case DW_FORM.data8:
    case DW_FORM.ref8:
    case DW_FORM.ref_sig8:
    case DW_FORM.ref_sup8:
      return 8;
    case DW_FORM.data16:
      return 16;
    case DW_FORM.strp:
    case DW_FORM.line_strp:
    case DW_FORM.sec_offset:
    case DW_FORM.strp_sup:
    case DW_FORM.GNU_ref_alt:
    case DW_FORM.GNU_strp_alt:
      return unit.offsetSize;
    case DW_FORM.ref_addr:
      // DWARF 2 made ref_addr address-sized; DWARF 3 onwards offset-sized.
      return unit.version <= 2 ? unit.addressSize : unit.offsetSize;
    case DW_FORM.flag_present:
    case DW_FORM.implicit_const:
      return 0;
    default:
      return -1;
  }
}

/** The abbreviation's attributes' total size when all are fixed in this unit's format, else -1. */
export function abbrevFixedSize(abbrev: Abbrev, unit: UnitHeader): number {
  const format = unit.addressSize * 1000 + unit.offsetSize * 10 + (unit.version <= 2 ? 1 : 0);
  if (abbrev.fixedSize !== undefined && abbrev.fixedSizeFormat === format) return abbrev.fixedSize;
  let total = 0;
  for (const form of abbrev.forms) {
    const size = fixedFormSize(form, unit);
    if (size < 0) {
      total = -1;
      break;
    }
    total += size;
  }
  abbrev.fixedSize = total;
  abbrev.fixedSizeFormat = format;
  return total;
}

export function skipForm(r: ByteReader, form: number, unit: UnitHeader): void {
  const size = fixedFormSize(form, unit);
  if (size >= 0) {
    r.skip(size);
    return;
  }
  switch (form) {
    case DW_FORM.string:
      r.skipCString();
      return;
    case DW_FORM.block1:
      r.skip(r.u8());
      return;
    case DW_FORM.block2:
      r.skip(r.u16());
      return;
    case DW_FORM.block4:
      r.skip(r.u32());
      return;
    case DW_FORM.block:
    case DW_FORM.exprloc:
      r.skip(r.uleb('a block length'));
      return;
    case DW_FORM.sdata:
    case DW_FORM.udata:
    case DW_FORM.ref_udata:
    case DW_FORM.strx:
    case DW_FORM.addrx:
    case DW_FORM.loclistx:
    case DW_FORM.rnglistx:
    case DW_FORM.GNU_addr_index:
    case DW_FORM.GNU_str_index:
      r.skipLeb();
      return;
    case DW_FORM.indirect:
      skipForm(r, indirectForm(r), unit);
      return;
    default:
      throw unknownForm(form, r);
  }
}

export function skipAttributes(r: ByteReader, abbrev: Abbrev, unit: UnitHeader): void {
  const fixed = abbrevFixedSize(abbrev, unit);
  if (fixed >= 0) {
    r.skip(fixed);
    return;
  }
  const forms = abbrev.forms;
  for (let i = 0; i < forms.length; i++) skipForm(r, forms[i]!, unit);
}

/** For a block form, reads its length and leaves the reader at the block's first byte; -1 for other forms (nothing read). */
export function blockLength(r: ByteReader, form: number): number {
  switch (form) {
    case DW_FORM.exprloc:
    case DW_FORM.block:
      return r.uleb('a block length');
    case DW_FORM.block1:
      return r.u8();
    case DW_FORM.block2:
      return r.u16();
    case DW_FORM.block4:
      return r.u32();
    default:
      return -1;
  }
}

export function readForm(r: ByteReader, form: number, unit: UnitHeader, implicitConst: number | bigint | undefined): AttrValue {
  switch (form) {
    case DW_FORM.addr:
      return { kind: 'address', value: r.address(unit.addressSize) };
    case DW_FORM.data1:
    case DW_FORM.data2:
    case DW_FORM.data4:
    case DW_FORM.data8:
      return { kind: 'const', value: r.unsigned(fixedFormSize(form, unit)), signed: false };
    case DW_FORM.udata:
      return { kind: 'const', value: r.ulebValue(), signed: false };
    case DW_FORM.sdata:
      return { kind: 'const', value: r.slebValue(), signed: true };
    case DW_FORM.implicit_const:
      return { kind: 'const', value: implicitConst ?? 0, signed: true };
    case DW_FORM.flag:
      return { kind: 'flag', value: r.u8() !== 0 };
    case DW_FORM.flag_present:
      return { kind: 'flag', value: true };
    case DW_FORM.ref1:
    case DW_FORM.ref2:
    case DW_FORM.ref4:
    case DW_FORM.ref8:
      return unitRef(r, Number(r.unsigned(fixedFormSize(form, unit))), unit);
    case DW_FORM.ref_udata:
      return unitRef(r, r.uleb('a reference'), unit);
    case DW_FORM.ref_addr:
      return { kind: 'ref', offset: unit.version <= 2 ? Number(r.address(unit.addressSize)) : r.offset(unit.offsetSize, 'a reference') };
    case DW_FORM.ref_sig8:
      return { kind: 'refSig8', signature: r.u64() };
    case DW_FORM.string:
      return { kind: 'string', value: r.cstring() };
    case DW_FORM.strp:
      return { kind: 'strp', section: '.debug_str', offset: r.offset(unit.offsetSize, 'a string offset') };
    case DW_FORM.line_strp:
      return { kind: 'strp', section: '.debug_line_str', offset: r.offset(unit.offsetSize, 'a string offset') };
    case DW_FORM.strx:
    case DW_FORM.GNU_str_index:
      return { kind: 'strx', index: r.uleb('a string index') };
    case DW_FORM.strx1:
    case DW_FORM.strx2:
    case DW_FORM.strx3:
    case DW_FORM.strx4:
      return { kind: 'strx', index: Number(r.unsigned(fixedFormSize(form, unit))) };
    case DW_FORM.addrx:
    case DW_FORM.GNU_addr_index:
      return { kind: 'addrx', index: r.uleb('an address index') };
    case DW_FORM.addrx1:
    case DW_FORM.addrx2:
    case DW_FORM.addrx3:
    case DW_FORM.addrx4:
      return { kind: 'addrx', index: Number(r.unsigned(fixedFormSize(form, unit))) };
    case DW_FORM.block1:
      return { kind: 'block', bytes: r.take(r.u8()) };
    case DW_FORM.block2:
      return { kind: 'block', bytes: r.take(r.u16()) };
    case DW_FORM.block4:
      return { kind: 'block', bytes: r.take(r.u32()) };
    case DW_FORM.block:
    case DW_FORM.exprloc:
      return { kind: 'block', bytes: r.take(r.uleb('a block length')) };
    case DW_FORM.sec_offset:
      return { kind: 'secOffset', value: r.offset(unit.offsetSize, 'a section offset') };
    case DW_FORM.loclistx:
    case DW_FORM.rnglistx:
      return { kind: 'secOffset', value: r.uleb('a list index') };
    case DW_FORM.indirect:
      return readForm(r, indirectForm(r), unit, implicitConst);
    default:
      skipForm(r, form, unit);
      return { kind: 'other', form };
  }
}

function unitRef(r: ByteReader, relative: number, unit: UnitHeader): AttrValue {
  const offset = unit.offset + relative;
  if (offset >= unit.end) {
    throw new ProgramReadError(
      'malformed',
      `${r.region}: a reference at ${hexOffset(r.pos)} points outside its unit (${hexOffset(relative)})`,
    );
  }
  return { kind: 'ref', offset };
}

function indirectForm(r: ByteReader): number {
  const form = r.uleb('an indirect form');
  // An indirect form naming itself again could nest without end; DWARF never needs that.
  if (form === DW_FORM.indirect)
    throw new ProgramReadError('malformed', `${r.region}: DW_FORM_indirect names itself at ${hexOffset(r.pos)}`);
  return form;
}

function unknownForm(form: number, r: ByteReader): ProgramReadError {
  return new ProgramReadError('malformed', `${r.region}: unknown attribute form 0x${form.toString(16)} at ${hexOffset(r.pos)}`);
}
