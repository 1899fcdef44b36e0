// What probe-rs's DAP server accepts, for the proxy that imitates it in front of cdt-gdb-adapter
// (shared notes debug-adapters.md; probe-rs's dap_server `debugger.rs` initialize and
// `adapter.rs` evaluate/read_memory): its capabilities, `evaluate` of a bare variable name in the
// `watch` context only (no `&`, no `.field`, no `sizeof`, no paths), `readMemory` at a numeric
// address only, and only the requests it implements. Pure, so the refusals are easy to read.

/** The capabilities probe-rs answers `initialize` with (no modules, no function breakpoints, no hovers). */
export const PROBE_RS_CAPABILITIES = {
  supportsConfigurationDoneRequest: true,
  supportsRestartRequest: true,
  supportSuspendDebuggee: true,
  supportsDelayedStackTraceLoading: true,
  supportsReadMemoryRequest: true,
  supportsWriteMemoryRequest: true,
  supportsSetVariable: true,
  supportsClipboardContext: true,
  supportsDisassembleRequest: true,
  supportsInstructionBreakpoints: true,
  supportsSteppingGranularity: true,
  supportsCompletionsRequest: true,
  supportTerminateDebuggee: true,
} as const;

/** The requests probe-rs's server dispatches; any other gets "unsupported command". */
const HANDLED = new Set([
  'initialize',
  'attach',
  'launch',
  'configurationDone',
  'disconnect',
  'terminate',
  'restart',
  'setBreakpoints',
  'setInstructionBreakpoints',
  'setExceptionBreakpoints',
  'threads',
  'stackTrace',
  'scopes',
  'variables',
  'source',
  'evaluate',
  'setVariable',
  'completions',
  'readMemory',
  'writeMemory',
  'disassemble',
  'continue',
  'next',
  'stepIn',
  'stepOut',
  'pause',
]);

/** A bare name: what probe-rs's resolve_expression looks up (locals, then statics, then registers). */
const BARE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** probe-rs parses memoryReference with parse_int: decimal, 0x hex, 0o, 0b. */
const NUMERIC = /^(0x[0-9a-f]+|0o[0-7]+|0b[01]+|\d+)$/i;

function field(args: unknown, name: string): unknown {
  return typeof args === 'object' && args !== null ? (args as Record<string, unknown>)[name] : undefined;
}

/**
 * Why probe-rs would refuse this request, or undefined when it answers it. Stricter than probe-rs
 * in one place: it also answers `hover`; only `watch` passes here, the context the extension uses.
 */
export function probeRsRefusal(command: string, args: unknown): string | undefined {
  if (!HANDLED.has(command)) return `unsupported command: ${command}`;
  if (command === 'evaluate') {
    const context = field(args, 'context');
    if (context !== 'watch') return `Evaluate context ${JSON.stringify(context ?? '<missing>')} is not supported.`;
    const expression = field(args, 'expression');
    if (typeof expression !== 'string' || !BARE_NAME.test(expression.trim()))
      return `Could not find a variable named ${JSON.stringify(expression)}: only bare variable names are evaluated.`;
  }
  if (command === 'readMemory' || command === 'writeMemory') {
    const reference = field(args, 'memoryReference');
    if (typeof reference !== 'string' || !NUMERIC.test(reference))
      return `Failed to parse memory reference ${JSON.stringify(reference)}: not a number.`;
  }
  return undefined;
}

/**
 * cdt-gdb-adapter's attach arguments for a probe-rs style configuration: the ELF from
 * `coreConfigs[0].programBinary`, the "probe" a gdb server (`gdbTarget: {host, port}`, QEMU's stub).
 */
export function cdtAttachArguments(args: unknown): Record<string, unknown> {
  const cores = field(args, 'coreConfigs');
  const program = Array.isArray(cores) ? field(cores[0], 'programBinary') : undefined;
  const target = field(args, 'gdbTarget');
  if (typeof program !== 'string') throw new Error('probe-rs configuration without coreConfigs[0].programBinary');
  if (typeof field(target, 'port') !== 'string') throw new Error('probe-rs proxy configuration without gdbTarget.port');
  return {
    gdb: 'gdb-multiarch',
    program,
    target: { type: 'remote', host: field(target, 'host') ?? '127.0.0.1', port: field(target, 'port') },
  };
}
