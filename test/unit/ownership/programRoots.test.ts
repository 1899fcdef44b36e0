// The root walker against gdb on the same binary: gdb's own type system (through its Python API)
// walks each static to its pointer members, and `info address` places the statics; the walker
// must find the same pointer words with the same paths, nothing for the excluded heap, and bound
// itself where asked.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { discoverHeaps } from '../../../core/discovery/findHeaps';
import { ElfFile } from '../../../core/elf/elfFile';
import { programRoots } from '../../../core/ownership/programRoots';
import { joinPath } from '../../../core/ownership/scanRoots';
import { buildProgram, MissingToolError, type ProgramName, runTool } from '../../support/debugPrograms';
import {
  gdbBatch,
  gdbStaticAddress,
  readelfSections,
  readelfSegments,
  readelfStaticVariables,
  readelfSymtab,
} from '../../support/toolOutput';

// Walks a value's type as gdb sees it: every pointer word, with the C path to it; unions and
// enums keep the first member naming a word.
const GDB_WALKER = `
import gdb
def walk(t, path, offset, out, taken):
    t = t.strip_typedefs()
    if t.code == gdb.TYPE_CODE_PTR:
        if offset not in taken:
            taken.add(offset)
            out.append((offset, path))
    elif t.code in (gdb.TYPE_CODE_STRUCT, gdb.TYPE_CODE_UNION):
        for f in t.fields():
            if f.bitsize or not hasattr(f, 'bitpos'):
                continue
            walk(f.type, path + ('.' + f.name if f.name else ''), offset + f.bitpos // 8, out, taken)
    elif t.code == gdb.TYPE_CODE_ARRAY:
        lo, hi = t.range()
        stride = t.target().strip_typedefs().sizeof
        for i in range(hi - lo + 1):
            walk(t.target(), path + '[%d]' % i, offset + i * stride, out, taken)
def symbol_type(name):
    return (gdb.lookup_global_symbol(name) or gdb.lookup_static_symbol(name)).type
def pointer_words(name):
    out = []
    walk(symbol_type(name), name, 0, out, set())
    for offset, p in out:
        print('slot %d %s' % (offset, p))
# The element size of a Vec (its type argument) or slice (its data pointer's target) at a field path.
def element_size(name, fields):
    t = symbol_type(name)
    for f in [f for f in fields.split('.') if f]:
        t = t.strip_typedefs()[f].type
    t = t.strip_typedefs()
    if t.name and t.name.startswith('alloc::vec::Vec<'):
        print('element %d' % t.template_argument(0).sizeof)
    else:
        print('element %d' % t['data_ptr'].type.target().sizeof)
`;

function program(name: ProgramName, test: Mocha.Context): { file: string; elf: ElfFile } {
  try {
    const file = buildProgram(name).file;
    return { file, elf: new ElfFile(fs.readFileSync(file)) };
  } catch (error) {
    if (error instanceof MissingToolError) test.skip();
    throw error;
  }
}

function withWalker<T>(file: string, commands: readonly string[], use: (outputs: string[]) => T): T {
  const script = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'roots-')), 'walk.py');
  fs.writeFileSync(script, GDB_WALKER);
  try {
    return use(gdbBatch('gdb', file, [`source ${script}`, ...commands]).slice(1));
  } finally {
    fs.rmSync(path.dirname(script), { recursive: true, force: true });
  }
}

function gdbPointerWords(file: string, names: readonly string[]): Map<string, { offset: number; path: string }[]> {
  return withWalker(
    file,
    names.map(n => `python pointer_words('${n}')`),
    outputs =>
      new Map(
        names.map((n, i) => [
          n,
          outputs[i]!.split('\n')
            .map(line => /^slot (\d+) (\S+)$/.exec(line))
            .filter((m): m is RegExpExecArray => m !== null)
            .map(m => ({ offset: Number(m[1]), path: m[2]! })),
        ]),
      ),
  );
}

