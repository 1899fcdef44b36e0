// Which registers the ownership scan takes as roots: all that can hold a data pointer. Those that
// hold code addresses, flags or segment state never point into a heap, so they are left out
// (the names gdb, lldb and cores use on x86-64, Arm and AArch64).
const NOT_POINTER_REGISTERS = new Set([
  'rip',
  'eip',
  'pc',
  'lr',
  'cs',
  'ss',
  'ds',
  'es',
  'fs',
  'gs',
  'eflags',
  'rflags',
  'cpsr',
  'xpsr',
  'fpscr',
  'pstate',
  'orig_rax',
  'fs_base',
  'gs_base',
]);

export function notPointerRegister(name: string): boolean {
  return NOT_POINTER_REGISTERS.has(name.toLowerCase());
}
