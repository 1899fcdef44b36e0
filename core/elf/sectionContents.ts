// Inflates compressed debug sections: SHF_COMPRESSED with an Elf32/64_Chdr (gcc -gz, the
// default since binutils 2.26) and the legacy GNU ".zdebug_*" form ("ZLIB" + 8-byte big-endian
// size). The output is bounded by the size the header declares, and must be exactly that size.
import { inflateSync } from 'node:zlib';
import { ByteReader } from './byteReader';
import type { ElfSection } from './elfTypes';
import { ProgramReadError } from './readError';

const SHF_COMPRESSED = 0x800n;
const ELFCOMPRESS_ZLIB = 1;
const ELFCOMPRESS_ZSTD = 2;
/** Node's Buffer limit is higher, but no debug section of a real program comes near 2 GiB. */
const MAX_INFLATED = 0x7fff_ffff;

export function sectionContents(section: ElfSection, raw: Uint8Array, elfClass: 32 | 64, littleEndian: boolean): Uint8Array {
  const label = `section ${section.name}`;
  if ((section.flags & SHF_COMPRESSED) !== 0n) {
    const r = new ByteReader(raw, littleEndian, `the compression header of ${label}`);
    const type = r.u32();
    if (elfClass === 64) r.u32(); // ch_reserved
    const size = elfClass === 64 ? r.u64Offset('ch_size') : r.u32();
    r.skip(elfClass === 64 ? 8 : 4); // ch_addralign
    if (type === ELFCOMPRESS_ZSTD) {
      throw new ProgramReadError(
        'unsupported',
        `${label} is compressed with zstd, which this reader cannot inflate; rebuild with -gz=zlib (or -gz=none)`,
      );
    }
    if (type !== ELFCOMPRESS_ZLIB) throw new ProgramReadError('malformed', `${label} has unknown compression type ${type}`);
    return inflate(raw.subarray(r.pos), size, label);
  }
  if (section.name.startsWith('.zdebug_') && raw.length >= 12 && raw[0] === 0x5a && raw[1] === 0x4c && raw[2] === 0x49 && raw[3] === 0x42) {
    const size = new ByteReader(raw, false, `the compression header of ${label}`, 4).u64Offset('the inflated size');
    return inflate(raw.subarray(12), size, label);
  }
  return raw;
}

function inflate(compressed: Uint8Array, size: number, label: string): Uint8Array {
  if (size > MAX_INFLATED)
    throw new ProgramReadError('unsupported', `${label} claims ${size} bytes inflated, more than this reader handles`);
  let inflated: Buffer;
  try {
    inflated = inflateSync(compressed, { maxOutputLength: Math.max(size, 1) });
  } catch (error) {
    throw new ProgramReadError('malformed', `${label} does not inflate: ${(error as Error).message}`);
  }
  if (inflated.length !== size)
    throw new ProgramReadError('malformed', `${label} inflates to ${inflated.length} bytes, not the ${size} its header says`);
  return new Uint8Array(inflated.buffer, inflated.byteOffset, inflated.length);
}
