// A cheap necessary condition that lets discovery skip whole units: a unit can declare a heap
// only if its bytes refer to the name "min_block_size_log2" (inline, or as a .debug_str offset).
// Units whose names or references cannot be checked this way (string indexes, references into
// other units or type units) are always kept. In a large build this skips nearly every unit.
import { DW_FORM as DW_FORM_EXPORT } from '../dwarf/constants';
import type { DwarfInfo } from '../dwarf/dwarfInfo';
import type { UnitHeader } from '../dwarf/unit';

// Local binding: esbuild's CommonJS output reads an imported binding through a getter.
const DW_FORM = DW_FORM_EXPORT;
const MARKER = new TextEncoder().encode('min_block_size_log2\0');
const UNCHECKABLE = new Set<number>([
  DW_FORM.ref_addr,
  DW_FORM.ref_sig8,
  DW_FORM.GNU_ref_alt,
  DW_FORM.GNU_strp_alt,
  DW_FORM.strp_sup,
  DW_FORM.strx,
  DW_FORM.strx1,
  DW_FORM.strx2,
  DW_FORM.strx3,
  DW_FORM.strx4,
  DW_FORM.GNU_str_index,
]);

export function unitMayDeclareHeap(dwarf: DwarfInfo): (unit: UnitHeader) => boolean {
  // Every place the name starts in .debug_str or .debug_line_str (a linker may point into the tail
  // of a longer string). Offsets of both are searched for alike: a false match only costs a scan.
  const strOffsets: number[] = [];
  for (const table of [dwarf.sections.str, dwarf.sections.lineStr]) {
    if (!table) continue;
    const buffer = Buffer.from(table.buffer, table.byteOffset, table.length);
    for (let at = buffer.indexOf(MARKER); at >= 0 && strOffsets.length < 64; at = buffer.indexOf(MARKER, at + 1)) strOffsets.push(at);
  }
  const info = dwarf.sections.info;
  const infoBuffer = Buffer.from(info.buffer, info.byteOffset, info.length);
  const patterns = new Map<number, Buffer[]>();
  const patternsFor = (size: 4 | 8) => {
    let list = patterns.get(size);
    if (!list) {
      list = strOffsets.map(offset => {
        const b = Buffer.alloc(size);
        if (size === 4) b.writeUInt32LE(offset);
        else b.writeBigUInt64LE(BigInt(offset));
        if (!dwarf.littleEndian) b.reverse();
        return b;
      });
      patterns.set(size, list);
    }
    return list;
  };
  return unit => {
    const table = dwarf.abbrevs(unit);
    if (table.forms().some(form => UNCHECKABLE.has(form))) return true;
    const bytes = infoBuffer.subarray(unit.offset, unit.end);
    if (bytes.indexOf(MARKER) >= 0) return true;
    return patternsFor(unit.offsetSize).some(pattern => bytes.indexOf(pattern) >= 0);
  };
}
