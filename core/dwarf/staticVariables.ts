// One pass over .debug_info that finds every variable with a static location, with the
// namespaces, types and functions around it (Rust paths, C++ namespaces, C function statics).
// DIEs of other kinds are skipped without decoding their attributes; names and types are left
// as references for the caller to resolve only for the variables it cares about.
import {
  DW_AT as DW_AT_EXPORT,
  DW_FORM as DW_FORM_EXPORT,
  DW_OP as DW_OP_EXPORT,
  DW_TAG as DW_TAG_EXPORT,
  DW_UT as DW_UT_EXPORT,
} from './constants';
import type { DwarfInfo } from './dwarfInfo';
import type { ByteReader } from '../elf/byteReader';
import type { Abbrev } from './abbrev';
import { type AttrValue, blockLength, readForm, skipAttributes, skipForm } from './forms';
import { isTombstone, staticAddress } from './location';
import type { UnitHeader } from './unit';

// Local bindings: esbuild's CommonJS output reads an imported binding through a getter on every
// use, which the per-attribute loops would pay millions of times.
const DW_AT = DW_AT_EXPORT;
const DW_TAG = DW_TAG_EXPORT;
const DW_UT = DW_UT_EXPORT;
const DW_OP = DW_OP_EXPORT;
const DW_FORM_STRING = DW_FORM_EXPORT.string;

export interface StaticVariable {
  readonly dieOffset: number;
  readonly unit: UnitHeader;
  /** The enclosing scopes, outermost first, joined by "::" ("" at the top level). */
  readonly scope: string;
  /** Undefined when the name is on the DIE `origin` points to. */
  readonly name: string | undefined;
  readonly address: bigint;
  /** The type DIE's offset; undefined when it is on `origin`'s DIE. */
  readonly type: number | undefined;
  /** DW_AT_specification or DW_AT_abstract_origin: the declaration that holds what this DIE leaves out. */
  readonly origin: number | undefined;
}

interface Scope {
  /** Children of the scope's DIE are at this depth. */
  readonly depth: number;
  /** The scope's DIE: its name is read only when a static is found inside (most scopes are functions without one). */
  readonly offset: number;
  name: string | undefined;
}

const SCOPE_TAGS = new Set<number>([DW_TAG.namespace, DW_TAG.structure_type, DW_TAG.class_type, DW_TAG.union_type, DW_TAG.subprogram]);
const MAX_ORIGIN_HOPS = 8;

/** Statics of every unit, or of the units `include` accepts. */
export function findStaticVariables(dwarf: DwarfInfo, include?: (unit: UnitHeader) => boolean): StaticVariable[] {
  const found: StaticVariable[] = [];
  forEachStaticVariable(dwarf, include, variable => found.push(variable));
  return found;
}

/**
 * Each static of every unit (or of the units `include` accepts), handed over as it is found: a
 * caller that keeps only a few of them lets the rest die young instead of holding them all.
 * Returns how many there were.
 */
export function forEachStaticVariable(
  dwarf: DwarfInfo,
  include: ((unit: UnitHeader) => boolean) | undefined,
  visit: (variable: StaticVariable) => void,
): number {
  let count = 0;
  const counted = (variable: StaticVariable) => {
    count++;
    visit(variable);
  };
  for (const unit of dwarf.units()) {
    if (unit.unitType === DW_UT.type || unit.unitType === DW_UT.split_type) continue;
    if (include && !include(unit)) continue;
    scanUnit(dwarf, unit, counted);
  }
  return count;
}

function scanUnit(dwarf: DwarfInfo, unit: UnitHeader, found: (variable: StaticVariable) => void): void {
  const table = dwarf.abbrevs(unit);
  const r = dwarf.unitReader(unit);
  r.pos = unit.dieOffset;
  const scopes: Scope[] = [];
  let depth = 0;
  while (r.pos < r.end) {
    const offset = r.pos;
    const code = r.uleb('an abbreviation code');
    if (code === 0) {
      depth--;
      while (scopes.length > 0 && scopes[scopes.length - 1]!.depth > depth) scopes.pop();
      if (depth <= 0) return;
      continue;
    }
    const abbrev = dwarf.abbrevFor(code, table, offset);
    const tag = abbrev.tag;
    if (tag === DW_TAG.variable) {
      const variable = readVariable(dwarf, r, abbrev, unit, offset);
      if (variable && !isTombstone(variable.address, unit.addressSize)) {
        variable.scope = scopePath(dwarf, scopes);
        found(variable);
      }
    } else if (abbrev.hasChildren && SCOPE_TAGS.has(tag) && depth > 0) {
      skipAttributes(r, abbrev, unit);
      scopes.push({ depth: depth + 1, offset, name: undefined });
    } else {
      skipAttributes(r, abbrev, unit);
    }
    if (abbrev.hasChildren) depth++;
    else if (depth === 0) return; // a unit whose root has no children
  }
}

/**
 * A static as found. Its name is decoded on first use: a large build has hundreds of thousands of
 * statics and discovery needs the names of the few whose type can hold a heap.
 */
class FoundStatic implements StaticVariable {
  scope = '';
  private decoded: string | undefined;
  private nameValue: AttrValue | undefined;
  /** Where an inline (DW_FORM_string) name starts: decoded only when asked for. */
  inlineNameAt: number | undefined;

  constructor(
    private readonly dwarf: DwarfInfo,
    readonly dieOffset: number,
    readonly unit: UnitHeader,
    nameValue: AttrValue | undefined,
    readonly address: bigint,
    readonly type: number | undefined,
    readonly origin: number | undefined,
  ) {
    this.nameValue = nameValue;
  }

