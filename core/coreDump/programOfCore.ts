// Where the program a core was dumped from may be: the path the core's NT_FILE note maps at the
// entry point (valid on the machine that dumped it), else a file beside the core named like the
// executable, like the process (NT_PRPSINFO), or like the core without its `.core` suffix.
import type { CoreFile } from '../elf/coreFile';
import type { ElfFile } from '../elf/elfFile';
import type { HeapWordReader } from '../memory/byteImage';

export interface ProgramCandidates {
  /** Absolute paths the core names, best first. */
  readonly paths: readonly string[];
  /** File names to look for in the core's folder, best first. */
  readonly besideCore: readonly string[];
}

export function programCandidates(core: CoreFile, coreFileName: string): ProgramCandidates {
  const executable = core.executablePath;
  const paths = executable && executable.startsWith('/') ? [executable] : [];
  const names: string[] = [];
  const add = (name: string | undefined): void => {
    if (name && name !== coreFileName && !names.includes(name) && !name.includes('/')) names.push(name);
  };
  if (executable) add(baseName(executable));
  add(core.processName);
  const stem = /^(.+)\.core$/.exec(coreFileName)?.[1];
  add(stem);
  return { paths, besideCore: names };
}

function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

const ET_DYN = 3;
const PT_LOAD = 1;
const AT_ENTRY = 9n;
/** namesz, descsz, type and "GNU" with its NUL, before the id itself. */
const BUILD_ID_HEADER = 16;
const MAX_BUILD_ID_NOTE = 256;

/**
 * Why `program` cannot be the program `core` was dumped from (another machine, another entry
 * point, mapped elsewhere than its load bias says), or undefined when everything the core records
 * agrees with it. A program that was rebuilt without changing its layout is not caught here.
 */
export function programMismatch(core: CoreFile, program: ElfFile, programPath: string): string | undefined {
  if (core.elf.header.machine !== program.header.machine || core.elf.header.class !== program.header.class)
    return `it is for another machine (e_machine ${program.header.machine}, the core's is ${core.elf.header.machine})`;
  const entry = core.auxv.get(AT_ENTRY);
  if (program.header.type !== ET_DYN && entry !== undefined && entry !== program.header.entry)
    return `its entry point 0x${program.header.entry.toString(16)} is not the process's (0x${entry.toString(16)})`;
  const bias = core.loadBias(program, programPath);
  if (bias === undefined) return 'the core does not say where it was loaded';
  const executable = core.executablePath;
  const lowest = program.segments
    .filter(p => p.type === PT_LOAD)
    .reduce<bigint | undefined>((m, p) => (m === undefined || p.virtualAddress < m ? p.virtualAddress : m), undefined);
  const first = executable === undefined ? undefined : core.files.find(f => f.path === executable && f.fileOffset === 0n);
  if (first && lowest !== undefined && first.start !== bias + (lowest & ~0xfffn))
    return `its first page would be at 0x${(bias + (lowest & ~0xfffn)).toString(16)}, but the process mapped ${executable} at 0x${first.start.toString(16)}`;
  return buildIdMismatch(core, program, bias);
}

/** The build-id note as loaded: cores keep the program's first pages, where the linker puts it. */
function buildIdMismatch(core: CoreFile, program: ElfFile, bias: bigint): string | undefined {
  const note = program.section('.note.gnu.build-id');
  if (!note || note.size <= BUILD_ID_HEADER || note.size > MAX_BUILD_ID_NOTE) return undefined;
  const expected = program.rawContents(note);
  const loaded = coreBytes(core, note.address + bias, note.size);
  if (!loaded || loaded.every((b, i) => b === expected[i])) return undefined;
  const id = (bytes: Uint8Array) => Array.from(bytes.subarray(BUILD_ID_HEADER), b => b.toString(16).padStart(2, '0')).join('');
  return `it is another build (build-id ${id(expected)}; the process ran ${id(loaded)})`;
}

function coreBytes(core: CoreFile, address: bigint, length: number): Uint8Array | undefined {
  for (const segment of core.segments) {
    const image: HeapWordReader & { read?: (offset: number, length: number) => Uint8Array | undefined } = segment.image;
    if (address < segment.address || address + BigInt(length) > segment.address + BigInt(image.size)) continue;
    return image.read?.(Number(address - segment.address), length);
  }
  return undefined;
}
