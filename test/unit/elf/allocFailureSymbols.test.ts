// Finding a program's allocation-failure functions in its symbols: Rust names decode as binutils
// decodes them (nm -C, c++filt), handle_alloc_error is found at nm's address, and C hooks from the
// setting are found or reported missing.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { allocationFailureFunctions } from '../../../core/elf/allocFailureSymbols';
import { ElfFile } from '../../../core/elf/elfFile';
import { rustSymbolPath } from '../../../core/elf/rustSymbolName';
import { readSymbols } from '../../../core/elf/symbols';
import { MissingToolError, buildProgram, runTool, toolAvailable } from '../../support/debugPrograms';

/** nm's view: address → demangled names of the defined text symbols. */
function nmText(file: string, demangle: boolean): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const line of runTool('nm', [...(demangle ? ['-C'] : []), '--defined-only', file]).split('\n')) {
    const m = /^([0-9a-f]+) [Tt] (.+)$/.exec(line);
    if (!m) continue;
    const address = BigInt(`0x${m[1]}`).toString(16);
    out.set(address, [...(out.get(address) ?? []), m[2]!]);
  }
  return out;
}

function programSymbols(name: 'rust-debug' | 'native-wrapped', test: Mocha.Context) {
  try {
    const program = buildProgram(name);
    return { file: program.file, symbols: readSymbols(new ElfFile(new Uint8Array(fs.readFileSync(program.file)))) };
  } catch (error) {
    if (error instanceof MissingToolError) test.skip();
    throw error;
  }
}

describe('allocation-failure functions in ELF symbols', function () {
  this.timeout(600_000);

  it('decodes v0 Rust paths exactly as nm -C does', function () {
    if (!toolAvailable('nm')) this.skip();
    const { file, symbols } = programSymbols('rust-debug', this);
    const demangled = nmText(file, true);
    let compared = 0;
    for (const s of symbols) {
      const path = s.type === 2 && s.name.startsWith('_R') ? rustSymbolPath(s.name) : undefined;
      if (path === undefined) continue;
      const names = demangled.get(s.value.toString(16)) ?? [];
      assert.ok(names.includes(path), `${s.name}: decoded ${path}, nm -C says ${names.join(' | ')}`);
      compared++;
    }
    assert.ok(compared >= 20, `only ${compared} plain paths compared`);
  });

  it('decodes legacy Rust paths as c++filt does, without the hash', function () {
    if (!toolAvailable('c++filt')) this.skip();
    const mangled = [
      '_ZN5alloc5alloc18handle_alloc_error17h0123456789abcdefE',
      '_ZN3std5alloc8rust_oom17hfedcba9876543210E',
      '_ZN4core3fmt5write17h00112233445566aaE',
    ];
    const expected = runTool('c++filt', mangled)
      .trim()
      .split('\n')
      .map(line => line.replace(/::h[0-9a-f]{16}$/, ''));
    assert.deepEqual(mangled.map(rustSymbolPath), expected);
    assert.equal(rustSymbolPath('_ZN5alloc5alloc'), undefined, 'no terminator');
    assert.equal(rustSymbolPath('vApplicationMallocFailedHook'), undefined);
    assert.equal(rustSymbolPath('_RINvNtCs1_4core3ptr13drop_in_placeReEB4_'), undefined, 'generic instances are not plain paths');
  });

  it("finds handle_alloc_error at nm's address in the native Rust program, and only it", function () {
    if (!toolAvailable('nm')) this.skip();
    const { file, symbols } = programSymbols('rust-debug', this);
    const found = allocationFailureFunctions(symbols, []);
    const [handle] = [...nmText(file, true)].find(([, names]) => names.includes('alloc::alloc::handle_alloc_error')) ?? [];
    assert.ok(handle, 'nm sees handle_alloc_error');
    assert.deepEqual(found.functions, [{ name: 'alloc::alloc::handle_alloc_error', language: 'rust', address: BigInt(`0x${handle}`) }]);
    assert.deepEqual(found.missingHooks, []);
  });

  it('falls back to the handler when handle_alloc_error is absent, and finds C hooks or says they are missing', function () {
    if (!toolAvailable('nm')) this.skip();
    const { symbols } = programSymbols('rust-debug', this);
    const withoutHandle = symbols.filter(s => rustSymbolPath(s.name) !== 'alloc::alloc::handle_alloc_error');
    const fallback = allocationFailureFunctions(withoutHandle, []);
    assert.equal(fallback.functions.length, 1);
    assert.match(fallback.functions[0]!.name, /(^|::)__(rust_alloc_error_handler|rg_oom|rdl_oom)$/);

    const c = programSymbols('native-wrapped', this);
    const text = nmText(c.file, false);
    const [mainAddress] = [...text].find(([, names]) => names.includes('main')) ?? [];
    assert.ok(mainAddress);
    const hooks = allocationFailureFunctions(c.symbols, ['main', 'heap_alloc_failed_typo']);
    assert.deepEqual(hooks.functions, [{ name: 'main', language: 'c', address: BigInt(`0x${mainAddress}`) }]);
    assert.deepEqual(hooks.missingHooks, ['heap_alloc_failed_typo']);
  });
});
