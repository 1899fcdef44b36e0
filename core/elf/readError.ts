// The one error type the ELF and DWARF readers throw: anything they find wrong in a file (not an
// ELF, truncated, malformed, a feature they do not read) ends up here with a message saying what
// and where, so callers catch exactly this and let real bugs surface.

export type ProgramReadErrorKind =
  /** The file is not an ELF file at all. */
  | 'not-elf'
  /** A table or value runs past the end of the file or its section. */
  | 'truncated'
  /** A value that cannot be right (an unknown form, a reference outside its section, …). */
  | 'malformed'
  /** Well formed, but something this reader does not handle (zstd compression, an object file). */
  | 'unsupported'
  /** A readable ELF file without the DWARF a question needs. */
  | 'no-debug-info';

export class ProgramReadError extends Error {
  constructor(
    readonly kind: ProgramReadErrorKind,
    message: string,
  ) {
    super(message);
    this.name = 'ProgramReadError';
  }
}

export function hexOffset(offset: number): string {
  return '0x' + offset.toString(16);
}
