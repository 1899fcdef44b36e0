// An ELF core file (gdb's `gcore`, the kernel's dumps): its PT_LOAD segments as target memory,
// each thread's registers from NT_PRSTATUS (x86-64 and AArch64), the mapped files from NT_FILE and
// the auxiliary vector from NT_AUXV, from which a position-independent program's load bias follows.
import { BytesView } from '../memory/bytesView';
import type { MemorySegment } from '../ownership/segmentedMemory';
import { ByteReader, stringAt } from './byteReader';
import { ElfFile } from './elfFile';
import { ET_DYN } from './elfTypes';
import { ProgramReadError } from './readError';

const ET_CORE = 4;
const PT_LOAD = 1;
const PT_NOTE = 4;
const NT_PRSTATUS = 1;
const NT_PRPSINFO = 3;
const NT_AUXV = 6;
const NT_FILE = 0x46494c45;
const AT_ENTRY = 9n;
const EM_X86_64 = 62;
const EM_AARCH64 = 183;
/** Notes larger than this are not a core file's (NT_FILE of a huge process is a few MiB). */
const MAX_NOTE_BYTES = 64 * 1024 * 1024;

/** General registers in `user_regs_struct` order, as NT_PRSTATUS stores them. */
const X86_64_REGISTERS = [
  'r15', 'r14', 'r13', 'r12', 'rbp', 'rbx', 'r11', 'r10', 'r9', 'r8', 'rax', 'rcx', 'rdx', 'rsi', 'rdi',
  'orig_rax', 'rip', 'cs', 'eflags', 'rsp', 'ss', 'fs_base', 'gs_base', 'ds', 'es', 'fs', 'gs',
]; // prettier-ignore
const AARCH64_REGISTERS = [...Array.from({ length: 31 }, (_, i) => `x${i}`), 'sp', 'pc', 'pstate'];
/** Offset of pr_fname (16 bytes, the command's name) in the 64-bit elf_prpsinfo. */
const PRPSINFO_FNAME_64 = 40;
const PRPSINFO_FNAME_BYTES = 16;
/** Offset of pr_reg in the 64-bit elf_prstatus (after siginfo, cursig, sigpend, sighold, pids and four timevals). */
const PRSTATUS_REGS_64 = 112;
const PRSTATUS_PID_64 = 32;

export interface CoreThread {
  readonly pid: number;
  /** Register values by name (empty for an architecture this reader does not lay out). */
  readonly registers: ReadonlyMap<string, bigint>;
  readonly stackPointer: bigint | undefined;
}

export interface MappedFile {
  readonly start: bigint;
  readonly end: bigint;
  /** Offset in the file, in bytes. */
  readonly fileOffset: bigint;
  readonly path: string;
}

export class CoreFile {
  readonly elf: ElfFile;
  /** PT_LOAD segments with bytes in the file (gcore leaves some read-only mappings out). */
  readonly segments: readonly MemorySegment[];
  readonly threads: readonly CoreThread[];
  readonly files: readonly MappedFile[];
  readonly auxv: ReadonlyMap<bigint, bigint>;
  /** The command's name as the kernel kept it (NT_PRPSINFO pr_fname, at most 15 bytes); undefined when absent. */
  readonly processName: string | undefined;

  /** Throws ProgramReadError when the bytes are not an ELF core file. */
  constructor(bytes: Uint8Array) {
    const elf = new ElfFile(bytes);
    if (elf.header.type !== ET_CORE) {
      throw new ProgramReadError(
        'unsupported',
        `this ELF file is not a core file (e_type ${elf.header.type}, a core is 4); make one with gdb's gcore or let the system dump one`,
      );
    }
    this.elf = elf;
    const width = elf.header.class === 64 ? 8 : 4;
    const segments: MemorySegment[] = [];
    for (const p of elf.segments) {
      if (p.type !== PT_LOAD || p.fileSize === 0) continue;
      if (p.offset + p.fileSize > bytes.length) {
        throw new ProgramReadError(
          'truncated',
          `the core's segment at 0x${p.virtualAddress.toString(16)} (${p.fileSize} bytes at file offset 0x${p.offset.toString(16)}) runs past the end of the file (${bytes.length} bytes): the core is cut short`,
        );
      }
      segments.push({
        address: p.virtualAddress,
        image: new BytesView(bytes.subarray(p.offset, p.offset + p.fileSize), width, elf.header.endianness),
      });
    }
    this.segments = segments;
    const threads: CoreThread[] = [];
    let files: MappedFile[] = [];
    const auxv = new Map<bigint, bigint>();
    let processName: string | undefined;
    for (const note of this.notes()) {
      if (note.name === 'CORE' && note.type === NT_PRSTATUS) threads.push(this.prstatus(note.desc));
      else if (note.name === 'CORE' && note.type === NT_PRPSINFO) processName = this.commandName(note.desc);
      else if (note.name === 'CORE' && note.type === NT_FILE) files = this.mappedFiles(note.desc, width);
      else if (note.name === 'CORE' && note.type === NT_AUXV) {
        const r = this.reader(note.desc, 'the NT_AUXV note');
        while (r.remaining >= 2 * width) {
          const key = r.address(width);
          const value = r.address(width);
          if (key === 0n) break;
          auxv.set(key, value);
        }
      }
    }
    this.threads = threads;
    this.files = files;
    this.auxv = auxv;
    this.processName = processName;
  }

