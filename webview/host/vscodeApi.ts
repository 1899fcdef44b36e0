// The one handle on VS Code from inside the webview: typed posting and the UI state VS Code keeps
// while the panel is hidden and across restarts (getState/setState). Outside VS Code (a plain
// browser page) messages go to the console, so the bundle still loads.
import type { FromWebviewMessage } from '../../core/protocol/messages';

/** What the webview keeps for itself: how the user left the panel, never heap data. */
export interface UiState {
  readonly selection?: number | null;
  readonly zoom?: number;
  readonly scrollFraction?: number;
  readonly colorBy?: 'order' | 'owner';
  readonly closedSections?: readonly string[];
}

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

const api: VsCodeApi =
  typeof acquireVsCodeApi === 'function'
    ? acquireVsCodeApi()
    : { postMessage: message => console.info('[buddy-heap] post', message), getState: () => undefined, setState: () => undefined };

export function post(message: FromWebviewMessage): void {
  api.postMessage(message);
}

export function loadUiState(): UiState {
  const state = api.getState();
  return typeof state === 'object' && state !== null ? (state as UiState) : {};
}

let pending: UiState = loadUiState();

/** Merges a change into the saved UI state. */
export function saveUiState(change: Partial<UiState>): void {
  pending = { ...pending, ...change };
  api.setState(pending);
}
