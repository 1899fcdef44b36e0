// The DWARF reader's statics against readelf --debug-dump=info (gcc: DW_OP_addr locations in
// DWARF 2, 4, 5 and compressed) and gdb's `info address` (rustc DWARF 4 and DWARF 5, whose
// DW_OP_addrx and DW_FORM_strx go through .debug_addr and .debug_str_offsets).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { DwarfInfo } from '../../../core/dwarf/dwarfInfo';
import { findStaticVariables, originName } from '../../../core/dwarf/staticVariables';
import { ElfFile } from '../../../core/elf/elfFile';
import { buildProgram, MissingToolError, type ProgramName } from '../../support/debugPrograms';
import { gdbBatch, gdbStaticAddress, readelfStaticVariables, readelfUnits } from '../../support/toolOutput';

function statics(name: ProgramName, test: Mocha.Context) {
  let file: string;
  try {
    file = buildProgram(name).file;
  } catch (error) {
    if (error instanceof MissingToolError) test.skip();
    throw error;
  }
  const dwarf = DwarfInfo.fromElf(new ElfFile(fs.readFileSync(file)))!;
  const variables = findStaticVariables(dwarf).map(v => {
    const name = v.name ?? originName(dwarf, v.origin) ?? '?';
    return { name, path: v.scope ? `${v.scope}::${name}` : name, address: v.address };
  });
  return { file, dwarf, variables };
}

const key = (v: { name: string; address: bigint }) => `${v.name}@0x${v.address.toString(16)}`;

describe('DWARF statics against the system tools', function () {
  this.timeout(300_000);

  for (const name of [
    'arm-dwarf2',
    'arm-dwarf4',
    'arm-dwarf5',
    'arm-dwarf5-gz',
    'arm-wrapped-gz',
    'mips-be-wrapped',
    'native-wrapped',
  ] as const) {
    it(`${name}: every variable readelf shows at a DW_OP_addr, and no other`, function () {
      const { file, variables, dwarf } = statics(name, this);
      const expected = readelfStaticVariables(file).map(key).sort();
      assert.ok(expected.length >= 3, 'the program has statics');
      assert.deepEqual(variables.map(key).sort(), expected);
      assert.ok(
        dwarf.units().every(u => u.version === Number(/dwarf(\d)/.exec(name)?.[1] ?? u.version)),
        'the units have the requested DWARF version',
      );
    });
  }

  for (const name of [
    'arm-dwarf2',
    'arm-dwarf5-gz',
    'mips-be-wrapped',
    'native-cpp-types4',
    'native-cpp-types5',
    'rust-wrappers-dwarf5',
  ] as const) {
    it(`${name}: unit headers as readelf --debug-dump=info prints them`, function () {
      const { file, dwarf } = statics(name, this);
      const ours = dwarf
        .units()
        .filter(u => u.offset < dwarf.sections.typesStart)
        .map(u => ({
          offset: u.offset,
          length: u.end - u.offset - (u.offsetSize === 8 ? 12 : 4),
          version: u.version,
          abbrevOffset: u.abbrevOffset,
          pointerSize: u.addressSize,
        }));
      assert.deepEqual(ours, readelfUnits(file));
    });
  }

  for (const name of ['rust-debug', 'rust-opt1', 'rust-wrappers-dwarf5', 'rust-wrappers-opt1'] as const) {
    it(`${name}: the crate's statics are where gdb's info address puts them`, function () {
      const { file, variables, dwarf } = statics(name, this);
      const crate = name.startsWith('rust-wrappers') ? 'wrappers' : 'prog';
      const own = variables.filter(v => v.path.startsWith(`${crate}::`) && !v.path.includes('{'));
      assert.ok(own.length >= 3, `found the ${crate} statics`);
      const outputs = gdbBatch(
        buildProgram(name).gdb,
        file,
        own.map(v => `info address ${v.path}`),
      );
      own.forEach((v, i) => assert.equal(gdbStaticAddress(outputs[i]!), v.address, `${v.path}: gdb says ${outputs[i]}`));
      if (name === 'rust-wrappers-dwarf5')
        assert.ok(
          dwarf.units().some(u => u.version === 5),
          'rustc wrote DWARF 5',
        );
    });
  }
});
