// Static locations: the DWARF expressions that put a variable at one fixed address. Anything
// else (a register, the stack, thread-local storage, a location list) is not a static.
import { ByteReader } from '../elf/byteReader';
import { ProgramReadError } from '../elf/readError';
import { DW_OP as DW_OP_EXPORT } from './constants';
import type { DwarfInfo } from './dwarfInfo';
import type { UnitHeader } from './unit';

// Local bindings: esbuild's CommonJS output reads an imported binding through a getter on every
// use, which the per-attribute loops would pay millions of times.
const DW_OP = DW_OP_EXPORT;

/**
 * The address of `DW_OP_addr a` or `DW_OP_addrx i` (optionally `+ DW_OP_plus_uconst k`), or
 * undefined for any other expression. An expression that is cut short reads as not static.
 */
export function staticAddress(expression: Uint8Array, unit: UnitHeader, dwarf: DwarfInfo): bigint | undefined {
  const r = new ByteReader(expression, dwarf.littleEndian, 'a location expression');
  try {
    let address: bigint;
    const op = r.u8();
    if (op === DW_OP.addr) address = r.address(unit.addressSize);
    else if (op === DW_OP.addrx || op === DW_OP.GNU_addr_index) address = dwarf.indexedAddress(r.uleb('an address index'), unit);
    else return undefined;
    if (r.remaining === 0) return address;
    if (r.u8() !== DW_OP.plus_uconst) return undefined;
    address = BigInt.asUintN(unit.addressSize * 8, address + BigInt(r.ulebValue()));
    return r.remaining === 0 ? address : undefined;
  } catch (error) {
    if (error instanceof ProgramReadError && error.kind === 'truncated') return undefined;
    throw error;
  }
}

/** Addresses a linker writes for variables it discarded (gc-sections): 0, or lld's -1 and -2 tombstones. */
export function isTombstone(address: bigint, addressSize: number): boolean {
  const ones = (1n << BigInt(addressSize * 8)) - 1n;
  return address === 0n || address === ones || address === ones - 1n;
}
