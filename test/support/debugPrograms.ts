// Builds the real programs the ELF/DWARF reader and discovery are tested on, with the system's
// compilers: the Cortex-M3 firmware (gcc DWARF 2, 4, 5, compressed), C heaps in wrappers (ARM,
// big-endian MIPS, native x86-64), C++ namespaces and static members, and Rust programs (DWARF 4 and 5, debug and opt-level=1).
// Each build lands in .cache/debug-programs/<name>-<hash of command and sources>/, so a rerun with
// unchanged sources reuses it and the unit layer stays fast.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { HEAP_SCRIPT, scriptToC, scriptToRust } from '../e2e/targets/script';
import { repoRoot, targetSource } from '../e2e/support/paths';

export interface DebugProgram {
  readonly name: string;
  readonly file: string;
  /** The gdb that reads it ("gdb" for the host, "gdb-multiarch" for cross targets). */
  readonly gdb: string;
  readonly language: 'c' | 'rust';
}

interface Recipe {
  readonly tool: string;
  readonly gdb: string;
  readonly language: 'c' | 'rust';
  /** Arguments; "$OUT" is the output file, "$DIR" the build folder. */
  readonly args: readonly string[];
  readonly sources: readonly string[];
  /** Generated files written into the build folder first. */
  readonly generated?: Readonly<Record<string, string>>;
  readonly env?: Readonly<Record<string, string>>;
}

const cortex = (name: string) => targetSource('cortex-m3', name);
const wrappedC = () => path.join(repoRoot(), 'test', 'unit', 'discovery', 'programs', 'wrapped.c');
const namespacedCpp = () => path.join(repoRoot(), 'test', 'unit', 'discovery', 'programs', 'namespaced.cpp');
const wrappersRs = () => path.join(repoRoot(), 'test', 'unit', 'discovery', 'programs', 'wrappers.rs');
const ownersRs = () => path.join(repoRoot(), 'test', 'unit', 'ownership', 'programs', 'owners.rs');
const ownersC = () => path.join(repoRoot(), 'test', 'unit', 'ownership', 'programs', 'owners.c');

const ARM = ['-mcpu=cortex-m3', '-mthumb', '-O1', '-std=c11', '-ffreestanding', '-nostdlib', '-nostartfiles', `-I$DIR`];

function firmware(debug: string[]): Recipe {
  return {
    tool: 'arm-none-eabi-gcc',
    gdb: 'gdb-multiarch',
    language: 'c',
    args: [
      ...ARM,
      ...debug,
      `-I${cortex('')}`,
      '-Wl,--gc-sections',
      '-T',
      cortex('link.ld'),
      '-o',
      '$OUT',
      cortex('fw.c'),
      cortex('buddy.c'),
      cortex('startup.c'),
      '-lgcc',
    ],
    sources: [cortex('fw.c'), cortex('buddy.c'), cortex('buddy.h'), cortex('startup.c'), cortex('link.ld')],
    generated: { 'script.h': scriptToC(HEAP_SCRIPT) },
  };
}

/** Big-endian MIPS (32-bit, or ELF64 with -mabi=64): the C heaps in wrappers. */
function mipsProgram(abi: string[]): Recipe {
  return {
    tool: 'mips-linux-gnu-gcc',
    gdb: 'gdb-multiarch',
    language: 'c',
    args: [
      '-EB',
      ...abi,
      '-O1',
      '-g',
      '-std=c11',
      '-ffreestanding',
      '-nostdlib',
      '-static',
      '-fno-pic',
      '-mno-abicalls',
      '-Wl,-e,main',
      `-I${cortex('')}`,
      '-o',
      '$OUT',
      wrappedC(),
      cortex('buddy.c'),
    ],
    sources: [wrappedC(), cortex('buddy.c'), cortex('buddy.h')],
  };
}

function cppProgram(debug: string[]): Recipe {
  return {
    tool: 'g++',
    gdb: 'gdb',
    language: 'c',
    args: ['-O1', '-g', ...debug, '-ffreestanding', '-nostdlib', '-static', '-Wl,-e,main', '-o', '$OUT', namespacedCpp()],
    sources: [namespacedCpp()],
  };
}

function rustProgram(source: () => string, flags: string[], withScript: boolean): Recipe {
  return {
    tool: 'rustc',
    gdb: 'gdb',
    language: 'rust',
    args: ['--edition', '2021', '-g', ...flags, source(), '-o', '$OUT'],
    sources: [source()],
    ...(withScript ? { generated: { 'script.rs': scriptToRust(HEAP_SCRIPT) }, env: { BUDDY_SCRIPT_RS: '$DIR/script.rs' } } : {}),
  };
}

