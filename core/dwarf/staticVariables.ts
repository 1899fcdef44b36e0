// One pass over .debug_info that finds every variable with a static location, with the
// namespaces, types and functions around it (Rust paths, C++ namespaces, C function statics).
// DIEs of other kinds are skipped without decoding their attributes; names and types are left
// as references for the caller to resolve only for the variables it cares about.
import { DW_AT, DW_TAG, DW_UT } from './constants';
import { type DwarfInfo, readAttributes } from './dwarfInfo';
import { skipAttributes } from './forms';
import { isTombstone, staticAddress } from './location';
import type { UnitHeader } from './unit';

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
  name: string | undefined;
  /** Where the name is when the DIE has none of its own (an out-of-line C++ method). */
  readonly origin: number | undefined;
}

const SCOPE_TAGS = new Set<number>([DW_TAG.namespace, DW_TAG.structure_type, DW_TAG.class_type, DW_TAG.union_type, DW_TAG.subprogram]);
const MAX_ORIGIN_HOPS = 8;

export function findStaticVariables(dwarf: DwarfInfo): StaticVariable[] {
  const found: StaticVariable[] = [];
  for (const unit of dwarf.units()) {
    if (unit.unitType === DW_UT.type || unit.unitType === DW_UT.split_type) continue;
    scanUnit(dwarf, unit, found);
  }
  return found;
}

function scanUnit(dwarf: DwarfInfo, unit: UnitHeader, found: StaticVariable[]): void {
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
      const attributes = readAttributes(r, abbrev, unit);
      const location = attributes.get(DW_AT.location);
      if (location?.kind === 'block') {
        const address = staticAddress(location.bytes, unit, dwarf);
        if (address !== undefined && !isTombstone(address, unit.addressSize)) {
          found.push({
            dieOffset: offset,
            unit,
            scope: scopePath(dwarf, scopes),
            name: dwarf.string(attributes.get(DW_AT.name), unit),
            address,
            type: dwarf.reference(attributes.get(DW_AT.type)),
            origin: dwarf.reference(attributes.get(DW_AT.specification) ?? attributes.get(DW_AT.abstract_origin)),
          });
        }
      }
    } else if (abbrev.hasChildren && SCOPE_TAGS.has(tag) && depth > 0) {
      const attributes = readAttributes(r, abbrev, unit);
      const name = dwarf.string(attributes.get(DW_AT.name), unit);
      const origin = dwarf.reference(attributes.get(DW_AT.specification) ?? attributes.get(DW_AT.abstract_origin));
      scopes.push({ depth: depth + 1, name: name ?? (tag === DW_TAG.namespace ? '(anonymous namespace)' : undefined), origin });
    } else {
      skipAttributes(r, abbrev, unit);
    }
    if (abbrev.hasChildren) depth++;
    else if (depth === 0) return; // a unit whose root has no children
  }
}

/** The scopes' names joined by "::"; a name kept on another DIE is looked up now (only for found variables). */
function scopePath(dwarf: DwarfInfo, scopes: Scope[]): string {
  if (scopes.length === 0) return '';
  return scopes
    .map(scope => {
      if (scope.name === undefined) scope.name = originName(dwarf, scope.origin) ?? '?';
      return scope.name;
    })
    .join('::');
}

/** The name on a DIE or on the DIEs its specification/abstract origin chain leads to. */
export function originName(dwarf: DwarfInfo, origin: number | undefined): string | undefined {
  for (let hops = 0; origin !== undefined && hops < MAX_ORIGIN_HOPS; hops++) {
    const die = dwarf.readDie(origin);
    const name = dwarf.string(die.attributes.get(DW_AT.name), die.unit);
    if (name !== undefined) return name;
    origin = dwarf.reference(die.attributes.get(DW_AT.specification) ?? die.attributes.get(DW_AT.abstract_origin));
  }
  return undefined;
}
