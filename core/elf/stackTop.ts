// Where a bare-metal program's initial stack ends: the linker script's top-of-stack symbol, else
// the first word of the Cortex-M vector table (the initial SP the core loads at reset). A stack
// is scanned up to this address; reads past it may succeed (RAM aliases), so it cannot be found
// by reading until a failure. Native programs have neither: their stacks end where the mapping does.
import type { ElfFile } from './elfFile';
import { readSymbols } from './symbols';

/** Names linker scripts give the top of the stack (cortex-m-rt, CMSIS, newlib, GNU Arm samples). */
const TOP_SYMBOLS = ['_estack', '_stack_start', '__stack_start', '__StackTop', '_stack_top', '__stack_top', '__stack', '_sstack_end'];
/** Sections that hold a Cortex-M vector table. */
const VECTOR_SECTIONS = ['.vector_table', '.isr_vector', '.vectors'];
const EM_ARM = 40;

export interface StackTop {
  readonly address: bigint;
  /** Where it came from, for the log: `symbol _estack`, `.vectors[0]`. */
  readonly from: string;
}

export function findStackTop(elf: ElfFile): StackTop | undefined {
  const symbols = readSymbols(elf);
  for (const name of TOP_SYMBOLS) {
    const symbol = symbols.find(s => s.name === name && s.sectionIndex !== 0);
    if (symbol && symbol.value !== 0n) return { address: symbol.value, from: `symbol ${name}` };
  }
  if (elf.header.machine !== EM_ARM) return undefined;
  for (const name of VECTOR_SECTIONS) {
    const section = elf.section(name);
    if (!section || section.size < 4) continue;
    const data = elf.data(section);
    if (data.length < 4) continue;
    const view = new DataView(data.buffer, data.byteOffset, 4);
    const sp = BigInt(view.getUint32(0, elf.littleEndian));
    if (sp !== 0n) return { address: sp, from: `${name}[0] (the initial stack pointer)` };
  }
  return undefined;
}
