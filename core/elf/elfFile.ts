// An ELF file's headers, sections and segments, read from bytes (ELF32 and ELF64, either byte
// order). Section contents are read only when asked for, and compressed debug sections are
// inflated then (once): opening a large debug build costs only its header tables.
import { ByteReader, stringAt } from './byteReader';
import { hexOffset, ProgramReadError } from './readError';
import { type ElfHeader, type ElfSection, type ElfSegment, SHT_NOBITS } from './elfTypes';
import { sectionContents } from './sectionContents';

const SHN_XINDEX = 0xffff;
const PN_XNUM = 0xffff;

export class ElfFile {
  readonly header: ElfHeader;
  readonly sections: readonly ElfSection[];
  readonly segments: readonly ElfSegment[];
  private readonly byName = new Map<string, ElfSection>();
  private readonly contents = new Map<number, Uint8Array>();

  /** Throws ProgramReadError when the bytes are not a readable ELF file. */
  constructor(readonly bytes: Uint8Array) {
    if (bytes.length < 16 || bytes[0] !== 0x7f || bytes[1] !== 0x45 || bytes[2] !== 0x4c || bytes[3] !== 0x46) {
      throw new ProgramReadError('not-elf', 'not an ELF file (it does not start with the bytes 7f 45 4c 46, "\\x7fELF")');
    }
    const elfClass = bytes[4];
    const data = bytes[5];
    if (elfClass !== 1 && elfClass !== 2) throw new ProgramReadError('malformed', `ELF class byte is ${elfClass} (1 = 32-bit, 2 = 64-bit)`);
    if (data !== 1 && data !== 2) throw new ProgramReadError('malformed', `ELF data byte is ${data} (1 = little endian, 2 = big endian)`);
    const is64 = elfClass === 2;
    const reader = new ByteReader(bytes, data === 1, 'the ELF header', 16);
    const word = (what: string) => (is64 ? reader.u64Offset(what) : reader.u32());
    const type = reader.u16();
    const machine = reader.u16();
    reader.u32(); // e_version
    const entry = reader.address(is64 ? 8 : 4);
    const phoff = word('e_phoff');
    const shoff = word('e_shoff');
    const flags = reader.u32();
    reader.u16(); // e_ehsize
    const phentsize = reader.u16();
    let phnum = reader.u16();
    const shentsize = reader.u16();
    let shnum = reader.u16();
    let shstrndx = reader.u16();
    this.header = { class: is64 ? 64 : 32, endianness: data === 1 ? 'little' : 'big', osAbi: bytes[7]!, type, machine, entry, flags };

    const sectionHeaderSize = is64 ? 64 : 40;
    const raw: RawSection[] = [];
    if (shoff !== 0) {
      if (shentsize < sectionHeaderSize) {
        throw new ProgramReadError(
          'malformed',
          `section headers are ${shentsize} bytes each; ELF${is64 ? 64 : 32} needs ${sectionHeaderSize}`,
        );
      }
      // Extended numbering: more than 0xff00 sections keep their count (and the names' index) in section 0.
      const first = readSectionHeader(this.tableReader(shoff, shentsize, 1, 'section header table'), is64, 0);
      if (shnum === 0) shnum = first.size;
      if (shstrndx === SHN_XINDEX) shstrndx = first.link;
      if (phnum === PN_XNUM) phnum = first.info;
      const table = this.tableReader(shoff, shentsize, shnum, 'section header table');
      for (let i = 0; i < shnum; i++) {
        table.pos = shoff + i * shentsize;
        raw.push(readSectionHeader(table, is64, i));
      }
    }
    const nameTable = shstrndx !== 0 && raw[shstrndx] ? this.rawContents({ ...raw[shstrndx]!, name: 'section name table' }) : undefined;
    const sections = raw.map(({ nameOffset, ...s }): ElfSection => ({ ...s, name: nameTable ? safeName(nameTable, nameOffset) : '' }));
    this.sections = sections;
    for (const s of sections) if (!this.byName.has(s.name)) this.byName.set(s.name, s);

    const segments: ElfSegment[] = [];
    if (phoff !== 0 && phnum > 0) {
      const programHeaderSize = is64 ? 56 : 32;
      if (phentsize < programHeaderSize) {
        throw new ProgramReadError(
          'malformed',
          `program headers are ${phentsize} bytes each; ELF${is64 ? 64 : 32} needs ${programHeaderSize}`,
        );
      }
      const table = this.tableReader(phoff, phentsize, phnum, 'program header table');
      for (let i = 0; i < phnum; i++) {
        table.pos = phoff + i * phentsize;
        segments.push(readProgramHeader(table, is64));
      }
    }
    this.segments = segments;
  }