export const RECIPES = {
  'arm-dwarf2': () => firmware(['-gdwarf-2', '-gstrict-dwarf']),
  'arm-dwarf3': () => firmware(['-gdwarf-3']),
  'arm-dwarf4': () => firmware(['-gdwarf-4']),
  'arm-dwarf5': () => firmware(['-gdwarf-5']),
  'arm-dwarf5-gz': () => firmware(['-gdwarf-5', '-gz']),
  'arm-wrapped-gz': (): Recipe => ({
    tool: 'arm-none-eabi-gcc',
    gdb: 'gdb-multiarch',
    language: 'c',
    args: [
      ...ARM,
      '-gdwarf-4',
      '-gz',
      `-I${cortex('')}`,
      '-T',
      cortex('link.ld'),
      '-o',
      '$OUT',
      wrappedC(),
      cortex('buddy.c'),
      cortex('startup.c'),
      '-lgcc',
    ],
    sources: [wrappedC(), cortex('buddy.c'), cortex('buddy.h'), cortex('startup.c'), cortex('link.ld')],
  }),
  'mips-be-wrapped': () => mipsProgram([]),
  'mips64-be-wrapped': () => mipsProgram(['-mabi=64', '-march=mips64r2']),
  'native-wrapped': (): Recipe => ({
    tool: 'gcc',
    gdb: 'gdb',
    language: 'c',
    args: [
      '-O1',
      '-g',
      '-std=c11',
      '-ffreestanding',
      '-nostdlib',
      '-static',
      '-Wl,-e,main',
      `-I${cortex('')}`,
      '-o',
      '$OUT',
      wrappedC(),
      cortex('buddy.c'),
    ],
    sources: [wrappedC(), cortex('buddy.c'), cortex('buddy.h')],
  }),
  // A hosted, position-independent program whose statics own heap blocks (root walker and core-dump tests).
  'native-owners': (): Recipe => ({
    tool: 'gcc',
    gdb: 'gdb',
    language: 'c',
    args: ['-O0', '-g', '-std=gnu11', '-fPIE', '-pie', `-I${cortex('')}`, '-o', '$OUT', ownersC(), cortex('buddy.c')],
    sources: [ownersC(), cortex('buddy.c'), cortex('buddy.h')],
  }),
  'native-cpp': () => cppProgram([]),
  // Types in type units, referred to by signature: DWARF 4's .debug_types and DWARF 5's DW_UT_type.
  'native-cpp-types4': () => cppProgram(['-gdwarf-4', '-fdebug-types-section']),
  'native-cpp-types5': () => cppProgram(['-gdwarf-5', '-fdebug-types-section']),
  'rust-debug': () => rustProgram(() => targetSource('rust', 'prog.rs'), ['-C', 'opt-level=0'], true),
  'rust-opt1': () => rustProgram(() => targetSource('rust', 'prog.rs'), ['-C', 'opt-level=1'], true),
  'rust-wrappers-dwarf5': () => rustProgram(wrappersRs, ['-C', 'dwarf-version=5'], false),
  'rust-owners': () => rustProgram(ownersRs, ['-C', 'opt-level=0', '-A', 'static_mut_refs'], false),
  'rust-wrappers-opt1': () => rustProgram(wrappersRs, ['-C', 'opt-level=1'], false),
} as const satisfies Record<string, () => Recipe>;

export type ProgramName = keyof typeof RECIPES;

/** A tool is missing: the tests say so (scripts/bootstrap.sh installs every one of them). */
export class MissingToolError extends Error {}

export function toolAvailable(tool: string): boolean {
  const probe = spawnSync(tool, ['--version'], { stdio: 'ignore', timeout: 10_000 });
  return !probe.error && probe.status === 0;
}

const memo = new Map<string, DebugProgram>();

export function buildProgram(name: ProgramName): DebugProgram {
  const cached = memo.get(name);
  if (cached) return cached;
  const recipe = RECIPES[name]();
  if (!toolAvailable(recipe.tool)) throw new MissingToolError(`${recipe.tool} is not installed (bash scripts/bootstrap.sh installs it)`);
  const hash = createHash('sha256');
  hash.update(JSON.stringify([recipe.tool, recipe.args, recipe.generated, recipe.env, toolVersion(recipe.tool)]));
  for (const source of recipe.sources) hash.update(fs.readFileSync(source));
  const dir = path.join(repoRoot(), '.cache', 'debug-programs', `${name}-${hash.digest('hex').slice(0, 16)}`);
  const out = path.join(dir, name.startsWith('rust') ? 'program' : 'program.elf');
  if (!fs.existsSync(out)) {
    // Built in a private folder and renamed into place, so parallel runs never see half a file.
    const work = `${dir}.tmp-${process.pid}`;
    fs.mkdirSync(work, { recursive: true });
    for (const [file, text] of Object.entries(recipe.generated ?? {})) fs.writeFileSync(path.join(work, file), text);
    const subst = (s: string) => s.replaceAll('$OUT', path.join(work, path.basename(out))).replaceAll('$DIR', work);
    const env = { ...process.env, ...Object.fromEntries(Object.entries(recipe.env ?? {}).map(([k, v]) => [k, subst(v)])) };
    const result = spawnSync(recipe.tool, recipe.args.map(subst), { encoding: 'utf8', timeout: 300_000, env, cwd: work });
    if (result.error || result.status !== 0) {
      fs.rmSync(work, { recursive: true, force: true });
      throw new Error(`building ${name} failed: ${result.error?.message ?? ''}${result.stderr}${result.stdout}`);
    }
    try {
      fs.renameSync(work, dir);
    } catch {
      fs.rmSync(work, { recursive: true, force: true }); // another process finished first
    }
  }
  const program = { name, file: out, gdb: recipe.gdb, language: recipe.language };
  memo.set(name, program);
  return program;
}

function toolVersion(tool: string): string {
  return spawnSync(tool, ['--version'], { encoding: 'utf8', timeout: 10_000 }).stdout?.split('\n')[0] ?? '';
}

/** Runs a tool and returns its stdout; throws with its stderr when it fails. */
export function runTool(tool: string, args: readonly string[]): string {
  const result = spawnSync(tool, args, { encoding: 'utf8', timeout: 120_000, maxBuffer: 512 * 1024 * 1024 });
  if (result.error || result.status !== 0)
    throw new Error(`${tool} ${args.join(' ')} failed: ${result.error?.message ?? ''}${result.stderr}`);
  return result.stdout;
}
