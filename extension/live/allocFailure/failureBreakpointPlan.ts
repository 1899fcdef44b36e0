// Which function breakpoints "Break on Allocation Failure" sets for a debug session: the
// allocation-failure functions of the session's program (its ELF symbols), only when the adapter
// advertises supportsFunctionBreakpoints; otherwise a message saying why none are set. No vscode
// here, so a fake session covers it in the unit tests.
import * as l10n from '@vscode/l10n';
import { type FailureFunction, allocationFailureFunctions } from '../../../core/elf/allocFailureSymbols';
import { ElfFile } from '../../../core/elf/elfFile';
import { readSymbols } from '../../../core/elf/symbols';
import type { AdapterCapabilities } from '../../dap/adapterCapabilities';
import type { FailureHook } from './failureHooks';

/** What the plan needs of a debug session. */
export interface FailureSession {
  readonly type: string;
  readonly name: string;
  readonly configuration: Readonly<Record<string, unknown>>;
}

export type FailureBreakpointPlan =
  | { readonly ok: true; readonly program: string; readonly functions: readonly FailureFunction[]; readonly notes: readonly string[] }
  | { readonly ok: false; readonly message: string };

/** The program a launch configuration debugs, by the key each adapter uses. */
export function programOfConfiguration(configuration: Readonly<Record<string, unknown>>): string | undefined {
  const named = (value: unknown) => (typeof value === 'string' && value.trim() !== '' ? value : undefined);
  const cores = configuration.coreConfigs;
  const probeRs =
    Array.isArray(cores) && typeof cores[0] === 'object' && cores[0] !== null
      ? (cores[0] as Record<string, unknown>).programBinary
      : undefined;
  // program: cdt-gdb-adapter, lldb-dap, cppdbg; executable: Cortex-Debug; coreConfigs[0].programBinary: probe-rs.
  return named(configuration.program) ?? named(configuration.executable) ?? named(probeRs);
}

export async function planFailureBreakpoints(
  session: FailureSession,
  capabilities: AdapterCapabilities,
  hooks: readonly FailureHook[],
  readProgram: (path: string) => Promise<Uint8Array>,
): Promise<FailureBreakpointPlan> {
  const refusal = capabilities.refusal('setFunctionBreakpoints');
  if (refusal)
    return {
      ok: false,
      message: l10n.t(
        'Break on Allocation Failure needs function breakpoints, and {0} does not advertise supportsFunctionBreakpoints (debug session "{1}"): no breakpoints were set. Set a breakpoint on the program\'s allocation-failure function by hand, or debug with an adapter that has them (cdt-gdb-adapter, lldb-dap, Cortex-Debug).',
        capabilities.adapter,
        session.name,
      ),
    };
  return failureFunctionsOfProgram(session, hooks, readProgram);
}

/** The plan from the launch configuration alone: before the session starts, so the breakpoints are in place when the program runs. */
export async function failureFunctionsOfProgram(
  session: FailureSession,
  hooks: readonly FailureHook[],
  readProgram: (path: string) => Promise<Uint8Array>,
): Promise<FailureBreakpointPlan> {
  const program = programOfConfiguration(session.configuration);
  if (!program)
    return {
      ok: false,
      message: l10n.t(
        'Break on Allocation Failure reads the program\'s symbols, but the launch configuration of debug session "{0}" names no program ("program", "executable" or "coreConfigs[0].programBinary"): no breakpoints were set.',
        session.name,
      ),
    };
  let functions: readonly FailureFunction[];
  let missing: readonly string[];
  try {
    const found = allocationFailureFunctions(
      readSymbols(new ElfFile(await readProgram(program))),
      hooks.map(h => h.function),
    );
    functions = found.functions;
    missing = found.missingHooks;
  } catch (error) {
    return {
      ok: false,
      message: l10n.t(
        'Break on Allocation Failure could not read the symbols of {0} ({1}): no breakpoints were set.',
        program,
        error instanceof Error ? error.message : String(error),
      ),
    };
  }
  const notes =
    missing.length > 0
      ? [l10n.t('{0} defines no {1} (buddyHeap.live.allocationFailureHooks): check the names.', program, missing.join(', '))]
      : [];
  if (functions.length === 0)
    return {
      ok: false,
      message:
        l10n.t(
          '{0} has no allocation-failure function in its symbols (no alloc::alloc::handle_alloc_error, and no hook from buddyHeap.live.allocationFailureHooks): no breakpoints were set.',
          program,
        ) + (notes.length ? ` ${notes[0]}` : ''),
    };
  return { ok: true, program, functions, notes };
}
