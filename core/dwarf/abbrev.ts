// Abbreviation tables (.debug_abbrev): each DIE starts with a code naming its tag, whether it has
// children, and the (attribute, form) pairs that follow. Parsed once per table offset.
import { ByteReader } from '../elf/byteReader';
import { hexOffset, ProgramReadError } from '../elf/readError';
import { DW_FORM as DW_FORM_EXPORT } from './constants';

// Local bindings: esbuild's CommonJS output reads an imported binding through a getter on every
// use, which the per-attribute loops would pay millions of times.
const DW_FORM = DW_FORM_EXPORT;

export interface Abbrev {
  readonly code: number;
  readonly tag: number;
  readonly hasChildren: boolean;
  readonly attributes: readonly number[];
  readonly forms: readonly number[];
  /** DW_FORM_implicit_const values by attribute index (the value lives in the table). */
  readonly implicitConsts: ReadonlyMap<number, number | bigint> | undefined;
  /** Bytes of all attributes when every form has a fixed size in this unit's format, else -1; computed on first use. */
  fixedSize: number | undefined;
  fixedSizeFormat: number;
}

export class AbbrevTable {
  private readonly dense: (Abbrev | undefined)[] = [];
  private readonly sparse = new Map<number, Abbrev>();
  private allForms: number[] | undefined;

  constructor(readonly offset: number) {}

  add(abbrev: Abbrev): void {
    if (abbrev.code < 4096) this.dense[abbrev.code] = abbrev;
    else this.sparse.set(abbrev.code, abbrev);
  }

  /** Every form any abbreviation of the table uses (computed once). */
  forms(): readonly number[] {
    if (!this.allForms) {
      const forms = new Set<number>();
      for (const abbrev of [...this.dense, ...this.sparse.values()]) if (abbrev) for (const form of abbrev.forms) forms.add(form);
      this.allForms = [...forms];
    }
    return this.allForms;
  }

  get(code: number): Abbrev | undefined {
    return code < 4096 ? this.dense[code] : this.sparse.get(code);
  }
}

export function parseAbbrevTable(section: Uint8Array, offset: number, littleEndian: boolean): AbbrevTable {
  if (offset >= section.length) {
    throw new ProgramReadError(
      'malformed',
      `abbreviation table offset ${hexOffset(offset)} is past the end of .debug_abbrev (${section.length} bytes)`,
    );
  }
  const r = new ByteReader(section, littleEndian, 'section .debug_abbrev', offset);
  const table = new AbbrevTable(offset);
  for (;;) {
    const code = r.uleb('an abbreviation code');
    if (code === 0) return table;
    const tag = r.uleb('a tag');
    const hasChildren = r.u8() !== 0;
    const attributes: number[] = [];
    const forms: number[] = [];
    let implicitConsts: Map<number, number | bigint> | undefined;
    for (;;) {
      const attribute = r.uleb('an attribute');
      const form = r.uleb('a form');
      if (attribute === 0 && form === 0) break;
      if (form === DW_FORM.implicit_const) (implicitConsts ??= new Map()).set(attributes.length, r.slebValue());
      attributes.push(attribute);
      forms.push(form);
    }
    table.add({ code, tag, hasChildren, attributes, forms, implicitConsts, fixedSize: undefined, fixedSizeFormat: 0 });
  }
}
