// The types that lay a value out in memory, read on demand from their DIEs and cached: base
// types, pointers, structs/unions/classes with member offsets, template value parameters and
// Rust enums' variant parts, arrays with their bounds, and the typedef/const/volatile wrappers.
import { ByteReader } from '../elf/byteReader';
import { ProgramReadError } from '../elf/readError';
import { DW_AT as DW_AT_EXPORT, DW_OP as DW_OP_EXPORT, DW_TAG as DW_TAG_EXPORT } from './constants';
import { constant, type Die, type DwarfInfo, flag } from './dwarfInfo';
import type { AttrValue } from './forms';

// Local bindings: esbuild's CommonJS output reads an imported binding through a getter on every
// use, which the per-attribute loops would pay millions of times.
const DW_AT = DW_AT_EXPORT;
const DW_OP = DW_OP_EXPORT;
const DW_TAG = DW_TAG_EXPORT;

export interface Member {
  /** Undefined for an anonymous member (or an inherited base class). */
  readonly name: string | undefined;
  /** Byte offset in the enclosing record; undefined when not a constant (virtual bases, bit fields without one). */
  readonly offset: number | undefined;
  readonly type: number | undefined;
  readonly bitField: boolean;
  readonly inherited: boolean;
}

export interface Variant {
  /** The discriminant value that selects it; undefined for the default variant. */
  readonly discriminantValue: number | bigint | undefined;
  readonly members: readonly Member[];
}

export interface VariantPart {
  /** The member holding the discriminant (undefined when the layout uses a niche rustc does not describe). */
  readonly discriminant: Member | undefined;
  readonly variants: readonly Variant[];
}

export interface TemplateValue {
  readonly name: string | undefined;
  readonly value: number | bigint | undefined;
}

export type DwarfType =
  | {
      readonly kind: 'base';
      readonly name: string | undefined;
      readonly byteSize: number | undefined;
      readonly encoding: number | undefined;
    }
  | {
      readonly kind: 'pointer';
      readonly name: string | undefined;
      readonly byteSize: number | undefined;
      readonly target: number | undefined;
    }
  | {
      readonly kind: 'record';
      readonly tag: 'struct' | 'union' | 'class';
      readonly name: string | undefined;
      readonly byteSize: number | undefined;
      readonly declaration: boolean;
      readonly members: readonly Member[];
      readonly templateValues: readonly TemplateValue[];
      readonly variantParts: readonly VariantPart[];
    }
  | {
      readonly kind: 'array';
      readonly name: string | undefined;
      readonly element: number | undefined;
      /** Element counts per dimension; undefined where the bound is not a constant. */
      readonly dimensions: readonly (number | undefined)[];
      readonly byteSize: number | undefined;
    }
  | {
      readonly kind: 'alias';
      readonly tag: 'typedef' | 'const' | 'volatile' | 'atomic' | 'restrict';
      readonly name: string | undefined;
      readonly target: number | undefined;
    }
  | { readonly kind: 'other'; readonly tag: number; readonly name: string | undefined; readonly byteSize: number | undefined };

const ALIAS_TAGS: ReadonlyMap<number, 'typedef' | 'const' | 'volatile' | 'atomic' | 'restrict'> = new Map([
  [DW_TAG.typedef, 'typedef'],
  [DW_TAG.const_type, 'const'],
  [DW_TAG.volatile_type, 'volatile'],
  [DW_TAG.atomic_type, 'atomic'],
  [DW_TAG.restrict_type, 'restrict'],
]);
const RECORD_TAGS: ReadonlyMap<number, 'struct' | 'union' | 'class'> = new Map([
  [DW_TAG.structure_type, 'struct'],
  [DW_TAG.union_type, 'union'],
  [DW_TAG.class_type, 'class'],
]);
const MAX_ALIAS_CHAIN = 64;

export class TypeReader {
  private readonly cache = new Map<number, DwarfType>();

  constructor(private readonly dwarf: DwarfInfo) {}