describe('program roots from DWARF', function () {
  this.timeout(300_000);

  it("native-owners: every pointer word of the statics, as gdb walks their types, at gdb's addresses", function () {
    const { file, elf } = program('native-owners', this);
    const heap = discoverHeaps(elf).heaps[0]!;
    const arena = gdbStaticAddress(gdbBatch('gdb', file, ['info address arena'])[0]!)!;
    const { roots } = programRoots(elf, {
      exclude: [
        { address: heap.address, size: heap.structSize! },
        { address: arena, size: 65536 },
      ],
    });
    const statics = roots.filter(r => r.kind === 'static');
    const names = ['single', 'entries', 'registry'];
    const expected = gdbPointerWords(file, names);
    const addresses = gdbBatch(
      'gdb',
      file,
      names.map(n => `info address ${n}`),
    ).map(gdbStaticAddress);
    names.forEach((name, i) => {
      const root = statics.find(r => r.label === name);
      assert.ok(root, `${name} is a root`);
      assert.equal(root.address, addresses[i], `${name}'s address`);
      const ours = root.slots!.map(s => ({ offset: s.offset, path: joinPath(root.label, s.path) })).sort((a, b) => a.offset - b.offset);
      assert.deepEqual(ours, expected.get(name), `${name}'s pointer words`);
    });
    assert.ok(expected.get('registry')!.length >= 8, 'the registry has a union, a 2-D array and a list head');
    // The heap struct and arena are excluded; a static without pointers and a const are not roots.
    const labels = new Set(roots.map(r => r.label));
    for (const absent of ['HEAP', 'arena', 'counter', 'greeting']) assert.ok(!labels.has(absent), `${absent} is not a root`);
  });

  it('native-owners: data symbols without debug info are conservative roots, as readelf lists them', function () {
    const { file, elf } = program('native-owners', this);
    const sections = new Map(readelfSections(file).map(s => [s.index, s]));
    const relro = readelfSegments(file).filter(p => p.type === 'GNU_RELRO');
    const described = readelfStaticVariables(file).map(v => v.address);
    const symtab = runReadelfSymbolSections(file);
    const expected = readelfSymtab(file)
      .filter(sym => sym.type === 'OBJECT' && sym.size > 0n)
      .filter(sym => sections.get(symtab.get(sym.index)!)?.flags.includes('W'))
      .filter(sym => !relro.some(p => sym.value >= p.virtualAddress && sym.value < p.virtualAddress + p.memorySize))
      .filter(sym => !described.includes(sym.value))
      .map(sym => `${sym.value.toString(16)}+${sym.size}`);
    const ours = programRoots(elf)
      .roots.filter(r => r.kind === 'symbol')
      .map(r => `${r.address.toString(16)}+${r.size}`);
    assert.ok(expected.length >= 2, 'the program has data symbols without debug info (crt and copy relocations)');
    assert.deepEqual(ours.sort(), [...new Set(expected)].sort());
  });

  it('applies a load bias and bounds arrays and the slot total, saying so', function () {
    const { elf } = program('native-owners', this);
    const plain = programRoots(elf);
    const biased = programRoots(elf, { loadBias: 0x5555_0000_0000n });
    assert.deepEqual(
      biased.roots.map(r => r.address - 0x5555_0000_0000n),
      plain.roots.map(r => r.address),
    );
    const capped = programRoots(elf, { maxArrayElements: 2 });
    const entries = capped.roots.find(r => r.label === 'entries')!;
    assert.deepEqual(
      entries.slots!.map(s => s.path),
      ['[0]', '[1]'],
    );
    assert.ok(
      capped.cuts.some(c => c.startsWith('entries: 4 elements, walked the first 2')),
      capped.cuts.join('\n'),
    );
    const few = programRoots(elf, { maxSlots: 3 });
    assert.equal(
      few.roots.reduce((n, r) => n + (r.slots?.length ?? 0), 0),
      3,
    );
    assert.ok(
      few.cuts.some(c => c.includes('stopped at 3 pointer slots')),
      few.cuts.join('\n'),
    );
  });

  it('rust-owners: Box, Option, NonNull, Vec, String, BTreeMap and slices as gdb walks them; Vec, String and slices fat', function () {
    const { file, elf } = program('rust-owners', this);
    const statics = programRoots(elf).roots.filter(r => r.kind === 'static' && r.label.startsWith('owners::'));
    const names = ['owners::CACHE', 'owners::NAME', 'owners::MAP', 'owners::WORDS', 'owners::PAIRS'];
    assert.deepEqual(statics.map(r => r.label).sort(), [...names].sort());
    const expected = gdbPointerWords(file, names);
    const addresses = gdbBatch(
      'gdb',
      file,
      names.map(n => `info address ${n}`),
    ).map(gdbStaticAddress);
    const fat: { root: string; path: string; elementSize: number }[] = [];
    names.forEach((name, i) => {
      const root = statics.find(r => r.label === name)!;
      assert.equal(root.address, addresses[i], `${name}'s address`);
      const theirs = expected.get(name)!;
      assert.deepEqual(
        root.slots!.map(s => s.offset).sort((a, b) => a - b),
        theirs.map(s => s.offset),
        `${name}'s pointer words`,
      );
      for (const slot of root.slots!) {
        // gdb names Rust tuple fields `__0`; the walker stops a fat pointer's path at the Vec or slice.
        const gdbPath = theirs.find(s => s.offset === slot.offset)!.path.replace(/\.__(\d+)/g, '.$1');
        const ours = joinPath(name, slot.path);
        assert.ok(gdbPath === ours || (slot.fat !== undefined && gdbPath.startsWith(`${ours}.`)), `${ours} names ${gdbPath}`);
        if (slot.fat) fat.push({ root: name, path: slot.path, elementSize: slot.fat.elementSize });
      }
    });
    assert.deepEqual(fat.map(f => joinPath(f.root, f.path)).sort(), ['owners::CACHE.entries', 'owners::NAME.vec', 'owners::WORDS'].sort());
    const sizes = withWalker(
      file,
      fat.map(f => `python element_size('${f.root}', '${f.path}')`),
      outputs => outputs.map(o => Number(/element (\d+)/.exec(o)?.[1])),
    );
    assert.deepEqual(
      fat.map(f => f.elementSize),
      sizes,
    );
  });

  it("rust-debug: the statics with pointers are where gdb's info address puts them", function () {
    const { file, elf } = program('rust-debug', this);
    const { roots } = programRoots(elf);
    const statics = roots.filter(r => r.kind === 'static');
    assert.ok(statics.length > 0, 'the Rust program has statics with pointers');
    const outputs = gdbBatch(
      'gdb',
      file,
      statics.map(r => `info address ${r.label}`),
    );
    statics.forEach((root, i) => {
      const address = gdbStaticAddress(outputs[i]!);
      if (address !== undefined) assert.equal(root.address, address, `${root.label}'s address`);
    });
  });
});

/** `readelf -sW`'s Ndx column of .symtab, by symbol index (readelfSymtab leaves it out). */
function runReadelfSymbolSections(file: string): Map<number, number> {
  const indexes = new Map<number, number>();
  let inTable = false;
  for (const line of runTool('readelf', ['-sW', file]).split('\n')) {
    if (line.startsWith('Symbol table ')) inTable = line.includes("'.symtab'");
    else if (inTable) {
      const m = /^\s*(\d+):\s+[0-9a-f]+\s+\S+\s+\S+\s+\S+\s+\S+\s+(\d+)\s/.exec(line);
      if (m) indexes.set(Number(m[1]), Number(m[2]));
    }
  }
  return indexes;
}
