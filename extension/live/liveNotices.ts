// What a live heap tells the user, and how often: the one home of the notice policy. The state
// machine says what happened (an announcement, a read outcome); this decides the words, the level,
// and what is said only once (an absent auto-attached heap, a struct of zeros) until a good read.
import * as l10n from '@vscode/l10n';
import type { DecodedHeapView } from '../../core/decoder/types';
import type { WireNotice } from '../../core/protocol/viewModel';
import type { LiveErrorKind, LiveReadError } from '../dap/liveErrors';
import type { LiveHeapRead } from '../dap/liveHeapReader';
import type { Announcement } from './liveHeapMachine';
import { findingsNotice, mergeNotices, noteNotice, readProblemNotice } from './readNotices';

/** A read error's title, translated when asked for (the bundle is configured at activation). */
function errorTitle(kind: LiveErrorKind): string {
  switch (kind) {
    case 'cancelled':
      return l10n.t('Refresh cancelled');
    case 'notStopped':
      return l10n.t('Target running');
    case 'busy':
      return l10n.t('Debug adapter busy');
    case 'disconnected':
      return l10n.t('Debug session ended');
    case 'unsupported':
      return l10n.t('Heap cannot be read with this debug adapter');
    case 'expression':
      return l10n.t('Heap expression does not evaluate');
    case 'notAHeap':
      return l10n.t('Not a buddy heap');
    case 'unreadable':
      return l10n.t('Heap struct unreadable');
    case 'zeroed':
      return l10n.t('Heap struct reads as zeros');
    case 'badResponse':
      return l10n.t('Unexpected debug adapter answer');
    case 'adapter':
      return l10n.t('Debug adapter error');
    case 'settings':
      return l10n.t('Heap setting invalid');
  }
}

/**
 * A notice for the panel, or `quiet` (nothing new to say: the status line still changes), with the
 * message for the status line either way.
 */
export type Telling = { readonly notice: WireNotice | null | 'quiet'; readonly message: string | undefined };

export class LiveNotices {
  private absenceReported = false;
  /** The struct read as zeros and the user was told; reset by a good read. */
  private zeroedReported = false;
  /** The adapter lacks a request the read needs and the user was told (it will not learn it mid-session). */
  private unsupportedReported = false;
  private unsupportedMessage: string | undefined;

  constructor(
    private readonly heapName: string,
    private readonly sessionName: string,
    /** True the first time the debug session hears `what` from any of its heaps. */
    private readonly firstInSession: (what: string) => boolean = () => true,
  ) {}

  /** Auto-attached, never read, and reported absent from the session's program. */
  get absenceSaid(): boolean {
    return this.absenceReported;
  }

  announce(what: Announcement, stops: number, hasSnapshot: boolean): Telling {
    switch (what) {
      case 'running': {
        // The heap is not read at the next stop either: keep the notice that says why, not "running".
        if (this.unsupportedReported) return { notice: 'quiet', message: this.unsupportedMessage };
        const message = hasSnapshot
          ? l10n.t('The target is running: showing the heap as of stop {0} (stale). It is read again at the next stop.', stops)
          : l10n.t('The target is running: the heap is read at the next stop.');
        return { notice: info(l10n.t('Target running'), message), message };
      }
      case 'refreshWhileRunning': {
        const message = l10n.t('The target is running; the heap is read at the next stop (no reads while running).');
        return { notice: info(l10n.t('Target running'), message), message };
      }
      case 'resumeRefused':
        return { notice: null, message: undefined };
    }
  }

  /** A snapshot was read: findings, unreadable parts and notes, merged into one notice (or null: all clear). */
  readOk(read: LiveHeapRead, view: DecodedHeapView): Telling {
    // Found after all: should it vanish (or read as zeros) again later, say so again.
    this.absenceReported = false;
    this.zeroedReported = false;
    this.unsupportedReported = false;
    const cause = midUpdateCause(read);
    const notice = mergeNotices([
      cause !== undefined ? midUpdateNotice(this.heapName, cause, view) : findingsNotice(this.heapName, view),
      readProblemNotice(this.heapName, read.stats),
      ...read.notes.map(note => noteNotice(this.heapName, note)),
    ]);
    return { notice, message: undefined };
  }