  /**
   * The executable's path as the process saw it: the NT_FILE mapping that holds the entry point
   * (AT_ENTRY), else the mapping of a file named like the process. Undefined when the core has no NT_FILE.
   */
  get executablePath(): string | undefined {
    const entry = this.auxv.get(AT_ENTRY);
    const holding = entry === undefined ? undefined : this.files.find(f => entry >= f.start && entry < f.end);
    if (holding) return holding.path;
    const name = this.processName;
    return name ? this.files.find(f => f.fileOffset === 0n && baseName(f.path).startsWith(name))?.path : undefined;
  }

  /**
   * What to add to the program's link-time addresses to get the addresses the process used: 0 for
   * a fixed-address program; for a PIE, AT_ENTRY minus the program's entry point, else where
   * NT_FILE maps the program's first page. Undefined when the core does not say.
   */
  loadBias(program: ElfFile, programName: string): bigint | undefined {
    if (program.header.type !== ET_DYN) return 0n;
    const entry = this.auxv.get(AT_ENTRY);
    if (entry !== undefined && program.header.entry !== 0n) return entry - program.header.entry;
    const base = baseName(programName);
    const first = this.files.find(f => f.fileOffset === 0n && baseName(f.path) === base);
    const lowest = program.segments
      .filter(p => p.type === PT_LOAD)
      .reduce<bigint | undefined>((m, p) => (m === undefined || p.virtualAddress < m ? p.virtualAddress : m), undefined);
    if (!first || lowest === undefined) return undefined;
    return first.start - (lowest & ~0xfffn);
  }

  /** The core segment holding an address (a thread's stack pointer), as [start, end). */
  segmentAround(address: bigint): { start: bigint; end: bigint } | undefined {
    for (const s of this.segments) {
      const end = s.address + BigInt(s.image.size);
      if (address >= s.address && address < end) return { start: s.address, end };
    }
    return undefined;
  }

  private *notes(): Generator<{ name: string; type: number; desc: Uint8Array }> {
    const bytes = this.elf.bytes;
    for (const p of this.elf.segments) {
      if (p.type !== PT_NOTE) continue;
      if (p.fileSize > MAX_NOTE_BYTES || p.offset + p.fileSize > bytes.length) {
        throw new ProgramReadError(
          'truncated',
          `the core's note segment at file offset 0x${p.offset.toString(16)} runs past the end of the file`,
        );
      }
      const r = this.reader(bytes.subarray(p.offset, p.offset + p.fileSize), "the core's notes");
      while (r.remaining >= 12) {
        const nameSize = r.u32();
        const descSize = r.u32();
        const type = r.u32();
        const nameBytes = r.bytes.subarray(r.pos, r.pos + nameSize);
        r.skip(align4(nameSize));
        const name = nameSize > 0 ? stringAt(nameBytes, 0, 'a note name') : '';
        const start = r.pos;
        r.skip(align4(descSize));
        yield { name, type, desc: r.bytes.subarray(start, start + descSize) };
      }
    }
  }

  private prstatus(desc: Uint8Array): CoreThread {
    const machine = this.elf.header.machine;
    const names = machine === EM_X86_64 ? X86_64_REGISTERS : machine === EM_AARCH64 ? AARCH64_REGISTERS : undefined;
    if (!names || this.elf.header.class !== 64) return { pid: 0, registers: new Map(), stackPointer: undefined };
    const r = this.reader(desc, 'an NT_PRSTATUS note');
    r.pos = PRSTATUS_PID_64;
    const pid = r.u32();
    r.pos = PRSTATUS_REGS_64;
    const registers = new Map<string, bigint>();
    for (const name of names) registers.set(name, r.u64());
    return { pid, registers, stackPointer: registers.get(machine === EM_X86_64 ? 'rsp' : 'sp') };
  }

  /** pr_fname of a 64-bit NT_PRPSINFO (the 32-bit layouts differ by architecture and are not read). */
  private commandName(desc: Uint8Array): string | undefined {
    if (this.elf.header.class !== 64 || desc.length < PRPSINFO_FNAME_64 + PRPSINFO_FNAME_BYTES) return undefined;
    const field = desc.subarray(PRPSINFO_FNAME_64, PRPSINFO_FNAME_64 + PRPSINFO_FNAME_BYTES);
    const nul = field.indexOf(0);
    const name = new TextDecoder('utf-8', { fatal: false }).decode(field.subarray(0, nul < 0 ? field.length : nul));
    return name.length > 0 ? name : undefined;
  }

  /** NT_FILE: count and page size, then (start, end, page offset) per mapping, then their paths. */
  private mappedFiles(desc: Uint8Array, width: number): MappedFile[] {
    const r = this.reader(desc, 'the NT_FILE note');
    const count = Number(r.address(width));
    const pageSize = r.address(width);
    if (count * 3 * width > r.remaining)
      throw new ProgramReadError('malformed', `the NT_FILE note lists ${count} mappings but has room for fewer`);
    const ranges = Array.from({ length: count }, () => ({ start: r.address(width), end: r.address(width), page: r.address(width) }));
    return ranges.map(range => {
      const path = stringAt(desc, r.pos, 'the NT_FILE note');
      r.pos += new TextEncoder().encode(path).length + 1;
      return { start: range.start, end: range.end, fileOffset: range.page * pageSize, path };
    });
  }

  private reader(bytes: Uint8Array, what: string): ByteReader {
    return new ByteReader(bytes, this.elf.littleEndian, what);
  }
}

function align4(n: number): number {
  return (n + 3) & ~3;
}

function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}
