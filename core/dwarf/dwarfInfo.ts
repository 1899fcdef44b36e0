// Random access to the DIEs of .debug_info: unit headers (scanned once, cheaply: each header
// gives the next unit's offset), abbreviation tables (cached), one DIE's attributes, a DIE's
// children, and the string and address indexes of DWARF 5 (.debug_str_offsets, .debug_addr).
// Nothing here materializes the tree: callers read the DIEs they need.
import { ByteReader, stringAt } from '../elf/byteReader';
import type { ElfFile } from '../elf/elfFile';
import { hexOffset, ProgramReadError } from '../elf/readError';
import { type AbbrevTable, type Abbrev, parseAbbrevTable } from './abbrev';
import { DW_AT as DW_AT_EXPORT } from './constants';
import { type AttrValue, readForm, skipAttributes } from './forms';
import { readUnitHeader, type UnitHeader } from './unit';

// Local bindings: esbuild's CommonJS output reads an imported binding through a getter on every
// use, which the per-attribute loops would pay millions of times.
const DW_AT = DW_AT_EXPORT;

export interface DebugSections {
  /** .debug_info, followed by DWARF 4's .debug_types when the file has one (see typesStart). */
  readonly info: Uint8Array;
  /** Where .debug_types begins in `info` (its units have type-unit headers); info.length without one. */
  readonly typesStart: number;
  readonly abbrev: Uint8Array;
  readonly str: Uint8Array | undefined;
  readonly lineStr: Uint8Array | undefined;
  readonly strOffsets: Uint8Array | undefined;
  readonly addr: Uint8Array | undefined;
}

export interface Die {
  readonly offset: number;
  readonly tag: number;
  readonly hasChildren: boolean;
  readonly unit: UnitHeader;
  readonly attributes: ReadonlyMap<number, AttrValue>;
  /** Offset just past the attributes: the first child's offset when the DIE has children. */
  readonly attributesEnd: number;
}

/** The unit's root DIE attributes that DWARF 5 string and address indexes are relative to. */
interface UnitBases {
  readonly strOffsetsBase: number;
  readonly addrBase: number;
}

export class DwarfInfo {
  private unitList: UnitHeader[] | undefined;
  private readonly abbrevTables = new Map<number, AbbrevTable>();
  private readonly bases = new Map<number, UnitBases>();
  private readonly typeUnits = new Map<bigint, number>();
  readonly info: ByteReader;

  constructor(
    readonly sections: DebugSections,
    readonly littleEndian: boolean,
  ) {
    this.info = new ByteReader(sections.info, littleEndian, 'section .debug_info');
  }

  /** The DWARF of an ELF file, or undefined when it has no .debug_info. */
  static fromElf(elf: ElfFile): DwarfInfo | undefined {
    const info = elf.debugSection('.debug_info');
    if (!info || info.length === 0) return undefined;
    const abbrev = elf.debugSection('.debug_abbrev');
    if (!abbrev) throw new ProgramReadError('malformed', 'the file has .debug_info but no .debug_abbrev to read it with');
    // DWARF 4 type units (g++ -fdebug-types-section) live in .debug_types; placing them after
    // .debug_info gives one offset space, so a DW_FORM_ref_sig8 resolves like any reference.
    const types = elf.debugSection('.debug_types');
    let combined = info;
    if (types && types.length > 0) {
      combined = new Uint8Array(info.length + types.length);
      combined.set(info);
      combined.set(types, info.length);
    }
    return new DwarfInfo(
      {
        info: combined,
        typesStart: info.length,
        abbrev,
        str: elf.debugSection('.debug_str'),
        lineStr: elf.debugSection('.debug_line_str'),
        strOffsets: elf.debugSection('.debug_str_offsets'),
        addr: elf.debugSection('.debug_addr'),
      },
      elf.littleEndian,
    );
  }

  /** Every unit header in .debug_info, in order. */
  units(): readonly UnitHeader[] {
    if (this.unitList) return this.unitList;
    const units: UnitHeader[] = [];
    const r = this.info;
    for (let offset = 0; offset < r.end;) {
      const unit = readUnitHeader(r, offset, offset >= this.sections.typesStart);
      units.push(unit);
      if (unit.typeSignature !== undefined && unit.typeOffset !== undefined) this.typeUnits.set(unit.typeSignature, unit.typeOffset);
      offset = unit.end;
    }
    return (this.unitList = units);
  }

