// A light read of a struct/union/class for the "can this type hold a heap?" pass: only its
// members' type references, and whether one is named min_block_size_log2, compared by string
// offset where it can be. No attribute maps, no member names as strings: a large build has
// hundreds of thousands of struct DIEs, and nearly none of them matter.
import { DW_AT as DW_AT_EXPORT, DW_FORM as DW_FORM_EXPORT, DW_TAG as DW_TAG_EXPORT } from '../dwarf/constants';
import type { DwarfInfo } from '../dwarf/dwarfInfo';
import { readForm, skipAttributes, skipForm } from '../dwarf/forms';

// Local bindings: esbuild's CommonJS output reads an imported binding through a getter.
const DW_AT = DW_AT_EXPORT;
const DW_TAG = DW_TAG_EXPORT;
const DW_FORM_STRING = DW_FORM_EXPORT.string;
const MARKER = 'min_block_size_log2';
const MARKER_BYTES = new TextEncoder().encode(MARKER + '\0');
const RECORD_TAGS = new Set<number>([DW_TAG.structure_type, DW_TAG.class_type, DW_TAG.union_type]);
/** Types whose value can never contain a struct: a heap is not inside them (a pointer's target is elsewhere). */
const LEAF_TAGS = new Set<number>([
  DW_TAG.base_type,
  DW_TAG.pointer_type,
  DW_TAG.reference_type,
  DW_TAG.rvalue_reference_type,
  DW_TAG.enumeration_type,
  DW_TAG.subroutine_type,
  DW_TAG.ptr_to_member_type,
]);

/** Types that hold exactly what their DW_AT_type holds: qualifiers, typedefs, arrays (of any bounds). */
const WRAPPER_TAGS = new Set<number>([
  DW_TAG.typedef,
  DW_TAG.const_type,
  DW_TAG.volatile_type,
  DW_TAG.restrict_type,
  DW_TAG.atomic_type,
  DW_TAG.array_type,
]);

/** What scan answers for a leaf type: nothing inside, no marker (shared: leaves are most types). */
export const LEAF_TYPE: MemberScan = Object.freeze({ memberTypes: Object.freeze([]) as readonly number[], namesMarker: false });

export interface MemberScan {
  /** The data members' (and base classes') type DIE offsets. */
  readonly memberTypes: readonly number[];
  /** A member is named min_block_size_log2. */
  readonly namesMarker: boolean;
}

export class MemberScanner {
  private readonly markerOffsets = new Map<string, Set<number>>();

  constructor(private readonly dwarf: DwarfInfo) {}

