// Runs one heap refresh per stop and cancels it when a newer stop or a resume overtakes it, so
// the panel never shows a heap read across two stops. LiveHeapSource drives it (its state machine
// says when to read and when to cancel); no vscode import.
import * as l10n from '@vscode/l10n';
import type { StopContext } from '../dap/liveHeapReader';
import { LiveReadError, errorText } from '../dap/liveErrors';

export interface RefreshCallbacks<T> {
  /** The work for one stop; must honour the signal. */
  readonly refresh: (stop: StopContext, signal: AbortSignal) => Promise<T>;
  readonly onResult: (result: T, stop: StopContext) => void;
  /** Failures other than cancellation, with a message for the user. */
  readonly onError: (error: LiveReadError, stop: StopContext) => void;
}

export class RefreshController<T> {
  private current: AbortController | undefined;
  /** A finished refresh's controller, never aborted: the next refresh's (making one costs more than a stop's own work). */
  private spare: AbortController | undefined;
  private running: Promise<void> | undefined;
  private disposed = false;

  constructor(private readonly callbacks: RefreshCallbacks<T>) {}

  /** Starts a refresh for this stop, aborting any refresh still running. */
  stopped(stop: StopContext): Promise<void> {
    this.cancel();
    if (this.disposed) return Promise.resolve();
    const controller = this.spare ?? new AbortController();
    this.spare = undefined;
    this.current = controller;
    const run = (async () => {
      try {
        const result = await this.callbacks.refresh(stop, controller.signal);
        if (!controller.signal.aborted) this.callbacks.onResult(result, stop);
      } catch (error) {
        if (controller.signal.aborted) return;
        const live =
          error instanceof LiveReadError ? error : new LiveReadError('adapter', l10n.t('The heap refresh failed: {0}', errorText(error)));
        if (live.kind !== 'cancelled') this.callbacks.onError(live, stop);
      } finally {
        if (this.current === controller) {
          this.current = undefined;
          // Never aborted: only `cancel` aborts, and it takes `current` first. What may still hold its
          // signal (a read's stack, asked after the read) is of the stop the next refresh replaces.
          this.spare = controller;
        }
      }
    })();
    this.running = run;
    return run;
  }

  /** The target resumed (or the session ends): whatever is being read is stale. */
  cancel(): void {
    this.current?.abort();
    this.current = undefined;
  }

  /** Resolves when the latest refresh has settled, including one started while waiting (a follow-up from a callback). */
  async idle(): Promise<void> {
    let seen: Promise<void> | undefined;
    do {
      seen = this.running;
      await seen;
    } while (seen !== this.running);
  }

  dispose(): void {
    this.disposed = true;
    this.cancel();
  }
}
