// Where a debug session stopped, as a read needs it.
/** Where a session stopped: the thread, why, and the frame to read in when the user picked one. */
export interface StopContext {
  readonly threadId?: number;
  readonly frameId?: number;
  /** The stopped event's reason and description, for the history and the log. */
  readonly reason?: string;
  readonly description?: string;
}
