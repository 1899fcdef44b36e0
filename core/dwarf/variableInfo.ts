// A static's full path and type, which a definition may leave to its declaration (C's extern,
// C++ static members and namespace variables defined outside their block).
import { DW_AT } from './constants';
import type { DwarfInfo } from './dwarfInfo';
import { namedOrigin, scopeOfDie, type StaticVariable } from './staticVariables';

const MAX_ORIGIN_HOPS = 8;

/** The static's full path; a definition naming a declaration takes the declaration's name and scope. */
export function variablePath(dwarf: DwarfInfo, variable: StaticVariable): string {
  let name = variable.name;
  let scope = variable.scope;
  const declaration = variable.origin !== undefined ? namedOrigin(dwarf, variable.origin) : undefined;
  if (declaration) {
    name ??= declaration.name;
    scope = scopeOfDie(dwarf, declaration.offset) || scope;
  }
  name ??= '?';
  return scope ? `${scope}::${name}` : name;
}

/** The variable's type DIE, from its own DIE or from its declaration's. */
export function variableType(dwarf: DwarfInfo, variable: StaticVariable): number | undefined {
  let type = variable.type;
  let origin = variable.origin;
  for (let hops = 0; type === undefined && origin !== undefined && hops < MAX_ORIGIN_HOPS; hops++) {
    const die = dwarf.readDie(origin);
    type = dwarf.reference(die.attributes.get(DW_AT.type));
    origin = dwarf.reference(die.attributes.get(DW_AT.specification) ?? die.attributes.get(DW_AT.abstract_origin));
  }
  return type;
}