  /** The type at a DIE offset (cached: every DIE is decoded at most once). */
  read(offset: number): DwarfType {
    let type = this.cache.get(offset);
    if (!type) {
      // A placeholder first: a DIE that leads back to itself (only in corrupt DWARF) reads as unknown.
      this.cache.set(offset, { kind: 'other', tag: 0, name: undefined, byteSize: undefined });
      type = this.decode(this.dwarf.readDie(offset));
      this.cache.set(offset, type);
    }
    return type;
  }

  /**
   * The type at a DIE offset without keeping it: for a pass over many types of which few matter
   * (whether a static can hold a heap), so a large build's types are not all held in memory.
   */
  peek(offset: number): DwarfType {
    return this.cache.get(offset) ?? this.decode(this.dwarf.readDie(offset));
  }

  /** Follows typedef/const/volatile/atomic/restrict to the type underneath (undefined for void or a loop). */
  strip(offset: number | undefined): DwarfType | undefined {
    for (let i = 0; offset !== undefined && i < MAX_ALIAS_CHAIN; i++) {
      const type = this.read(offset);
      if (type.kind !== 'alias') return type;
      offset = type.target;
    }
    return undefined;
  }

  /** Bytes in a value of the type (array sizes multiplied out), when DWARF says. */
  byteSize(offset: number | undefined, depth = 0): number | undefined {
    const type = depth < MAX_ALIAS_CHAIN ? this.strip(offset) : undefined;
    if (!type || type.kind === 'alias') return undefined;
    if (type.kind !== 'array' || type.byteSize !== undefined) return type.byteSize;
    const element = this.byteSize(type.element, depth + 1);
    if (element === undefined || type.dimensions.some(d => d === undefined)) return undefined;
    return type.dimensions.reduce<number>((total, d) => total * d!, element);
  }

  /** A type's name as a debugger prints it, best effort ("Heap<16>", "*mut u8", "struct Heap"). */
  name(offset: number | undefined): string | undefined {
    if (offset === undefined) return undefined;
    for (let prefix = '', i = 0; i < MAX_ALIAS_CHAIN; i++) {
      const type: DwarfType = this.read(offset);
      if (type.name !== undefined || type.kind !== 'alias' || type.tag === 'typedef' || type.target === undefined) {
        return type.name === undefined ? undefined : prefix + type.name;
      }
      // An unnamed const/volatile: name what it qualifies, as C prints it ("const volatile LockedHeap").
      prefix += `${type.tag} `;
      offset = type.target;
    }
    return undefined;
  }

  private decode(die: Die): DwarfType {
    const d = this.dwarf;
    // A stand-in for a type kept in a type unit (-fdebug-types-section): read the real one.
    const signature = d.reference(die.attributes.get(DW_AT.signature));
    if (signature !== undefined && signature !== die.offset) return this.read(signature);
    const name = d.string(die.attributes.get(DW_AT.name), die.unit);
    const byteSize = constant(die.attributes.get(DW_AT.byte_size));
    const target = d.reference(die.attributes.get(DW_AT.type));
    const alias = ALIAS_TAGS.get(die.tag);
    if (alias) return { kind: 'alias', tag: alias, name, target };
    const record = RECORD_TAGS.get(die.tag);
    if (record) return this.record(die, record, name, byteSize);
    switch (die.tag) {
      case DW_TAG.base_type:
        return { kind: 'base', name, byteSize, encoding: constant(die.attributes.get(DW_AT.encoding)) };
      case DW_TAG.pointer_type:
      case DW_TAG.reference_type:
      case DW_TAG.rvalue_reference_type:
        return { kind: 'pointer', name, byteSize: byteSize ?? die.unit.addressSize, target };
      case DW_TAG.array_type: {
        const dimensions = d
          .children(die)
          .filter(child => child.tag === DW_TAG.subrange_type)
          .map(child => subrangeCount(child));
        return { kind: 'array', name, element: target, dimensions, byteSize };
      }
      default:
        return { kind: 'other', tag: die.tag, name, byteSize };
    }
  }

