// Where the debugged program's ELF comes from: the buddyHeap.live.program setting when set (an
// override), else the launch configuration's own field for it, which differs per adapter. Pure:
// the caller passes the configuration and the setting.
import { isRecord } from '../../../core/protocol/guards';

export interface ProgramPath {
  /** The file as the configuration or setting names it (VS Code has substituted its variables). */
  readonly path: string;
  /** Where it came from, for the log and for messages ("the launch configuration's "program""). */
  readonly from: string;
}

function nonEmpty(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

/**
 * The program of a session. `program`: cdt-gdb-adapter, cppdbg, lldb-dap, CodeLLDB, Native Debug;
 * `executable`: Cortex-Debug; `coreConfigs[].programBinary`: probe-rs (the first core's).
 * `setting` is buddyHeap.live.program; `${workspaceFolder}` in it is replaced by `workspaceFolder`.
 */
export function programOfSession(configuration: unknown, setting: unknown, workspaceFolder?: string): ProgramPath | undefined {
  const fromSetting = nonEmpty(setting);
  if (fromSetting !== undefined) {
    const path = workspaceFolder !== undefined ? fromSetting.replace(/\$\{workspaceFolder\}/g, workspaceFolder) : fromSetting;
    return { path, from: 'buddyHeap.live.program' };
  }
  if (!isRecord(configuration)) return undefined;
  const program = nonEmpty(configuration.program);
  if (program !== undefined) return { path: program, from: 'the launch configuration\'s "program"' };
  const executable = nonEmpty(configuration.executable);
  if (executable !== undefined) return { path: executable, from: 'the launch configuration\'s "executable"' };
  if (Array.isArray(configuration.coreConfigs)) {
    for (const core of configuration.coreConfigs as unknown[]) {
      const binary = isRecord(core) ? nonEmpty(core.programBinary) : undefined;
      if (binary !== undefined) return { path: binary, from: 'the launch configuration\'s "coreConfigs[].programBinary"' };
    }
  }
  return undefined;
}