  readFailed(error: LiveReadError, quietWhenAbsent: boolean): Telling {
    if (error.kind === 'expression' && quietWhenAbsent) {
      // Once per source: later stops retry silently (a local may come into scope).
      if (this.absenceReported) return { notice: 'quiet', message: error.message };
      this.absenceReported = true;
      return {
        notice: info(
          l10n.t('{0}: not found in "{1}"', this.heapName, this.sessionName),
          l10n.t(
            '{0} It was attached automatically from buddyHeap.live.heaps; give the entry a "debugType", "program" or "sessionName" to attach it only where it exists. Retried quietly at each stop.',
            error.message,
          ),
        ),
        message: error.message,
      };
    }
    if (error.kind === 'unsupported') {
      // Nothing was sent to the adapter: say what it lacks once per session (and per heap), then stay quiet.
      const first = !this.unsupportedReported && this.firstInSession(error.message);
      this.unsupportedReported = true;
      this.unsupportedMessage = error.message;
      if (!first) return { notice: 'quiet', message: error.message };
    }
    if (error.kind === 'zeroed') {
      // Stops before the heap is set up are common: a warning once, then quietly until a read succeeds.
      if (this.zeroedReported) return { notice: 'quiet', message: error.message };
      this.zeroedReported = true;
    }
    // Busy is not running: the target is stopped, so a Refresh may read it once the adapter is idle.
    const level =
      error.kind === 'notStopped'
        ? 'info'
        : error.kind === 'busy' || error.kind === 'zeroed' || error.kind === 'unsupported'
          ? 'warning'
          : 'error';
    return {
      notice: { level, title: l10n.t('{0}: {1}', this.heapName, errorTitle(error.kind)), message: error.message, blocks: [] },
      message: error.message,
    };
  }

  ended(why: string): Telling {
    const message = l10n.t('{0}; the panel keeps the last snapshot of {1}.', why, this.heapName);
    return { notice: info(l10n.t('Debug session ended'), message), message };
  }
}

/** Rust (and C++) methods of the heap type: `prog::Heap<16>::allocate`, `buddyalloc::Heap<N>::push`. */
const HEAP_METHOD = /(?:^|[^\w])Heap(?:<[^()]*>)?::\w+/;
/** The heap's GlobalAlloc impl: `<prog::Locked<prog::Heap<16>> as core::alloc::global::GlobalAlloc>::alloc` (and its closures). */
const GLOBAL_ALLOC = /GlobalAlloc>::(?:alloc|dealloc|realloc|alloc_zeroed)\b/;
/** C allocators: `heap_allocate`, `heap_alloc`, `heap_free`, `heap_deallocate`, … */
const C_HEAP_FUNCTION = /^heap_(?:alloc|allocate|free|deallocate|dealloc|realloc|init)$/;

/**
 * The innermost frame that is a function of the heap's implementation, or undefined: stopped
 * there, the free lists may be half-way through a change.
 */
export function allocatorFrame(stack: readonly string[]): string | undefined {
  return stack.find(name => HEAP_METHOD.test(name) || GLOBAL_ALLOC.test(name) || C_HEAP_FUNCTION.test(name.trim()));
}

/** Why the free lists may be half-way through a change at this stop. */
export type MidUpdateCause = { readonly kind: 'frame'; readonly frame: string } | { readonly kind: 'lock'; readonly flag: string };

/**
 * A frame of the allocator on the stack (the strongest sign), else the wrapper's lock flag held
 * (another thread, or an interrupted critical section, is inside the allocator), else undefined.
 */
export function midUpdateCause(read: Pick<LiveHeapRead, 'stack' | 'lock'>): MidUpdateCause | undefined {
  const frame = allocatorFrame(read.stack ?? []);
  if (frame !== undefined) return { kind: 'frame', frame };
  return read.lock?.held ? { kind: 'lock', flag: read.lock.path } : undefined;
}

/** Stopped inside the allocator, or with its lock held: findings are said as possibly transient, never as corruption. */
export function midUpdateNotice(heapName: string, cause: MidUpdateCause, view: DecodedHeapView): WireNotice {
  const count = view.findings.length;
  const first = view.findings[0]?.message ?? '';
  const lock = cause.kind === 'lock';
  const findings =
    count === 0
      ? ''
      : lock
        ? count === 1
          ? l10n.t('The 1 integrity finding ({0}) may be transient, not corruption: check again at a stop where the lock is free.', first)
          : l10n.t(
              'The {0} integrity findings ({1}, …) may be transient, not corruption: check again at a stop where the lock is free.',
              count,
              first,
            )
        : count === 1
          ? l10n.t('The 1 integrity finding ({0}) may be transient, not corruption: check again at a stop outside the allocator.', first)
          : l10n.t(
              'The {0} integrity findings ({1}, …) may be transient, not corruption: check again at a stop outside the allocator.',
              count,
              first,
            );
  const midUpdate = lock
    ? l10n.t("The heap's lock is held ({0} is set): the free lists may be mid-update.", cause.flag)
    : l10n.t('Stopped inside {0}: the free lists may be mid-update.', cause.frame);
  return {
    level: count === 0 ? 'info' : 'warning',
    title: lock ? l10n.t('{0}: lock held', heapName) : l10n.t('{0}: stopped inside {1}', heapName, cause.frame),
    message: findings ? `${midUpdate} ${findings}` : midUpdate,
    blocks: view.findings.flatMap(f => (f.offset !== undefined ? [{ offset: f.offset, order: f.order ?? 0 }] : [])).slice(0, 64),
  };
}

function info(title: string, message: string): WireNotice {
  return { level: 'info', title, message, blocks: [] };
}