  get littleEndian(): boolean {
    return this.header.endianness === 'little';
  }

  /** The first section of that name, if any. */
  section(name: string): ElfSection | undefined {
    return this.byName.get(name);
  }

  /** A section's bytes, inflated when compressed (SHF_COMPRESSED, or a legacy .zdebug_* section). */
  data(section: ElfSection): Uint8Array {
    let data = this.contents.get(section.index);
    if (!data) {
      data = sectionContents(section, this.rawContents(section), this.header.class, this.littleEndian);
      this.contents.set(section.index, data);
    }
    return data;
  }

  /** A debug section by its name (".debug_info"), also found as its legacy compressed ".zdebug_info". */
  debugSection(name: string): Uint8Array | undefined {
    const section = this.section(name) ?? this.section('.z' + name.slice(1));
    return section && section.type !== SHT_NOBITS ? this.data(section) : undefined;
  }

  /** The section's bytes as stored in the file. */
  rawContents(section: ElfSection): Uint8Array {
    if (section.type === SHT_NOBITS) return new Uint8Array(0);
    if (section.offset + section.size > this.bytes.length) {
      throw new ProgramReadError(
        'truncated',
        `section ${section.name || `#${section.index}`} (${section.size} bytes at file offset ${hexOffset(section.offset)}) runs past the end of the file (${this.bytes.length} bytes)`,
      );
    }
    return this.bytes.subarray(section.offset, section.offset + section.size);
  }

  private tableReader(offset: number, entrySize: number, count: number, what: string): ByteReader {
    const end = offset + entrySize * count;
    if (end > this.bytes.length) {
      throw new ProgramReadError(
        'truncated',
        `the ${what} (${count} entries of ${entrySize} bytes at ${hexOffset(offset)}) runs past the end of the file (${this.bytes.length} bytes)`,
      );
    }
    return new ByteReader(this.bytes, this.littleEndian, `the ${what}`, offset, end);
  }
}

/** A section header before its name is looked up in the name table. */
type RawSection = Omit<ElfSection, 'name'> & { readonly nameOffset: number };

function readSectionHeader(r: ByteReader, is64: boolean, index: number): RawSection {
  const nameOffset = r.u32();
  const type = r.u32();
  const flags = is64 ? r.u64() : BigInt(r.u32());
  const address = r.address(is64 ? 8 : 4);
  const offset = is64 ? r.u64Offset('sh_offset') : r.u32();
  const size = is64 ? r.u64Offset('sh_size') : r.u32();
  const link = r.u32();
  const info = r.u32();
  const addressAlign = is64 ? r.u64() : BigInt(r.u32());
  const entrySize = is64 ? r.u64Offset('sh_entsize') : r.u32();
  return { index, nameOffset, type, flags, address, offset, size, link, info, addressAlign, entrySize };
}

function readProgramHeader(r: ByteReader, is64: boolean): ElfSegment {
  if (is64) {
    const type = r.u32();
    const flags = r.u32();
    const offset = r.u64Offset('p_offset');
    const virtualAddress = r.u64();
    const physicalAddress = r.u64();
    const fileSize = r.u64Offset('p_filesz');
    const memorySize = r.u64();
    const align = r.u64();
    return { type, flags, offset, virtualAddress, physicalAddress, fileSize, memorySize, align };
  }
  const type = r.u32();
  const offset = r.u32();
  const virtualAddress = BigInt(r.u32());
  const physicalAddress = BigInt(r.u32());
  const fileSize = r.u32();
  const memorySize = BigInt(r.u32());
  const flags = r.u32();
  const align = BigInt(r.u32());
  return { type, flags, offset, virtualAddress, physicalAddress, fileSize, memorySize, align };
}

/** A name that cannot be read becomes "<bad name offset>" rather than failing the whole file. */
function safeName(table: Uint8Array, offset: number): string {
  if (offset === 0) return '';
  try {
    return stringAt(table, offset, 'the section name table');
  } catch (error) {
    if (error instanceof ProgramReadError) return `<bad name offset ${hexOffset(offset)}>`;
    throw error;
  }
}
