// The load bias of a PIE from stopped frames (instruction pointer vs the symbol table) and from modules.
import * as assert from 'node:assert/strict';
import { biasFromFrames, biasFromModules, demangleLegacy, symbolNamesFrame } from '../../../../extension/live/program/loadBias';

/** Rust's legacy mangling of a path, with a hash, as rustc writes it. */
function mangle(path: string, hash = 'h0123456789abcdef'): string {
  return `_ZN${[...path.split('::'), hash].map(p => `${p.length}${p}`).join('')}E`;
}

describe('load bias', () => {
  it('demangles Rust legacy names as gdb prints frame names', () => {
    assert.equal(demangleLegacy(mangle('buddy_rust::main')), 'buddy_rust::main');
    assert.equal(demangleLegacy(mangle('buddyalloc::heap::Heap$LT$_$GT$::allocate')), 'buddyalloc::heap::Heap<_>::allocate');
    assert.equal(demangleLegacy('heap_alloc'), undefined);
    assert.equal(demangleLegacy('_ZN3abc'), undefined, 'truncated');
    assert.ok(symbolNamesFrame(mangle('buddyalloc::heap::Heap$LT$_$GT$::allocate'), 'buddyalloc::heap::Heap<16>::allocate'));
    assert.ok(symbolNamesFrame('heap_alloc', 'heap_alloc'));
    assert.ok(!symbolNamesFrame('heap_free', 'heap_alloc'));
  });

  const bias = 0x5555_5555_4000n;
  const symbols = [
    { name: mangle('prog::main'), address: 0x1_2340n, size: 0x200n },
    { name: mangle('prog::checkpoint'), address: 0x1_2000n, size: 0x40n },
    { name: 'big_function', address: 0x2_0000n, size: 0x10_000n },
  ];

  it('finds the page-aligned bias that puts the frame inside its function', () => {
    const found = biasFromFrames(
      [
        { id: 1, name: 'prog::checkpoint', instructionPointer: 0x1_2010n + bias },
        { id: 2, name: 'prog::main', instructionPointer: 0x1_2400n + bias },
      ],
      symbols,
    );
    assert.equal(found?.bias, bias);
    assert.match(found!.how, /prog::checkpoint at 0x555555566010/);
  });

  it('a function larger than a page leaves several biases: another frame settles it, else none is guessed', () => {
    const inBig = { id: 1, name: 'big_function', instructionPointer: 0x2_5000n + bias };
    assert.equal(biasFromFrames([inBig], symbols), undefined);
    assert.equal(biasFromFrames([inBig, { id: 2, name: 'prog::main', instructionPointer: 0x1_2350n + bias }], symbols)?.bias, bias);
  });

  it('frames without an instruction pointer or a known function tell nothing', () => {
    assert.equal(
      biasFromFrames(
        [
          { id: 1, name: 'prog::main' },
          { id: 2, name: 'libc_start', instructionPointer: 0x7fn },
        ],
        symbols,
      ),
      undefined,
    );
  });

  it("from modules: the program's module start against its lowest load address", () => {
    const modules = [
      { name: 'libc.so.6', path: '/lib/libc.so.6', addressRange: '0x7ffff7c00000-0x7ffff7e00000' },
      { name: 'prog', path: '/w/target/debug/prog', addressRange: `0x${bias.toString(16)}` },
    ];
    assert.equal(biasFromModules(modules, '/w/target/debug/prog', 0n)?.bias, bias);
    assert.equal(biasFromModules(modules, '/elsewhere/prog', 0n)?.bias, bias, 'matched by file name');
    assert.equal(biasFromModules([{ name: 'prog' }], '/w/prog', 0n), undefined, 'no address range');
  });
});
