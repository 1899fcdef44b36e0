// Is a stack frame one of the allocation-failure functions? Debuggers name frames differently:
// gdb "alloc::alloc::handle_alloc_error", lldb with the arguments "alloc::alloc::handle_alloc_error(layout=…)",
// some with the module "prog!heap_alloc_failed", C hooks plain.
import type { FailureFunction } from '../../../core/elf/allocFailureSymbols';

function lastComponent(name: string): string {
  const bare = name.replace(/\(.*$/s, '').replace(/^.*!/, '').trim();
  const parts = bare.split('::');
  return parts[parts.length - 1] ?? bare;
}

export function failureFunctionAt(frameName: string, functions: readonly FailureFunction[]): FailureFunction | undefined {
  const bare = frameName.replace(/\(.*$/s, '').replace(/^.*!/, '').trim();
  return functions.find(f => bare === f.name || lastComponent(bare) === lastComponent(f.name));
}
