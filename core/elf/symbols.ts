// Symbol tables (.symtab, else .dynsym): names, values, sizes, types and bindings.
import { ByteReader, stringAt } from './byteReader';
import type { ElfFile } from './elfFile';
import { type ElfSection, SHT_DYNSYM, SHT_SYMTAB } from './elfTypes';
import { ProgramReadError } from './readError';

export interface ElfSymbol {
  readonly name: string;
  readonly value: bigint;
  readonly size: bigint;
  /** STT_*: 0 none, 1 object, 2 function, 3 section, 4 file, 6 TLS. */
  readonly type: number;
  /** STB_*: 0 local, 1 global, 2 weak. */
  readonly binding: number;
  readonly visibility: number;
  /** The section index, or SHN_UNDEF (0), SHN_ABS (0xfff1), SHN_COMMON (0xfff2). */
  readonly sectionIndex: number;
}

/** The symbols of the first SHT_SYMTAB section, else of SHT_DYNSYM; empty for a stripped file. */
export function readSymbols(elf: ElfFile): ElfSymbol[] {
  const table = elf.sections.find(s => s.type === SHT_SYMTAB) ?? elf.sections.find(s => s.type === SHT_DYNSYM);
  return table ? readSymbolTable(elf, table) : [];
}

export function readSymbolTable(elf: ElfFile, table: ElfSection): ElfSymbol[] {
  const is64 = elf.header.class === 64;
  const entrySize = is64 ? 24 : 16;
  if (table.entrySize !== 0 && table.entrySize < entrySize) {
    throw new ProgramReadError(
      'malformed',
      `symbol table ${table.name} has ${table.entrySize}-byte entries; ELF${elf.header.class} needs ${entrySize}`,
    );
  }
  const stride = table.entrySize || entrySize;
  const names = elf.sections[table.link];
  if (!names) throw new ProgramReadError('malformed', `symbol table ${table.name} links to section ${table.link}, which does not exist`);
  const strtab = elf.rawContents(names);
  const bytes = elf.rawContents(table);
  const r = new ByteReader(bytes, elf.littleEndian, `symbol table ${table.name}`);
  const count = Math.floor(bytes.length / stride);
  const symbols: ElfSymbol[] = [];
  for (let i = 0; i < count; i++) {
    r.pos = i * stride;
    const nameOffset = r.u32();
    let value: bigint, size: bigint, info: number, other: number, sectionIndex: number;
    if (is64) {
      info = r.u8();
      other = r.u8();
      sectionIndex = r.u16();
      value = r.u64();
      size = r.u64();
    } else {
      value = BigInt(r.u32());
      size = BigInt(r.u32());
      info = r.u8();
      other = r.u8();
      sectionIndex = r.u16();
    }
    const name = nameOffset === 0 ? '' : stringAt(strtab, nameOffset, `string table ${names.name}`);
    symbols.push({ name, value, size, type: info & 0xf, binding: info >> 4, visibility: other & 0x3, sectionIndex });
  }
  return symbols;
}
