// What a live heap does when the user selects a stack frame while stopped: the issue asks for
// evaluate in the frame of vscode.debug.activeStackItem, as the Watch view does, so a heap that is
// a local of a caller is found once its frame is picked. A fresh stop still reads in the stopped
// thread's top frame (VS Code moves the active item only after the stop), and a heap whose place
// does not depend on the frame (a static located once, an address heap) is not read again.
// Pure, so every case is unit-tested.

export interface FrameSelectionState {
  /** Stopped at least once and not running or ended since. */
  readonly stopped: boolean;
  /** A read is under way: decide when it settles (it may already use this frame). */
  readonly reading: boolean;
  /** Another frame may find another heap (an expression not pinned to a static). */
  readonly frameMatters: boolean;
  /** The frame the last read evaluated in, if it evaluated at all. */
  readonly frameUsed: number | undefined;
}

export type FrameAction =
  /** Nothing to do: not stopped, the same frame, or the frame does not matter. */
  | 'ignore'
  /** Remember the frame and decide again when the read under way settles. */
  | 'later'
  /** Read again now, evaluating in the selected frame. */
  | 'refresh';

export function frameAction(frameId: number, state: FrameSelectionState): FrameAction {
  if (!state.stopped) return 'ignore';
  if (state.reading) return 'later';
  if (!state.frameMatters || state.frameUsed === frameId) return 'ignore';
  return 'refresh';
}
