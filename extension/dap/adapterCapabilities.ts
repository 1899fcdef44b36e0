// One debug session's adapter capabilities, learnt from the adapter's own messages: the answer to
// `initialize` sets them, a `capabilities` event updates them. vscode.DebugSession has no API for
// them, so whoever sees the session's traffic (the extension's session tracker, the e2e tests'
// client) feeds each message in, through the one parser (sessionEvents.ts). No vscode import.
import * as l10n from '@vscode/l10n';
import { isRecord } from '../../core/protocol/guards';
import { type SessionEvent, eventFromAdapter } from './sessionEvents';
import { type CapabilityFlag, requestAction, requiredCapability } from './requestCapabilities';

/** Why a request must not be sent to this adapter. */
export interface RequestRefusal {
  readonly command: string;
  readonly capability: CapabilityFlag | undefined;
  /**
   * notAdvertised: the adapter's initialize answer lacks the flag; capabilitiesUnknown: no
   * initialize answer was seen; unknownRequest: a kind this extension never sends.
   */
  readonly reason: 'notAdvertised' | 'capabilitiesUnknown' | 'unknownRequest';
  /** Said to the user: what the adapter lacks, what it means here, and what to do. */
  readonly message: string;
}

/** The first release of lldb-dap (LLVM 20) whose adapter supports readMemory. */
const LLDB_DAP_READ_MEMORY_SINCE = 20;

/** lldb-dap puts its version in the initialize answer: `__lldb.version` (19) or `$__lldb_version` (22). */
function lldbVersion(body: Record<string, unknown>): string | undefined {
  const nested = isRecord(body.__lldb) ? body.__lldb.version : undefined;
  const text = typeof nested === 'string' ? nested : typeof body.$__lldb_version === 'string' ? body.$__lldb_version : undefined;
  return text ? /\d+(?:\.\d+)+/.exec(text)?.[0] : undefined;
}

export class AdapterCapabilities {
  private flags: Record<string, unknown> | undefined;
  private lldb: string | undefined;

  /** `adapterName`: how to name the adapter to the user (the session's debug type, e.g. "lldb-dap"). */
  constructor(readonly adapterName: string) {}

  /** Capabilities already known, e.g. from an initialize answer a test received itself. */
  static fromInitialize(adapterName: string, body: unknown): AdapterCapabilities {
    const capabilities = new AdapterCapabilities(adapterName);
    capabilities.learn({ kind: 'capabilities', capabilities: isRecord(body) ? body : {}, initial: true });
    return capabilities;
  }

  /** Routes one message the adapter sent; only the initialize answer and `capabilities` events matter. */
  observe(message: unknown): void {
    const event = eventFromAdapter(message);
    if (event) this.learn(event);
  }

  /** Learns from a session event: the initialize answer sets the flags, a later `capabilities` event changes some. */
  learn(event: SessionEvent): void {
    if (event.kind !== 'capabilities') return;
    const body: Record<string, unknown> = { ...event.capabilities };
    if (event.initial) {
      this.flags = body;
      this.lldb = lldbVersion(body);
    } else if (this.flags) {
      this.flags = { ...this.flags, ...body };
    }
  }

  /** Whether the initialize answer has been seen. */
  get known(): boolean {
    return this.flags !== undefined;
  }

  /** The adapter as the user knows it: "lldb-dap 19.1.7", "gdb". */
  get adapter(): string {
    return this.lldb ? `${this.adapterName} ${this.lldb}` : this.adapterName;
  }

  supports(command: string): boolean {
    return this.refusal(command) === undefined;
  }

  /** Why `command` must not be sent now, or undefined when it may. */
  refusal(command: string): RequestRefusal | undefined {
    const flag = requiredCapability(command);
    if (flag === undefined)
      return {
        command,
        capability: undefined,
        reason: 'unknownRequest',
        message: l10n.t('The heap reader never sends "{0}" requests: no capability says that {1} answers them.', command, this.adapter),
      };
    if (flag === null) return undefined;
    // Asked before every request: the allowed case makes no words.
    if (this.flags?.[flag] === true) return undefined;
    const action = requestAction(command);
    if (!this.flags)
      return {
        command,
        capability: flag,
        reason: 'capabilitiesUnknown',
        message: l10n.t(
          'The extension did not see how {0} answered "initialize" (was the debug session started before the extension?), so it does not know whether the adapter supports {1}, and sends no {2} request rather than risk ending the session. Restart the debug session to read the heap.',
          this.adapter,
          action,
          command,
        ),
      };
    return {
      command,
      capability: flag,
      reason: 'notAdvertised',
      message: `${l10n.t(
        '{0} does not support {1} (no {2} in its answer to "initialize"): the heap cannot be read in this debug session, and no {3} request is sent (some adapters end the session on a request they do not know).',
        this.adapter,
        action,
        flag,
        command,
      )} ${this.remedy(command)}`,
    };
  }

  private remedy(command: string): string {
    const major = this.lldb ? Number(this.lldb.split('.')[0]) : undefined;
    if (command === 'readMemory' && major !== undefined && major < LLDB_DAP_READ_MEMORY_SINCE)
      return l10n.t(
        "lldb-dap {0} and newer support it: point the lldb-dap extension at a newer lldb-dap (e.g. Debian's lldb-22), or debug with gdb.",
        LLDB_DAP_READ_MEMORY_SINCE,
      );
    if (command === 'readMemory')
      return l10n.t(
        'Debug with an adapter that supports it: cdt-gdb-adapter, Cortex-Debug, cppdbg, probe-rs, CodeLLDB and lldb-dap 20+ do.',
      );
    return l10n.t('Debug with an adapter that advertises {0}.', requiredCapability(command) ?? command);
  }
}
