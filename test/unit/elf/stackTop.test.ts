// The top of a bare-metal program's stack, against readelf: the linker script's `_estack`, else the
// vector table's first word (objcopy takes the symbol out); a native program has neither.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ElfFile } from '../../../core/elf/elfFile';
import { findStackTop } from '../../../core/elf/stackTop';
import { ToolchainMissingError, buildCortexM3 } from '../../e2e/support/buildTargets';
import { readelfSymtab } from '../../support/toolOutput';

function firmware(test: Mocha.Context): string {
  try {
    return buildCortexM3('4k');
  } catch (error) {
    if (error instanceof ToolchainMissingError) test.skip();
    throw error;
  }
}

/** The first word of a section as `readelf -x` dumps it (little-endian bytes in file order). */
function firstWord(file: string, section: string): bigint {
  const dump = execFileSync('readelf', ['-x', section, file], { encoding: 'utf8' });
  const row = /^\s*0x[0-9a-f]+\s+([0-9a-f]{8})/m.exec(dump);
  assert.ok(row, `readelf -x ${section} printed no row`);
  const bytes = row[1]!.match(/../g)!;
  return BigInt('0x' + bytes.reverse().join(''));
}

describe('stack top of a bare-metal program', function () {
  this.timeout(120_000);

  it('is the _estack symbol readelf lists', function () {
    const file = firmware(this);
    const estack = readelfSymtab(file).find(s => s.name === '_estack');
    assert.ok(estack);
    assert.deepEqual(findStackTop(new ElfFile(fs.readFileSync(file))), { address: estack.value, from: 'symbol _estack' });
  });

  it('is the vector table’s initial stack pointer when no symbol names it', function () {
    const file = firmware(this);
    const stripped = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'stack-top-')), 'fw.elf');
    try {
      execFileSync('arm-none-eabi-objcopy', ['--strip-symbol=_estack', file, stripped]);
      assert.equal(
        readelfSymtab(stripped).find(s => s.name === '_estack'),
        undefined,
      );
      const top = findStackTop(new ElfFile(fs.readFileSync(stripped)));
      assert.deepEqual(top, { address: firstWord(stripped, '.vectors'), from: '.vectors[0] (the initial stack pointer)' });
    } finally {
      fs.rmSync(path.dirname(stripped), { recursive: true, force: true });
    }
  });

  it('is unknown for a native program', () => {
    assert.equal(findStackTop(new ElfFile(fs.readFileSync(process.execPath))), undefined);
  });
});
