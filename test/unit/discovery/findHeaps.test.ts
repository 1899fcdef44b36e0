// Discovery on real programs: every heap the source declares is found (C and Rust, in wrappers,
// arrays, unions, enums, function statics), and its address, field offsets, N, pointer width
// and byte order are what gdb (`print &X`, `ptype/o X`) and readelf say for the same binary.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { discoverHeaps } from '../../../core/discovery/findHeaps';
import type { DiscoveredHeap } from '../../../core/discovery/heapTypes';
import { ElfFile } from '../../../core/elf/elfFile';
import { buildProgram, MissingToolError, type ProgramName } from '../../support/debugPrograms';
import { gdbBatch, gdbFieldLayout, gdbPrintedAddress, gdbStaticAddress, readelfHeader } from '../../support/toolOutput';

const C_WRAPPED = ['BOOT_HEAP.cell.heap', 'SYSTEM.pools[0].cell.heap', 'SYSTEM.pools[1].cell.heap', 'SYSTEM.inner', 'local_heap::fn_heap'];
const CPP = ['kernel::boot_heap', 'kernel::Allocator::heap', '(anonymous namespace)::scratch'];
const RUST_WRAPPED = ['TUPLE.__1', 'CELL.value.value', 'MAYBE.Some.__0', 'MUTEX.data.value', 'PLAIN', 'UNINIT.value.value.__0'].map(
  p => `wrappers::${p}`,
);

/** The heap paths each program's source declares. */
const EXPECTED_PATHS: Record<ProgramName, readonly string[]> = {
  'arm-dwarf2': ['HEAP'],
  'arm-dwarf3': ['HEAP'],
  'arm-dwarf4': ['HEAP'],
  'arm-dwarf5': ['HEAP'],
  'arm-dwarf5-gz': ['HEAP'],
  'arm-wrapped-gz': C_WRAPPED,
  'mips-be-wrapped': C_WRAPPED,
  'mips64-be-wrapped': C_WRAPPED,
  'native-wrapped': C_WRAPPED,
  'native-owners': ['HEAP'],
  'native-cpp': CPP,
  'native-cpp-types4': CPP,
  'native-cpp-types5': CPP,
  'rust-debug': ['prog::ALLOCATOR.inner.value'],
  'rust-opt1': ['prog::ALLOCATOR.inner.value'],
  'rust-wrappers-dwarf5': RUST_WRAPPED,
  'rust-wrappers-opt1': RUST_WRAPPED,
  'rust-owners': [],
};

const FIELDS = {
  heapBase: 'heap_base',
  heapSize: 'heap_size',
  freeLists: 'free_lists',
  minBlockSize: 'min_block_size',
  minBlockSizeLog2: 'min_block_size_log2',
} as const;