  /**
   * The record at `offset` read lightly, LEAF_TYPE for a type that cannot contain one (base,
   * pointer, enum, function), a typedef, qualifier or array as the one type it wraps, or
   * undefined otherwise (the caller decodes it fully).
   */
  scan(offset: number): MemberScan | undefined {
    const dwarf = this.dwarf;
    const unit = dwarf.unitAt(offset);
    const table = dwarf.abbrevs(unit);
    const r = dwarf.unitReader(unit);
    if (offset < unit.dieOffset) return undefined;
    r.pos = offset;
    const code = r.uleb('an abbreviation code');
    if (code === 0) return undefined;
    const abbrev = dwarf.abbrevFor(code, table, offset);
    if (LEAF_TAGS.has(abbrev.tag)) return LEAF_TYPE;
    // Type-unit stand-ins (DW_AT_signature) go the full way.
    if (abbrev.attributes.includes(DW_AT.signature)) return undefined;
    if (WRAPPER_TAGS.has(abbrev.tag)) return { memberTypes: wrappedType(dwarf, r, abbrev, unit), namesMarker: false };
    // Everything else but records goes the full way.
    if (!RECORD_TAGS.has(abbrev.tag)) return undefined;
    skipAttributes(r, abbrev, unit);
    const memberTypes: number[] = [];
    let namesMarker = false;
    if (!abbrev.hasChildren) return { memberTypes, namesMarker };
    while (r.pos < r.end) {
      const childOffset = r.pos;
      const childCode = r.uleb('an abbreviation code');
      if (childCode === 0) break;
      const child = dwarf.abbrevFor(childCode, table, childOffset);
      if (child.tag === DW_TAG.variant_part) return undefined; // Rust enums: the full decode knows variants
      if (child.tag !== DW_TAG.member && child.tag !== DW_TAG.inheritance) {
        skipAttributes(r, child, unit);
      } else {
        let type: number | undefined;
        let excluded = false;
        for (let i = 0; i < child.forms.length; i++) {
          const attribute = child.attributes[i]!;
          const form = child.forms[i]!;
          if (attribute === DW_AT.type) type = dwarf.reference(readForm(r, form, unit, undefined));
          else if (attribute === DW_AT.name && form === DW_FORM_STRING) {
            // gcc writes short names inline: compare the bytes where they are, decode nothing.
            namesMarker = markerAt(r.bytes, r.pos, r.end) || namesMarker;
            skipForm(r, form, unit);
          } else if (attribute === DW_AT.name)
            namesMarker = this.isMarker(readForm(r, form, unit, child.implicitConsts?.get(i)), unit) || namesMarker;
          else if (attribute === DW_AT.declaration || attribute === DW_AT.bit_size) {
            excluded = true; // a static member or a bit field is not part of a by-value layout that can hold a heap
            skipForm(r, form, unit);
          } else skipForm(r, form, unit);
        }
        if (type !== undefined && !excluded) memberTypes.push(type);
      }
      if (child.hasChildren) dwarf.skipChildren(r, table, unit);
    }
    return { memberTypes, namesMarker };
  }

  private isMarker(value: ReturnType<typeof readForm>, unit: Parameters<DwarfInfo['string']>[1]): boolean {
    if (value.kind === 'strp') return this.offsetsOf(value.section).has(value.offset);
    return this.dwarf.string(value, unit) === MARKER;
  }

  /** Where "min_block_size_log2" starts in a string section (also inside a longer, tail-merged string). */
  private offsetsOf(section: '.debug_str' | '.debug_line_str'): Set<number> {
    let offsets = this.markerOffsets.get(section);
    if (!offsets) {
      offsets = new Set();
      const table = section === '.debug_str' ? this.dwarf.sections.str : this.dwarf.sections.lineStr;
      if (table) {
        const buffer = Buffer.from(table.buffer, table.byteOffset, table.length);
        for (let at = buffer.indexOf(MARKER_BYTES); at >= 0; at = buffer.indexOf(MARKER_BYTES, at + 1)) offsets.add(at);
      }
      this.markerOffsets.set(section, offsets);
    }
    return offsets;
  }
}

/** Whether the NUL-terminated string at `at` is exactly "min_block_size_log2". */
function markerAt(bytes: Uint8Array, at: number, end: number): boolean {
  if (at + MARKER_BYTES.length > end) return false;
  for (let i = 0; i < MARKER_BYTES.length; i++) if (bytes[at + i] !== MARKER_BYTES[i]) return false;
  return true;
}

/** The DW_AT_type of a typedef, qualifier or array DIE (none: void, or an incomplete array). */
function wrappedType(
  dwarf: DwarfInfo,
  r: ReturnType<DwarfInfo['unitReader']>,
  abbrev: ReturnType<DwarfInfo['abbrevFor']>,
  unit: ReturnType<DwarfInfo['unitAt']>,
): number[] {
  for (let i = 0; i < abbrev.forms.length; i++) {
    const form = abbrev.forms[i]!;
    if (abbrev.attributes[i] === DW_AT.type) {
      const target = dwarf.reference(readForm(r, form, unit, undefined));
      return target === undefined ? [] : [target];
    }
    skipForm(r, form, unit);
  }
  return [];
}
