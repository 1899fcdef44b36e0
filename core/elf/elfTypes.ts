// The ELF structures as this reader returns them (addresses bigint, file offsets and sizes numbers).
import type { Endianness } from '../layout';

export const ET_REL = 1;
export const ET_EXEC = 2;
export const ET_DYN = 3;
export const SHT_NOBITS = 8;
export const SHT_SYMTAB = 2;
export const SHT_DYNSYM = 11;
export const SHF_COMPRESSED = 0x800;

export interface ElfHeader {
  readonly class: 32 | 64;
  readonly endianness: Endianness;
  readonly osAbi: number;
  /** e_type: 1 relocatable, 2 executable, 3 shared object or PIE, 4 core. */
  readonly type: number;
  readonly machine: number;
  readonly entry: bigint;
  readonly flags: number;
}

export interface ElfSection {
  readonly index: number;
  readonly name: string;
  readonly type: number;
  readonly flags: bigint;
  readonly address: bigint;
  readonly offset: number;
  /** Bytes in the file (or in memory for SHT_NOBITS); for a compressed section, the compressed size. */
  readonly size: number;
  readonly link: number;
  readonly info: number;
  readonly addressAlign: bigint;
  readonly entrySize: number;
}

export interface ElfSegment {
  readonly type: number;
  readonly flags: number;
  readonly offset: number;
  readonly virtualAddress: bigint;
  readonly physicalAddress: bigint;
  readonly fileSize: number;
  readonly memorySize: bigint;
  readonly align: bigint;
}
