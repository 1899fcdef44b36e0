// The one message protocol between the extension host and the heap panel's webview. Both sides
// import these types; every message that arrives is checked by validate.ts before use.
//
// Handshake: the webview posts `ready` once its script runs; the host answers with `init`, which
// carries the whole state. After that the host sends `update`s carrying only the parts that
// changed (an absent part is unchanged; `null` clears it). A simulated operation sends its
// `patch` to the view and the `historyTail` instead of the whole view and history; a webview
// that cannot apply one asks for the whole state again with `ready`.
import type { HeapViewModel, WireDiff, WireHistory, WireHistoryTail, WireNotice, WireSource } from './viewModel';
import type { WireViewPatch } from './viewPatch';

//#region host → webview

/** The full state: the answer to `ready`, and what a restored panel renders first. */
export interface InitMessage {
  readonly type: 'init';
  readonly protocol: number;
  readonly revision: number;
  readonly source: WireSource;
  readonly view: HeapViewModel;
  readonly history: WireHistory;
  readonly diff: WireDiff | null;
  readonly selection: number | null;
  readonly notice: WireNotice | null;
}

/** A change of state; parts left out did not change. */
export interface UpdateMessage {
  readonly type: 'update';
  readonly revision: number;
  readonly source?: WireSource;
  readonly view?: HeapViewModel;
  /** The change to the view last sent (never with `view`). */
  readonly patch?: WireViewPatch;
  readonly history?: WireHistory;
  /** The change to the history last sent (never with `history`). */
  readonly historyTail?: WireHistoryTail;
  readonly diff?: WireDiff | null;
  readonly selection?: number | null;
  readonly notice?: WireNotice | null;
}

export type ToWebviewMessage = InitMessage | UpdateMessage;

//#endregion

//#region webview → host

/** The webview's script is running and wants the state. */
export interface ReadyMessage {
  readonly type: 'ready';
  readonly protocol: number;
}

/** The user selected a block (null: cleared the selection). */
export interface SelectBlockMessage {
  readonly type: 'selectBlock';
  readonly offset: number | null;
}

/** Show the heap as it was after this history step. */
export interface StepToMessage {
  readonly type: 'stepTo';
  readonly step: number;
}

/** Compare the shown step with this one (null: with the step before it). */
export interface CompareWithMessage {
  readonly type: 'compareWith';
  readonly step: number | null;
}

/** Free the allocation that starts at this offset (simulation). */
export interface FreeBlockMessage {
  readonly type: 'freeBlock';
  readonly offset: number;
}

/** Panel buttons that run one of the contributed commands (which ask for their inputs). */
export const PANEL_COMMANDS = [
  'simulateAllocation',
  'simulateDeallocation',
  'resetHeap',
  'configureLayout',
  'replayTrace',
  'exportTrace',
] as const;
export type PanelCommand = (typeof PANEL_COMMANDS)[number];

export interface RunCommandMessage {
  readonly type: 'runCommand';
  readonly command: PanelCommand;
}

/** The user dismissed the notice banner. */
export interface DismissNoticeMessage {
  readonly type: 'dismissNotice';
}

/**
 * The webview applied a host message and drew it: what it shows, so the host (and its tests) can
 * tell the state arrived, not just that it was sent.
 */
export interface RenderedMessage {
  readonly type: 'rendered';
  readonly revision: number;
  readonly step: number;
  readonly blocks: number;
  readonly freeBlocks: number;
  readonly findings: number;
  readonly selection: number | null;
  readonly notice: string | null;
}

/** An uncaught error in the webview, so it lands in the host's log instead of nowhere. */
export interface WebviewErrorMessage {
  readonly type: 'webviewError';
  readonly message: string;
}

export type FromWebviewMessage =
  | ReadyMessage
  | SelectBlockMessage
  | StepToMessage
  | CompareWithMessage
  | FreeBlockMessage
  | RunCommandMessage
  | DismissNoticeMessage
  | RenderedMessage
  | WebviewErrorMessage;

//#endregion
