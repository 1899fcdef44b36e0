// Fuzzing the reader with truncated and mutated real binaries (seeded, so a failure replays):
// reading headers, sections, symbols, DWARF and discovery either succeeds or throws the
// reader's own ProgramReadError; never another exception, never a hang (every loop is bounded
// by the input, and mocha's timeout would catch one that is not).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { discoverHeaps } from '../../../core/discovery/findHeaps';
import { ElfFile } from '../../../core/elf/elfFile';
import { ProgramReadError } from '../../../core/elf/readError';
import { readSymbols } from '../../../core/elf/symbols';
import { buildProgram, MissingToolError, type ProgramName } from '../../support/debugPrograms';
import { Random } from '../../support/random';

/** Everything a caller of the reader does with a file, end to end. */
function readEverything(bytes: Uint8Array): void {
  const elf = new ElfFile(bytes);
  readSymbols(elf);
  for (const section of elf.sections) elf.data(section);
  discoverHeaps(elf);
}

function survives(bytes: Uint8Array, what: string): 'ok' | 'error' {
  try {
    readEverything(bytes);
    return 'ok';
  } catch (error) {
    if (error instanceof ProgramReadError) {
      assert.ok(error.message.length > 10, `${what}: the error says something (${error.message})`);
      return 'error';
    }
    assert.fail(`${what}: threw ${error instanceof Error ? error.stack : String(error)}`);
  }
}

function original(name: ProgramName, test: Mocha.Context): Uint8Array {
  try {
    return fs.readFileSync(buildProgram(name).file);
  } catch (error) {
    if (error instanceof MissingToolError) test.skip();
    throw error;
  }
}

describe('ELF/DWARF reader fuzzing', function () {
  this.timeout(300_000);

  for (const name of ['arm-dwarf5', 'arm-dwarf2', 'arm-wrapped-gz', 'mips-be-wrapped'] as const) {
    it(`${name}: every truncation is read or refused with a ProgramReadError`, function () {
      const bytes = original(name, this);
      const random = new Random(0x7e1f + name.length);
      const elf = new ElfFile(bytes);
      // Cut at every section start and end, and at random points.
      const cuts = new Set<number>([0, 1, 4, 16, 51, 52, 63, 64]);
      for (const s of elf.sections) [s.offset, s.offset + 1, s.offset + s.size - 1].forEach(c => cuts.add(c));
      for (let i = 0; i < 150; i++) cuts.add(random.int(0, bytes.length - 1));
      const outcomes = [...cuts].filter(c => c >= 0 && c < bytes.length).map(c => survives(bytes.slice(0, c), `cut at ${c}`));
      assert.ok(outcomes.includes('error'), 'some truncations are refused');
    });

    it(`${name}: random byte mutations (anywhere, and inside the debug sections) never escape as other errors`, function () {
      const bytes = original(name, this);
      const random = new Random(0xd1ff + name.length);
      const elf = new ElfFile(bytes);
      const debug = elf.sections.filter(s => /^\.debug_(info|abbrev|str|addr|str_offsets|line_str)$/.test(s.name) && s.size > 0);
      let refused = 0;
      for (let round = 0; round < 300; round++) {
        const copy = bytes.slice();
        const inDebug = round % 3 !== 0 && debug.length > 0;
        const flips = random.int(1, 8);
        for (let f = 0; f < flips; f++) {
          const section = inDebug ? random.pick(debug) : undefined;
          const at = section ? section.offset + random.int(0, section.size - 1) : random.int(0, copy.length - 1);
          copy[at] = random.chance(0.3) ? random.pick([0, 0xff, 0x80, 0x7f]) : random.int(0, 255);
        }
        if (survives(copy, `round ${round}`) === 'error') refused++;
      }
      assert.ok(refused > 0, 'some mutations are refused');
    });
  }

  it('rust-wrappers-dwarf5: mutations of the DWARF 5 string and address indexes never escape as other errors', function () {
    const bytes = original('rust-wrappers-dwarf5', this);
    const random = new Random(0x5eed5);
    const elf = new ElfFile(bytes);
    const targets = elf.sections.filter(s => /^\.debug_(info|abbrev|str_offsets|addr)$/.test(s.name) && s.size > 0);
    assert.ok(
      targets.some(s => s.name === '.debug_str_offsets') && targets.some(s => s.name === '.debug_addr'),
      'rustc wrote string and address indexes',
    );
    for (let round = 0; round < 40; round++) {
      const copy = bytes.slice();
      const section = random.pick(targets);
      for (let f = random.int(1, 6); f > 0; f--) copy[section.offset + random.int(0, section.size - 1)] = random.int(0, 255);
      survives(copy, `round ${round} (${section.name})`);
    }
  });

  it('refuses arbitrary bytes, empty files and bare ELF idents', () => {
    const random = new Random(42);
    for (let i = 0; i < 200; i++) {
      const junk = new Uint8Array(random.int(0, 512)).map(() => random.int(0, 255));
      if (i % 2 === 0 && junk.length >= 6) junk.set([0x7f, 0x45, 0x4c, 0x46, random.int(1, 2), random.int(1, 2)]);
      assert.equal(survives(junk, `junk ${i}`), 'error');
    }
  });
});
