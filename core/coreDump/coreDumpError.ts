// What can be wrong when a core dump is opened, by whose fault: the core file, the program file,
// the pairing of the two, or the program's debug info. Callers (the CLI, the extension) word the
// file names their own way and decide what to do next (ask for another program, give up).

export type CoreDumpProblem =
  /** The core file is not an ELF core (not ELF, another ELF type, truncated, malformed). */
  | 'core'
  /** The program file is not a usable ELF program (not ELF, a core file, truncated). */
  | 'program'
  /** Both are fine alone but the core was not dumped from this program (another machine, no load address). */
  | 'mismatch'
  /** The program's debug info cannot be read, or declares no buddy heap. */
  | 'no-heap';

export class CoreDumpError extends Error {
  constructor(
    readonly problem: CoreDumpProblem,
    message: string,
  ) {
    super(message);
    this.name = 'CoreDumpError';
  }
}