  private record(die: Die, tag: 'struct' | 'union' | 'class', name: string | undefined, byteSize: number | undefined): DwarfType {
    const members: Member[] = [];
    const templateValues: TemplateValue[] = [];
    const variantParts: VariantPart[] = [];
    for (const child of this.dwarf.children(die)) {
      if (child.tag === DW_TAG.member || child.tag === DW_TAG.inheritance) {
        const member = this.member(child);
        if (member) members.push(member);
      } else if (child.tag === DW_TAG.template_value_param) {
        const value = child.attributes.get(DW_AT.const_value);
        templateValues.push({
          name: this.dwarf.string(child.attributes.get(DW_AT.name), child.unit),
          value: value?.kind === 'const' ? value.value : undefined,
        });
      } else if (child.tag === DW_TAG.variant_part) {
        variantParts.push(this.variantPart(child));
      }
    }
    return {
      kind: 'record',
      tag,
      name,
      byteSize,
      declaration: flag(die.attributes.get(DW_AT.declaration)),
      members,
      templateValues,
      variantParts,
    };
  }

  /** A data member; static members (declarations, DWARF 4 and earlier) are not part of the layout. */
  private member(die: Die): Member | undefined {
    if (flag(die.attributes.get(DW_AT.declaration))) return undefined;
    const a = die.attributes;
    return {
      name: this.dwarf.string(a.get(DW_AT.name), die.unit),
      offset: memberOffset(a.get(DW_AT.data_member_location), this.dwarf.littleEndian, a.has(DW_AT.data_bit_offset)),
      type: this.dwarf.reference(a.get(DW_AT.type)),
      bitField: a.has(DW_AT.bit_size),
      inherited: die.tag === DW_TAG.inheritance,
    };
  }

  private variantPart(die: Die): VariantPart {
    const discriminantRef = this.dwarf.reference(die.attributes.get(DW_AT.discr));
    let discriminant: Member | undefined;
    const variants: Variant[] = [];
    for (const child of this.dwarf.children(die)) {
      if (child.tag === DW_TAG.member && child.offset === discriminantRef) discriminant = this.member(child);
      else if (child.tag === DW_TAG.variant) {
        const value = child.attributes.get(DW_AT.discr_value);
        const members = this.dwarf
          .children(child)
          .filter(m => m.tag === DW_TAG.member)
          .map(m => this.member(m))
          .filter((m): m is Member => m !== undefined);
        variants.push({ discriminantValue: value?.kind === 'const' ? value.value : undefined, members });
      }
    }
    return { discriminant, variants };
  }
}

/** A subrange's element count: DW_AT_count, else upper - lower + 1 (lower defaults to 0 in C and Rust). */
function subrangeCount(die: Die): number | undefined {
  const count = constant(die.attributes.get(DW_AT.count));
  if (count !== undefined) return count;
  const upper = constant(die.attributes.get(DW_AT.upper_bound));
  if (upper === undefined) return undefined;
  const lower = constant(die.attributes.get(DW_AT.lower_bound)) ?? 0;
  // gcc writes the bound of a zero-length array (`T a[0]`) as -1 in an unsigned 4-byte form.
  if (upper === 0xffff_ffff && lower === 0) return 0;
  const n = upper - lower + 1;
  return n >= 0 ? n : undefined;
}

/** DW_AT_data_member_location: a constant, or the DWARF 2 form `DW_OP_plus_uconst n` (or `DW_OP_constu n`). */
function memberOffset(value: AttrValue | undefined, littleEndian: boolean, hasBitOffset: boolean): number | undefined {
  if (value === undefined) return hasBitOffset ? undefined : 0; // union members, and the first member of some producers
  if (value.kind === 'const') return typeof value.value === 'number' && value.value >= 0 ? value.value : undefined;
  if (value.kind !== 'block') return undefined;
  const r = new ByteReader(value.bytes, littleEndian, 'a member location');
  try {
    const op = r.u8();
    if (op !== DW_OP.plus_uconst && op !== DW_OP.constu) return undefined;
    const offset = r.uleb('a member offset');
    return r.remaining === 0 ? offset : undefined;
  } catch (error) {
    if (error instanceof ProgramReadError) return undefined;
    throw error;
  }
}