  get name(): string | undefined {
    if (this.nameValue !== undefined) {
      this.decoded = this.dwarf.string(this.nameValue, this.unit);
      this.nameValue = undefined;
    } else if (this.inlineNameAt !== undefined) {
      const r = this.dwarf.unitReader(this.unit);
      r.pos = this.inlineNameAt;
      this.decoded = r.cstring();
      this.inlineNameAt = undefined;
    }
    return this.decoded;
  }
}

/**
 * A variable DIE's name, type and static address, or undefined (attributes consumed either way)
 * when its location is not a static one. Most variables are locals, so the location is decoded
 * first-op-only and nothing is allocated for them.
 */
function readVariable(dwarf: DwarfInfo, r: ByteReader, abbrev: Abbrev, unit: UnitHeader, dieOffset: number): FoundStatic | undefined {
  const { attributes, forms } = abbrev;
  const locationIndex = attributes.indexOf(DW_AT.location);
  if (locationIndex < 0) {
    skipAttributes(r, abbrev, unit);
    return undefined;
  }
  let name: AttrValue | undefined;
  let inlineNameAt: number | undefined;
  let type: AttrValue | undefined;
  let origin: AttrValue | undefined;
  let location: Uint8Array | undefined;
  for (let i = 0; i < forms.length; i++) {
    const attribute = attributes[i]!;
    const form = forms[i]!;
    if (i === locationIndex) {
      // Most variables are locals: look at the first operation without copying the expression.
      const length = blockLength(r, form);
      const first = length > 0 ? r.bytes[r.pos] : undefined;
      if (length < 0) skipForm(r, form, unit);
      else r.skip(length);
      if (first !== DW_OP.addr && first !== DW_OP.addrx && first !== DW_OP.GNU_addr_index) {
        for (let j = i + 1; j < forms.length; j++) skipForm(r, forms[j]!, unit);
        return undefined;
      }
      location = r.bytes.subarray(r.pos - length, r.pos);
    } else if (attribute === DW_AT.name && form === DW_FORM_STRING) {
      inlineNameAt = r.pos;
      skipForm(r, form, unit);
    } else if (attribute === DW_AT.name) name = readForm(r, form, unit, abbrev.implicitConsts?.get(i));
    else if (attribute === DW_AT.type) type = readForm(r, form, unit, undefined);
    else if (attribute === DW_AT.specification || attribute === DW_AT.abstract_origin) origin = readForm(r, form, unit, undefined);
    else skipForm(r, form, unit);
  }
  if (location === undefined) return undefined;
  const address = staticAddress(location, unit, dwarf);
  if (address === undefined) return undefined;
  const found = new FoundStatic(dwarf, dieOffset, unit, name, address, dwarf.reference(type), dwarf.reference(origin));
  found.inlineNameAt = inlineNameAt;
  return found;
}

/** The scopes' names joined by "::"; a name kept on another DIE is looked up now (only for found variables). */
function scopePath(dwarf: DwarfInfo, scopes: Scope[]): string {
  if (scopes.length === 0) return '';
  return scopes.map(scope => (scope.name ??= scopeName(dwarf, scope.offset))).join('::');
}

/** A namespace's, type's or function's name; an out-of-line C++ method's comes from its declaration. */
function scopeName(dwarf: DwarfInfo, offset: number): string {
  const named = namedOrigin(dwarf, offset);
  if (named) return named.name;
  return dwarf.readDie(offset).tag === DW_TAG.namespace ? '(anonymous namespace)' : '?';
}

/** The name on a DIE or on the DIEs its specification/abstract origin chain leads to. */
export function originName(dwarf: DwarfInfo, origin: number | undefined): string | undefined {
  return namedOrigin(dwarf, origin)?.name;
}

/** The first DIE along a specification/abstract origin chain that has a name, and the name. */
export function namedOrigin(dwarf: DwarfInfo, origin: number | undefined): { offset: number; name: string } | undefined {
  for (let hops = 0; origin !== undefined && hops < MAX_ORIGIN_HOPS; hops++) {
    const die = dwarf.readDie(origin);
    const name = dwarf.string(die.attributes.get(DW_AT.name), die.unit);
    if (name !== undefined) return { offset: origin, name };
    origin = dwarf.reference(die.attributes.get(DW_AT.specification) ?? die.attributes.get(DW_AT.abstract_origin));
  }
  return undefined;
}

/**
 * The scopes around a DIE ("kernel::Allocator"), found by walking its unit from the start: a C++
 * static member or namespace variable is defined outside the scope its declaration sits in, so
 * its path comes from the declaration. Called only for the few statics that are heaps.
 */
export function scopeOfDie(dwarf: DwarfInfo, target: number): string {
  const unit = dwarf.unitAt(target);
  const table = dwarf.abbrevs(unit);
  const r = dwarf.unitReader(unit);
  r.pos = unit.dieOffset;
  const scopes: Scope[] = [];
  let depth = 0;
  while (r.pos < r.end && r.pos <= target) {
    const offset = r.pos;
    if (offset === target) return scopePath(dwarf, scopes);
    const code = r.uleb('an abbreviation code');
    if (code === 0) {
      depth--;
      while (scopes.length > 0 && scopes[scopes.length - 1]!.depth > depth) scopes.pop();
      if (depth <= 0) break;
      continue;
    }
    const abbrev = dwarf.abbrevFor(code, table, offset);
    skipAttributes(r, abbrev, unit);
    if (abbrev.hasChildren && SCOPE_TAGS.has(abbrev.tag) && depth > 0) scopes.push({ depth: depth + 1, offset, name: undefined });
    if (abbrev.hasChildren) depth++;
    else if (depth === 0) break;
  }
  return '';
}