describe('heap discovery against gdb', function () {
  this.timeout(300_000);

  for (const name of Object.keys(EXPECTED_PATHS) as ProgramName[]) {
    it(`${name}: finds ${EXPECTED_PATHS[name].length === 1 ? EXPECTED_PATHS[name][0] : `${EXPECTED_PATHS[name].length} heaps`} where gdb lays them out`, function () {
      let program;
      try {
        program = buildProgram(name);
      } catch (error) {
        if (error instanceof MissingToolError) this.skip();
        throw error;
      }
      const discovery = discoverHeaps(new ElfFile(fs.readFileSync(program.file)));
      assert.deepEqual(discovery.heaps.map(h => h.path).sort(), [...EXPECTED_PATHS[name]].sort());

      const endianness = readelfHeader(program.file).get('Data')!.includes('big endian') ? 'big' : 'little';
      // One gdb run per program: the address and layout of every heap (or, for a heap inside an
      // enum variant gdb cannot name while the static holds another variant, of its type and static).
      const commands = discovery.heaps.flatMap(heap => gdbCommands(heap, program.language));
      const outputs = gdbBatch(program.gdb, program.file, commands);
      discovery.heaps.forEach((heap, i) => {
        const [where, layout] = [outputs[2 * i]!, outputs[2 * i + 1]!];
        if (heap.conditions.length === 0) assert.equal(gdbPrintedAddress(where), heap.address, `${heap.path}: gdb printed ${where}`);
        else assert.equal(gdbStaticAddress(where), heap.variable.address, `${heap.variable.path}: gdb printed ${where}`);
        const fields = gdbFieldLayout(layout);
        // gdb cannot name a type that is only used inside an enum variant at opt-level=1; its layout is checked in the DWARF 5 build.
        if (heap.conditions.length > 0 && /No symbol/.test(layout)) return;
        for (const [key, field] of Object.entries(FIELDS) as [keyof typeof FIELDS, string][]) {
          assert.equal(heap.offsets[key], fields.get(field)?.offset, `${heap.path}.${field} offset; gdb printed\n${layout}`);
        }
        const pointer = fields.get('heap_base')!.size;
        assert.equal(heap.pointerWidth, pointer, `${heap.path}: pointer width`);
        assert.equal(heap.orders, fields.get('free_lists')!.size / pointer, `${heap.path}: N`);
        assert.equal(heap.log2Bytes, fields.get('min_block_size_log2')!.size, `${heap.path}: min_block_size_log2 bytes`);
        assert.equal(heap.endianness, endianness, `${heap.path}: byte order`);
        assert.ok(heap.address >= heap.variable.address, `${heap.path} lies inside ${heap.variable.path}`);
      });
    });
  }

  // The wrapper's lock flag: for each heap, the flag's path (or none), and gdb's address and size of it.
  const C_LOCKS = {
    'BOOT_HEAP.cell.heap': 'BOOT_HEAP.lock.held',
    'SYSTEM.pools[0].cell.heap': 'SYSTEM.pools[0].lock.held',
    'SYSTEM.pools[1].cell.heap': 'SYSTEM.pools[1].lock.held',
  };
  const LOCKS: Partial<Record<ProgramName, Readonly<Record<string, string>>>> = {
    'arm-wrapped-gz': C_LOCKS,
    'mips-be-wrapped': C_LOCKS,
    'native-wrapped': C_LOCKS,
    'rust-debug': { 'prog::ALLOCATOR.inner.value': 'prog::ALLOCATOR.lock.v.value' },
    'rust-opt1': { 'prog::ALLOCATOR.inner.value': 'prog::ALLOCATOR.lock.v.value' },
    'rust-wrappers-dwarf5': { 'wrappers::MUTEX.data.value': 'wrappers::MUTEX.inner.futex.v.value' },
  };
  for (const [name, locks] of Object.entries(LOCKS) as [ProgramName, Readonly<Record<string, string>>][]) {
    it(`${name}: each wrapper's lock flag is where gdb puts it, and only wrapped heaps have one`, function () {
      let program;
      try {
        program = buildProgram(name);
      } catch (error) {
        if (error instanceof MissingToolError) this.skip();
        throw error;
      }
      const heaps = discoverHeaps(new ElfFile(fs.readFileSync(program.file))).heaps;
      assert.deepEqual(Object.fromEntries(heaps.filter(h => h.lock).map(h => [h.path, h.lock!.path])), locks);
      const locked = heaps.filter(h => h.lock);
      const outputs = gdbBatch(
        program.gdb,
        program.file,
        locked.flatMap(h => [`print/x &${h.lock!.path}`, `print sizeof(${h.lock!.path})`]),
      );
      locked.forEach((heap, i) => {
        const address = gdbPrintedAddress(outputs[2 * i]!);
        assert.ok(address !== undefined, `gdb printed ${outputs[2 * i]}`);
        assert.equal(heap.lock!.offset, Number(address - heap.address), `${heap.lock!.path}: offset from ${heap.path}`);
        assert.equal(
          heap.lock!.size,
          Number(/\$\d+ = (\d+)/.exec(outputs[2 * i + 1]!)?.[1]),
          `${heap.lock!.path}: size; gdb printed ${outputs[2 * i + 1]}`,
        );
      });
    });
  }

  it('skipping units that never name the fields finds exactly what reading every unit finds', function () {
    for (const name of Object.keys(EXPECTED_PATHS) as ProgramName[]) {
      let program;
      try {
        program = buildProgram(name);
      } catch (error) {
        if (error instanceof MissingToolError) this.skip();
        throw error;
      }
      const elf = new ElfFile(fs.readFileSync(program.file));
      const all = discoverHeaps(elf, { scanAllUnits: true });
      const quick = discoverHeaps(elf);
      assert.deepEqual(quick.heaps, all.heaps, name);
      assert.deepEqual(quick.nearMisses, all.nearMisses, name);
    }
  });

  it('reports a struct with the field names but not the shape as a near miss, with the reason', function () {
    let program;
    try {
      program = buildProgram('arm-wrapped-gz');
    } catch (error) {
      if (error instanceof MissingToolError) this.skip();
      throw error;
    }
    const discovery = discoverHeaps(new ElfFile(fs.readFileSync(program.file)));
    assert.deepEqual(
      discovery.nearMisses.map(m => [m.path, m.reason]),
      [['IMPOSTOR', 'free_lists is not an array']],
    );
  });

  it('tells when an enum variant must be active for the heap to be there (Option<Heap<N>>)', function () {
    let program;
    try {
      program = buildProgram('rust-wrappers-dwarf5');
    } catch (error) {
      if (error instanceof MissingToolError) this.skip();
      throw error;
    }
    const heap = discoverHeaps(new ElfFile(fs.readFileSync(program.file))).heaps.find(h => h.path === 'wrappers::MAYBE.Some.__0')!;
    assert.equal(heap.conditions.length, 1);
    const [condition] = heap.conditions;
    assert.equal(condition!.variant, 'Some');
    // The discriminant lies inside the Option but outside the heap struct.
    const start = Number(heap.variable.address - heap.address);
    assert.ok(
      condition!.discriminantOffset >= start && (condition!.discriminantOffset < 0 || condition!.discriminantOffset >= heap.structSize!),
    );
  });
});

function gdbCommands(heap: DiscoveredHeap, language: 'c' | 'rust'): [string, string] {
  // gdb needs "(anonymous namespace)::x" quoted.
  const expression = heap.variable.path.includes('(') ? `'${heap.variable.path}'${heap.path.slice(heap.variable.path.length)}` : heap.path;
  if (heap.conditions.length === 0) return [`print/x &${expression}`, `ptype/o ${expression}`];
  const crate = heap.variable.path.split('::')[0]!;
  return [`info address ${heap.variable.path}`, `ptype/o ${language === 'rust' ? `${crate}::${heap.typeName}` : heap.typeName}`];
}
