// A large debug ELF for the discovery bench, made from real gcc output: a generated C unit with
// many structs, globals and functions is compiled once, then its compile unit is repeated in
// .debug_info until the file reaches the wanted size (as a big program's many units repeat the
// same header types), beside the units that declare the heaps. The ELF is written from scratch
// (ELF64, only the sections discovery reads) and cached in .cache/debug-programs/.
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DwarfInfo } from '../../core/dwarf/dwarfInfo';
import { DW_AT } from '../../core/dwarf/constants';
import { ElfFile } from '../../core/elf/elfFile';
import { repoRoot, targetSource } from '../e2e/support/paths';
import { runTool, toolAvailable } from '../support/debugPrograms';

const TYPES_PER_UNIT = 400;

function generatedUnit(): string {
  const lines = ['#include <stddef.h>', 'struct s0 { int a; };'];
  for (let i = 1; i <= TYPES_PER_UNIT; i++) {
    lines.push(
      `typedef struct s${i} { int a; long b; char name[16]; struct s${i - 1} *prev; double d[4]; struct inner${i} { short x, y; } in; } t${i};`,
      `t${i} g${i};`,
      `long f${i}(t${i} *p, int n) { long t = 0; for (int k = 0; k < n; k++) { int q = p->a + k; t += q * p->b + p->in.x; } return t; }`,
    );
  }
  return lines.join('\n') + '\n';
}

/** Builds (or reuses) a synthetic ELF of about `targetBytes`; returns its path. */
export function syntheticDebugElf(targetBytes: number): string {
  for (const tool of ['gcc']) if (!toolAvailable(tool)) throw new Error(`${tool} is not installed (bash scripts/bootstrap.sh installs it)`);
  const source = generatedUnit();
  const wrapped = path.join(repoRoot(), 'test', 'unit', 'discovery', 'programs', 'wrapped.c');
  const hash = createHash('sha256')
    .update(source)
    .update(fs.readFileSync(wrapped))
    .update(fs.readFileSync(targetSource('cortex-m3', 'buddy.c')))
    .update(String(targetBytes))
    .digest('hex')
    .slice(0, 16);
  const dir = path.join(repoRoot(), '.cache', 'debug-programs', `synthetic-${hash}`);
  const out = path.join(dir, 'large.elf');
  if (fs.existsSync(out)) return out;
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'generated.c'), source);
  const compiled = path.join(dir, 'compiled.elf');
  runTool('gcc', [
    '-O0',
    '-g',
    '-ffreestanding',
    '-nostdlib',
    '-static',
    '-Wl,-e,main',
    `-I${targetSource('cortex-m3', '')}`,
    '-o',
    compiled,
    path.join(dir, 'generated.c'),
    wrapped,
    targetSource('cortex-m3', 'buddy.c'),
  ]);
  const elf = new ElfFile(fs.readFileSync(compiled));
  const dwarf = DwarfInfo.fromElf(elf)!;
  const info = elf.debugSection('.debug_info')!;
  const units = dwarf.units();
  const isGenerated = (u: (typeof units)[number]) =>
    (dwarf.string(dwarf.readDie(u.dieOffset, u).attributes.get(DW_AT.name), u) ?? '').endsWith('generated.c');
  const generated = units.find(isGenerated)!;
  const others = units.filter(u => u !== generated);
  const unitBytes = info.subarray(generated.offset, generated.end);
  const fixed = others.reduce((n, u) => n + u.end - u.offset, 0);
  const copies = Math.max(1, Math.floor((targetBytes - fixed) / unitBytes.length));
  const parts: Uint8Array[] = others.map(u => info.subarray(u.offset, u.end));
  for (let i = 0; i < copies; i++) parts.push(unitBytes);
  const sections: [string, Uint8Array][] = [['.debug_info', concat(parts)]];
  for (const name of ['.debug_abbrev', '.debug_str', '.debug_line_str']) {
    const data = elf.debugSection(name);
    if (data) sections.push([name, data]);
  }
  fs.writeFileSync(out, writeElf64(sections));
  return out;
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const total = parts.reduce((n, p) => n + p.length, 0);
  const out = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** A minimal little-endian ELF64 executable holding only the given (non-alloc) sections. */
function writeElf64(sections: readonly [string, Uint8Array][]): Uint8Array {
  const names = ['', ...sections.map(([n]) => n), '.shstrtab'];
  const shstrtab = new TextEncoder().encode(names.join('\0') + '\0');
  const nameOffsets = names.map((_, i) => names.slice(0, i).reduce((n, s) => n + s.length + 1, 0));
  const contents = [...sections.map(([, d]) => d), shstrtab];
  let offset = 64;
  const offsets = contents.map(d => {
    const at = offset;
    offset += d.length;
    return at;
  });
  const shoff = (offset + 7) & ~7;
  const count = contents.length + 1;
  const out = new Uint8Array(shoff + count * 64);
  const view = new DataView(out.buffer);
  out.set([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1]);
  view.setUint16(16, 2, true); // ET_EXEC
  view.setUint16(18, 62, true); // EM_X86_64
  view.setUint32(20, 1, true);
  view.setBigUint64(40, BigInt(shoff), true);
  view.setUint16(52, 64, true);
  view.setUint16(58, 64, true);
  view.setUint16(60, count, true);
  view.setUint16(62, count - 1, true);
  contents.forEach((d, i) => {
    out.set(d, offsets[i]!);
    const at = shoff + (i + 1) * 64;
    view.setUint32(at, nameOffsets[i + 1]!, true);
    view.setUint32(at + 4, i === contents.length - 1 ? 3 : 1, true); // SHT_STRTAB or SHT_PROGBITS
    view.setBigUint64(at + 24, BigInt(offsets[i]!), true);
    view.setBigUint64(at + 32, BigInt(d.length), true);
    view.setBigUint64(at + 48, 1n, true);
  });
  return out;
}
