// Which capability a debug adapter must advertise in its `initialize` answer before a request of
// each kind may be sent. Adapters answer requests they do not know very differently: most fail
// them, lldb-dap 19 aborts (SIGABRT), ending the user's debug session. So this table is the one
// place that decides, and a kind missing from it is never sent.
import * as l10n from '@vscode/l10n';

/** The DAP capability flags this extension may depend on (names as in the spec's Capabilities). */
export type CapabilityFlag =
  | 'supportsReadMemoryRequest'
  | 'supportsWriteMemoryRequest'
  | 'supportsFunctionBreakpoints'
  | 'supportsConfigurationDoneRequest'
  | 'supportsModulesRequest'
  | 'supportsLoadedSourcesRequest'
  | 'supportsDisassembleRequest'
  | 'supportsSetVariable'
  | 'supportsSetExpression'
  | 'supportsCompletionsRequest'
  | 'supportsExceptionInfoRequest'
  | 'supportsTerminateRequest'
  | 'supportsCancelRequest'
  | 'supportsRestartRequest'
  | 'supportsRestartFrame'
  | 'supportsStepBack'
  | 'supportsGotoTargetsRequest'
  | 'supportsStepInTargetsRequest'
  | 'supportsBreakpointLocationsRequest'
  | 'supportsDataBreakpoints'
  | 'supportsInstructionBreakpoints'
  | 'supportsTerminateThreadsRequest';

/**
 * Request kind → the flag it needs, or null for the requests every adapter has answered since the
 * first DAP version. `locations` and custom requests are deliberately absent: no flag announces
 * them, and an adapter older than them may abort on them.
 */
export const REQUEST_CAPABILITY: Readonly<Record<string, CapabilityFlag | null>> = {
  initialize: null,
  launch: null,
  attach: null,
  disconnect: null,
  setBreakpoints: null,
  setExceptionBreakpoints: null,
  continue: null,
  next: null,
  stepIn: null,
  stepOut: null,
  pause: null,
  threads: null,
  stackTrace: null,
  scopes: null,
  variables: null,
  source: null,
  evaluate: null,
  readMemory: 'supportsReadMemoryRequest',
  writeMemory: 'supportsWriteMemoryRequest',
  setFunctionBreakpoints: 'supportsFunctionBreakpoints',
  configurationDone: 'supportsConfigurationDoneRequest',
  modules: 'supportsModulesRequest',
  loadedSources: 'supportsLoadedSourcesRequest',
  disassemble: 'supportsDisassembleRequest',
  setVariable: 'supportsSetVariable',
  setExpression: 'supportsSetExpression',
  completions: 'supportsCompletionsRequest',
  exceptionInfo: 'supportsExceptionInfoRequest',
  terminate: 'supportsTerminateRequest',
  cancel: 'supportsCancelRequest',
  restart: 'supportsRestartRequest',
  restartFrame: 'supportsRestartFrame',
  stepBack: 'supportsStepBack',
  reverseContinue: 'supportsStepBack',
  gotoTargets: 'supportsGotoTargetsRequest',
  goto: 'supportsGotoTargetsRequest',
  stepInTargets: 'supportsStepInTargetsRequest',
  breakpointLocations: 'supportsBreakpointLocationsRequest',
  dataBreakpointInfo: 'supportsDataBreakpoints',
  setDataBreakpoints: 'supportsDataBreakpoints',
  setInstructionBreakpoints: 'supportsInstructionBreakpoints',
  terminateThreads: 'supportsTerminateThreadsRequest',
};

/** What a request kind does, in words for a message ("does not support reading memory"). */
function action(command: string): string | undefined {
  switch (command) {
    case 'readMemory':
      return l10n.t('reading memory');
    case 'writeMemory':
      return l10n.t('writing memory');
    case 'setFunctionBreakpoints':
      return l10n.t('function breakpoints');
    case 'modules':
      return l10n.t('listing modules');
    case 'loadedSources':
      return l10n.t('listing loaded sources');
    case 'disassemble':
      return l10n.t('disassembling');
    default:
      return undefined;
  }
}

/** The flag a request kind needs: null when none, undefined for a kind that is never sent. */
export function requiredCapability(command: string): CapabilityFlag | null | undefined {
  return Object.prototype.hasOwnProperty.call(REQUEST_CAPABILITY, command) ? REQUEST_CAPABILITY[command] : undefined;
}

export function requestAction(command: string): string {
  return action(command) ?? l10n.t('the "{0}" request', command);
}