  /** The unit that contains a .debug_info offset. */
  unitAt(offset: number): UnitHeader {
    const units = this.units();
    let lo = 0;
    let hi = units.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const unit = units[mid]!;
      if (offset < unit.offset) hi = mid - 1;
      else if (offset >= unit.end) lo = mid + 1;
      else return unit;
    }
    throw new ProgramReadError('malformed', `.debug_info offset ${hexOffset(offset)} is in no unit`);
  }

  /** The type DIE a DW_FORM_ref_sig8 names (a DWARF 5 type unit in .debug_info). */
  typeUnitDie(signature: bigint): number | undefined {
    this.units();
    return this.typeUnits.get(signature);
  }

  abbrevs(unit: UnitHeader): AbbrevTable {
    let table = this.abbrevTables.get(unit.abbrevOffset);
    if (!table) {
      table = parseAbbrevTable(this.sections.abbrev, unit.abbrevOffset, this.littleEndian);
      this.abbrevTables.set(unit.abbrevOffset, table);
    }
    return table;
  }

  /** A reader over one unit's bytes: reads cannot cross into the next unit. */
  unitReader(unit: UnitHeader): ByteReader {
    return this.info.slice(unit.offset, unit.end);
  }

  abbrevFor(code: number, table: AbbrevTable, at: number): Abbrev {
    const abbrev = table.get(code);
    if (!abbrev)
      throw new ProgramReadError(
        'malformed',
        `.debug_info: the DIE at ${hexOffset(at)} uses abbreviation code ${code}, which its table does not define`,
      );
    return abbrev;
  }

  /** The DIE at an offset, with all its attributes. */
  readDie(offset: number, unit: UnitHeader = this.unitAt(offset)): Die {
    const r = this.unitReader(unit);
    if (offset < unit.dieOffset)
      throw new ProgramReadError('malformed', `.debug_info: a reference to ${hexOffset(offset)} points into a unit header`);
    r.pos = offset;
    const code = r.uleb('an abbreviation code');
    if (code === 0)
      throw new ProgramReadError('malformed', `.debug_info: a reference to ${hexOffset(offset)} points at a null entry, not a DIE`);
    const abbrev = this.abbrevFor(code, this.abbrevs(unit), offset);
    const attributes = readAttributes(r, abbrev, unit);
    return { offset, tag: abbrev.tag, hasChildren: abbrev.hasChildren, unit, attributes, attributesEnd: r.pos };
  }

  /** The DIE's direct children, each with its attributes, in order. */
  children(die: Die): Die[] {
    const children: Die[] = [];
    if (!die.hasChildren) return children;
    const unit = die.unit;
    const table = this.abbrevs(unit);
    const r = this.unitReader(unit);
    r.pos = die.attributesEnd;
    while (r.pos < r.end) {
      const offset = r.pos;
      const code = r.uleb('an abbreviation code');
      if (code === 0) return children;
      const abbrev = this.abbrevFor(code, table, offset);
      const attributes = readAttributes(r, abbrev, unit);
      children.push({ offset, tag: abbrev.tag, hasChildren: abbrev.hasChildren, unit, attributes, attributesEnd: r.pos });
      if (abbrev.hasChildren) {
        const sibling = attributes.get(DW_AT.sibling);
        if (sibling?.kind === 'ref' && sibling.offset > offset && sibling.offset <= unit.end) r.pos = sibling.offset;
        else this.skipChildren(r, table, unit);
      }
    }
    return children;
  }

  /** Moves past every descendant of the DIE whose attributes were just read (to its null entry). */
  skipChildren(r: ByteReader, table: AbbrevTable, unit: UnitHeader): void {
    let depth = 1;
    while (depth > 0) {
      const offset = r.pos;
      const code = r.uleb('an abbreviation code');
      if (code === 0) {
        depth--;
        continue;
      }
      const abbrev = this.abbrevFor(code, table, offset);
      skipAttributes(r, abbrev, unit);
      if (abbrev.hasChildren) depth++;
    }
  }

  /** A string attribute's text (inline, .debug_str, .debug_line_str or through .debug_str_offsets). */
  string(value: AttrValue | undefined, unit: UnitHeader): string | undefined {
    if (!value) return undefined;
    switch (value.kind) {
      case 'string':
        return value.value;
      case 'strp': {
        const table = value.section === '.debug_str' ? this.sections.str : this.sections.lineStr;
        if (!table) throw new ProgramReadError('malformed', `a string refers to ${value.section}, which the file does not have`);
        return stringAt(table, value.offset, `section ${value.section}`);
      }
      case 'strx': {
        const offsets = this.sections.strOffsets;
        if (!offsets) throw new ProgramReadError('malformed', 'a string index needs .debug_str_offsets, which the file does not have');
        const r = new ByteReader(offsets, this.littleEndian, 'section .debug_str_offsets', this.unitBases(unit).strOffsetsBase);
        r.skip(value.index * unit.offsetSize);
        const offset = r.offset(unit.offsetSize, 'a string offset');
        if (!this.sections.str) throw new ProgramReadError('malformed', 'a string index needs .debug_str, which the file does not have');
        return stringAt(this.sections.str, offset, 'section .debug_str');
      }
      default:
        return undefined;
    }
  }

  /** An address from .debug_addr by index (DW_FORM_addrx*, DW_OP_addrx). */
  indexedAddress(index: number, unit: UnitHeader): bigint {
    const table = this.sections.addr;
    if (!table) throw new ProgramReadError('malformed', 'an address index needs .debug_addr, which the file does not have');
    const r = new ByteReader(table, this.littleEndian, 'section .debug_addr', this.unitBases(unit).addrBase);
    r.skip(index * unit.addressSize);
    return r.address(unit.addressSize);
  }

  /** An address attribute (DW_FORM_addr or an index into .debug_addr). */
  address(value: AttrValue | undefined, unit: UnitHeader): bigint | undefined {
    if (value?.kind === 'address') return value.value;
    if (value?.kind === 'addrx') return this.indexedAddress(value.index, unit);
    return undefined;
  }

  /** A reference attribute's target offset in .debug_info (type-unit signatures included). */
  reference(value: AttrValue | undefined): number | undefined {
    if (value?.kind === 'ref') return value.offset;
    if (value?.kind === 'refSig8') return this.typeUnitDie(value.signature);
    return undefined;
  }

  private unitBases(unit: UnitHeader): UnitBases {
    let bases = this.bases.get(unit.offset);
    if (!bases) {
      const root = this.readDie(unit.dieOffset, unit);
      const base = (attribute: number, fallback: number) => {
        const value = root.attributes.get(attribute);
        return value?.kind === 'secOffset' ? value.value : fallback;
      };
      // Without the attribute, DWARF 5 tables start right after their header (8 or 16 bytes).
      const header = unit.offsetSize === 8 ? 16 : 8;
      bases = { strOffsetsBase: base(DW_AT.str_offsets_base, header), addrBase: base(DW_AT.addr_base, base(DW_AT.GNU_addr_base, header)) };
      this.bases.set(unit.offset, bases);
    }
    return bases;
  }
}

export function readAttributes(r: ByteReader, abbrev: Abbrev, unit: UnitHeader): Map<number, AttrValue> {
  const attributes = new Map<number, AttrValue>();
  const names = abbrev.attributes;
  const forms = abbrev.forms;
  for (let i = 0; i < names.length; i++) {
    const value = readForm(r, forms[i]!, unit, abbrev.implicitConsts?.get(i));
    if (!attributes.has(names[i]!)) attributes.set(names[i]!, value);
  }
  return attributes;
}

/** A constant attribute as a number (undefined when absent, not a constant, or too large). */
export function constant(value: AttrValue | undefined): number | undefined {
  if (value?.kind !== 'const') return undefined;
  return typeof value.value === 'number' ? value.value : undefined;
}

export function flag(value: AttrValue | undefined): boolean {
  return value?.kind === 'flag' ? value.value : false;
}
