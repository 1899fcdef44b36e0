// The ELF reader against readelf on real binaries: ELF32 and ELF64, little and big endian,
// compressed debug sections (compared with objcopy's decompressed copy).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ElfFile } from '../../../core/elf/elfFile';
import { SHF_COMPRESSED } from '../../../core/elf/elfTypes';
import { ProgramReadError } from '../../../core/elf/readError';
import { readSymbols } from '../../../core/elf/symbols';
import { buildProgram, MissingToolError, type ProgramName, runTool, toolAvailable } from '../../support/debugPrograms';
import { readelfHeader, readelfSections, readelfSegments, readelfSymtab } from '../../support/toolOutput';

const PROGRAMS: ProgramName[] = [
  'arm-dwarf4',
  'arm-dwarf5-gz',
  'arm-wrapped-gz',
  'mips-be-wrapped',
  'mips64-be-wrapped',
  'native-wrapped',
  'rust-debug',
];

function load(name: ProgramName, test: Mocha.Context): { file: string; elf: ElfFile } {
  try {
    const { file } = buildProgram(name);
    return { file, elf: new ElfFile(fs.readFileSync(file)) };
  } catch (error) {
    if (error instanceof MissingToolError) test.skip();
    throw error;
  }
}

describe('ELF reader against readelf', function () {
  this.timeout(300_000);

  for (const name of PROGRAMS) {
    describe(name, () => {
      it('reads the header as readelf -h does', function () {
        const { file, elf } = load(name, this);
        const expected = readelfHeader(file);
        assert.equal(`ELF${elf.header.class}`, expected.get('Class'));
        assert.equal(expected.get('Data')!.includes(elf.header.endianness === 'little' ? 'little endian' : 'big endian'), true);
        assert.equal(elf.header.entry, BigInt(expected.get('Entry point address')!));
        assert.equal(elf.sections.length, Number(expected.get('Number of section headers')));
      });

      it('reads every section header as readelf -S does', function () {
        const { file, elf } = load(name, this);
        const expected = readelfSections(file);
        assert.equal(elf.sections.length, expected.length);
        for (const row of expected) {
          const section = elf.sections[row.index]!;
          assert.deepEqual(
            {
              name: section.name,
              address: section.address,
              offset: section.offset,
              size: section.size,
              compressed: (section.flags & BigInt(SHF_COMPRESSED)) !== 0n,
            },
            { name: row.name, address: row.address, offset: row.offset, size: row.size, compressed: row.flags.includes('C') },
            `section [${row.index}]`,
          );
        }
      });

      it('reads every segment as readelf -l does', function () {
        const { file, elf } = load(name, this);
        const expected = readelfSegments(file);
        assert.equal(elf.segments.length, expected.length);
        expected.forEach((row, i) => {
          const s = elf.segments[i]!;
          assert.deepEqual(
            {
              offset: s.offset,
              virtualAddress: s.virtualAddress,
              physicalAddress: s.physicalAddress,
              fileSize: s.fileSize,
              memorySize: s.memorySize,
            },
            {
              offset: row.offset,
              virtualAddress: row.virtualAddress,
              physicalAddress: row.physicalAddress,
              fileSize: row.fileSize,
              memorySize: row.memorySize,
            },
            `segment ${i} (${row.type})`,
          );
        });
      });

      it('reads the symbol table as readelf -s does', function () {
        const { file, elf } = load(name, this);
        const expected = readelfSymtab(file);
        const symbols = readSymbols(elf);
        assert.ok(expected.length > 0);
        assert.equal(symbols.length, expected.length);
        for (const row of expected) {
          const symbol = symbols[row.index]!;
          // readelf shows a section symbol (STT_SECTION, no name of its own) under its section's name.
          const shown = symbol.type === 3 && symbol.name === '' ? (elf.sections[symbol.sectionIndex]?.name ?? '') : symbol.name;
          assert.deepEqual(
            { name: shown, value: symbol.value, size: symbol.size },
            { name: row.name, value: row.value, size: row.size },
            `symbol ${row.index}`,
          );
        }
      });
    });
  }

  it('inflates compressed debug sections to the bytes objcopy decompresses them to', function () {
    const { file, elf } = load('arm-dwarf5-gz', this);
    const objcopy = toolAvailable('arm-none-eabi-objcopy') ? 'arm-none-eabi-objcopy' : 'objcopy';
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'elf-gz-'));
    try {
      const plain = path.join(dir, 'plain.elf');
      runTool(objcopy, ['--decompress-debug-sections', file, plain]);
      const reference = new ElfFile(fs.readFileSync(plain));
      const compressed = elf.sections.filter(s => (s.flags & BigInt(SHF_COMPRESSED)) !== 0n);
      assert.ok(
        compressed.some(s => s.name === '.debug_info'),
        'the -gz build has a compressed .debug_info',
      );
      for (const section of compressed) {
        const expected = reference.data(reference.section(section.name)!);
        assert.ok(Buffer.from(elf.data(section)).equals(Buffer.from(expected)), `${section.name} inflates to objcopy's bytes`);
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('says which section is zstd-compressed, and how to rebuild, instead of failing to inflate it', function () {
    const { elf } = load('arm-dwarf5-gz', this);
    // Mark .debug_info's compression header as ELFCOMPRESS_ZSTD (2): gcc here cannot write zstd.
    const bytes = elf.bytes.slice();
    const info = elf.section('.debug_info')!;
    new DataView(bytes.buffer).setUint32(info.offset, 2, true);
    const patched = new ElfFile(bytes);
    assert.throws(
      () => patched.data(patched.section('.debug_info')!),
      (e: unknown) =>
        e instanceof ProgramReadError && e.kind === 'unsupported' && /\.debug_info is compressed with zstd.*-gz=zlib/.test(e.message),
    );
  });

  it('says plainly when a file is not an ELF file', () => {
    assert.throws(
      () => new ElfFile(new TextEncoder().encode('#!/bin/sh\necho hello\n')),
      (e: unknown) => e instanceof ProgramReadError && e.kind === 'not-elf' && /not an ELF file/.test(e.message),
    );
  });

  it('names the section that runs past the end of a truncated file', function () {
    const { elf } = load('arm-dwarf4', this);
    // Claim .debug_info runs 1 MiB past the end of the file (sh_size of an ELF32 header is at +20).
    const bytes = elf.bytes.slice();
    const info = elf.section('.debug_info')!;
    const view = new DataView(bytes.buffer);
    const headerAt = view.getUint32(0x20, true) + info.index * 40;
    view.setUint32(headerAt + 20, bytes.length + (1 << 20), true);
    const cut = new ElfFile(bytes);
    assert.throws(
      () => cut.data(cut.section('.debug_info')!),
      (e: unknown) => e instanceof ProgramReadError && e.kind === 'truncated' && /\.debug_info/.test(e.message),
    );
  });
});
