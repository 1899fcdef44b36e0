// Compiles the e2e debug targets into .cache/e2e-targets/: the Cortex-M3 firmware (one build per
// heap variant), the same firmware for big-endian MIPS, and the native Rust program, each with the
// script generated from script.ts.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { HEAP_SCRIPT, scriptToC, scriptToRust } from '../targets/script';
import { buildDir, targetSource } from './paths';

/** A firmware heap: the C define HEAP_SIZE and the const generic N (HEAP_ORDERS). */
export interface CortexVariant {
  readonly heapSize: number;
  readonly orders: number;
}

/** Every variant keeps a 32-byte minimum block. 64k is the one the notes describe (Heap<12>). */
export const CORTEX_VARIANTS = {
  '4k': { heapSize: 4 * 1024, orders: 8 },
  '64k': { heapSize: 64 * 1024, orders: 12 },
  '256k': { heapSize: 256 * 1024, orders: 14 },
} as const satisfies Record<string, CortexVariant>;

export type CortexVariantName = keyof typeof CORTEX_VARIANTS;

/** The Rust program's heap: `Heap<16>` over a 1 MiB arena. */
export const RUST_HEAP = { heapSize: 1 << 20, orders: 16 } as const;

/** A tool the e2e layer needs is not installed: tests skip with this message as their notice. */
export class ToolchainMissingError extends Error {
  constructor(
    readonly tool: string,
    readonly hint: string,
  ) {
    super(`${tool} is not installed (${hint})`);
    this.name = 'ToolchainMissingError';
  }
}

const INSTALL_HINTS: Readonly<Record<string, string>> = {
  'arm-none-eabi-gcc': 'apt-get install --no-install-recommends gcc-arm-none-eabi',
  'qemu-system-arm': 'apt-get install --no-install-recommends qemu-system-arm',
  'mips-linux-gnu-gcc': 'apt-get install --no-install-recommends gcc-mips-linux-gnu',
  'qemu-system-mips': 'apt-get install --no-install-recommends qemu-system-mips',
  'gdb-multiarch': 'apt-get install --no-install-recommends gdb-multiarch',
  gdb: 'apt-get install gdb',
  rustc: 'install Rust with rustup (https://rustup.rs)',
};

/** Throws ToolchainMissingError for the first tool that does not answer `--version`. */
export function requireTools(...tools: string[]): void {
  for (const tool of tools) {
    const probe = spawnSync(tool, ['--version'], { stdio: 'ignore', timeout: 10_000 });
    if (probe.error || probe.status !== 0) throw new ToolchainMissingError(tool, INSTALL_HINTS[tool] ?? 'install it and put it on PATH');
  }
}

function run(tool: string, args: string[], env?: NodeJS.ProcessEnv): void {
  const result = spawnSync(tool, args, { encoding: 'utf8', timeout: 120_000, env: env ?? process.env });
  if (result.error) throw new Error(`${tool} could not run: ${result.error.message}`);
  if (result.status !== 0) throw new Error(`${tool} ${args.join(' ')} failed (exit ${result.status}):\n${result.stderr}${result.stdout}`);
}

const built = new Map<string, string>();

/** Builds (once per process) the firmware for a heap variant; returns the ELF's path. */
export function buildCortexM3(variant: CortexVariantName = '64k', options: { readonly ownership?: boolean } = {}): string {
  const key = `cortex-m3-${variant}${options.ownership ? '-ownership' : ''}`;
  const cached = built.get(key);
  if (cached) return cached;
  requireTools('arm-none-eabi-gcc');
  const { heapSize, orders } = CORTEX_VARIANTS[variant];
  const out = buildDir(key);
  fs.writeFileSync(path.join(out, 'script.h'), scriptToC(HEAP_SCRIPT));
  const elf = path.join(out, 'fw.elf');
  const src = (name: string) => targetSource('cortex-m3', name);
  run('arm-none-eabi-gcc', [
    '-mcpu=cortex-m3',
    '-mthumb',
    '-g',
    '-O1',
    '-std=c11',
    '-Wall',
    '-Wextra',
    '-Werror',
    '-ffreestanding',
    '-nostdlib',
    '-nostartfiles',
    '-Wl,--gc-sections',
    `-DHEAP_SIZE=${heapSize}u`,
    `-DHEAP_ORDERS=${orders}`,
    ...(options.ownership ? ['-DOWNERSHIP_SCENARIO=1'] : []),
    `-I${out}`,
    '-T',
    src('link.ld'),
    '-o',
    elf,
    src('fw.c'),
    src('buddy.c'),
    src('startup.c'),
    '-lgcc',
  ]);
  built.set(key, elf);
  return elf;
}

/**
 * Builds (once per process) the firmware for big-endian MIPS32r2 (QEMU malta's 24Kf): the
 * Cortex-M3 firmware's fw.c and buddy.c unchanged, with MIPS reset code and a kseg0 link script.
 * An ELF32 big-endian with gcc's default DWARF 5; returns its path. Also for unit tests of the
 * ELF/DWARF reader that need a big-endian binary.
 */
export function buildMips(variant: CortexVariantName = '64k'): string {
  const key = `mips-${variant}`;
  const cached = built.get(key);
  if (cached) return cached;
  requireTools('mips-linux-gnu-gcc');
  const { heapSize, orders } = CORTEX_VARIANTS[variant];
  const out = buildDir(key);
  fs.writeFileSync(path.join(out, 'script.h'), scriptToC(HEAP_SCRIPT));
  const elf = path.join(out, 'fw.elf');
  const firmware = (name: string) => targetSource('cortex-m3', name);
  const mips = (name: string) => targetSource('mips', name);
  run('mips-linux-gnu-gcc', [
    '-march=mips32r2',
    '-EB',
    // The Linux-targeted compiler defaults to PIC through a GOT; bare metal has none.
    '-mno-abicalls',
    '-fno-pic',
    '-G0',
    '-g',
    '-O1',
    '-std=c11',
    '-Wall',
    '-Wextra',
    '-Werror',
    '-ffreestanding',
    '-nostdlib',
    '-nostartfiles',
    '-static',
    '-Wl,--gc-sections',
    `-DHEAP_SIZE=${heapSize}u`,
    `-DHEAP_ORDERS=${orders}`,
    `-I${out}`,
    '-T',
    mips('link.ld'),
    '-o',
    elf,
    mips('start.S'),
    firmware('fw.c'),
    firmware('buddy.c'),
    '-lgcc',
  ]);
  built.set(key, elf);
  return elf;
}

/** Builds (once per process) the Rust program; returns the executable's path. */
export function buildRust(): string {
  const cached = built.get('rust');
  if (cached) return cached;
  requireTools('rustc');
  const out = buildDir('rust');
  const script = path.join(out, 'script.rs');
  fs.writeFileSync(script, scriptToRust(HEAP_SCRIPT));
  // The crate name (file stem) is `prog`: expressions say prog::ALLOCATOR.
  const program = path.join(out, 'prog');
  run('rustc', ['--edition', '2021', '-g', '-C', 'opt-level=0', '-D', 'warnings', targetSource('rust', 'prog.rs'), '-o', program], {
    ...process.env,
    BUDDY_SCRIPT_RS: script,
  });
  built.set('rust', program);
  return program;
}
