// Break on Allocation Failure: while buddyHeap.live.breakOnAllocationFailure is on, each debug
// session gets function breakpoints (plain vscode.FunctionBreakpoints, in the Breakpoints view) on
// its program's allocation-failure functions; turning it off removes the ones added here. When
// the target stops in one, the failed request is read from the frame, the model explains the
// failure on that stop's snapshot, and the panel shows it on the heap.
import * as vscode from 'vscode';
import { explainAllocationFailure } from '../../../core/explain/allocationFailure';
import { heapFromSnapshot } from '../../../core/explain/heapFromSnapshot';
import { formatBytes } from '../../../core/layout';
import { isRecord } from '../../../core/protocol/guards';
import type { WireNotice } from '../../../core/protocol/viewModel';
import type { FailureFunction } from '../../../core/elf/allocFailureSymbols';
import type { HeapDebugger } from '../../heapDebugger';
import { DisposableBase } from '../../util/dispose';
import { Emitter } from '../../util/emitter';
import type { LiveDebugging } from '../liveDebugging';
import type { TrackedEvent } from '../sessionTracker';
import { type FailedRequest, readFailedRequest } from './failedRequest';
import { type FailureBreakpointPlan, failureFunctionsOfProgram, planFailureBreakpoints } from './failureBreakpointPlan';
import { type FailureHook, parseFailureHooks } from './failureHooks';
import { failureFunctionAt } from './failureFrame';

export const TOGGLE_BREAK_ON_FAILURE_COMMAND = 'buddyHeap.live.toggleBreakOnAllocationFailure';

/** What the panel was told at one allocation-failure stop (the host tests read it). */
export interface AllocationFailureReport {
  readonly sessionId: string;
  readonly function: string;
  readonly request: FailedRequest;
  readonly heap: string | undefined;
  readonly notice: WireNotice;
  /** The model's explanation, when the request and the snapshot were both known. */
  readonly explanation: ReturnType<typeof explainAllocationFailure> | undefined;
}

export class AllocationFailureBreaks extends DisposableBase {
  /** The failure functions planned for each session. */
  private readonly plans = new Map<string, readonly FailureFunction[]>();
  /** The breakpoints this feature added, by function name (shared by all sessions, as VS Code's are). */
  private readonly added = new Map<string, vscode.FunctionBreakpoint>();
  private readonly reports = this.register(new Emitter<AllocationFailureReport>());
  /** A failure stop was explained (or what was missing was said). */
  readonly onDidReport = this.reports.event;
  lastReport: AllocationFailureReport | undefined;
  /** Why the last session got no breakpoints (the host tests read it; the user gets it as a warning). */
  lastRefusal: { readonly sessionId: string; readonly message: string } | undefined;
  /** Debug types whose adapter has no function breakpoints: their next launches get none in advance. */
  private readonly typesWithoutFunctionBreakpoints = new Set<string>();

  constructor(
    private readonly app: HeapDebugger,
    private readonly live: LiveDebugging,
  ) {
    super();
    this.register(this.live.tracker.onDidEvent(tracked => this.onEvent(tracked)));
    this.register(this.live.tracker.onDidEnd(session => this.plans.delete(session.id)));
    this.register(
      vscode.workspace.onDidChangeConfiguration(event => {
        if (
          event.affectsConfiguration('buddyHeap.live.breakOnAllocationFailure') ||
          event.affectsConfiguration('buddyHeap.live.allocationFailureHooks')
        )
          void this.apply();
      }),
    );
    // Before a session starts: its breakpoints must be set before the program runs into a failure.
    this.register(
      vscode.debug.registerDebugConfigurationProvider('*', {
        resolveDebugConfigurationWithSubstitutedVariables: async (_folder, configuration) => {
          if (this.enabled) await this.prepare(configuration);
          return configuration;
        },
      }),
    );
    void this.apply();
  }

  get enabled(): boolean {
    return vscode.workspace.getConfiguration('buddyHeap.live').get<boolean>('breakOnAllocationFailure', false) === true;
  }

  /** The command: flips the setting (user settings), which adds or removes the breakpoints. */
  async toggle(): Promise<{ ok: true; enabled: boolean }> {
    const enabled = !this.enabled;
    await vscode.workspace
      .getConfiguration('buddyHeap.live')
      .update('breakOnAllocationFailure', enabled, vscode.ConfigurationTarget.Global);
    await this.apply();
    void vscode.window.showInformationMessage(
      enabled
        ? vscode.l10n.t('Buddy Heap: Break on Allocation Failure is on.')
        : vscode.l10n.t('Buddy Heap: Break on Allocation Failure is off.'),
    );
    return { ok: true, enabled };
  }

  /** The breakpoints currently added by this feature (for the host tests). */
  breakpointNames(): string[] {
    return [...this.added.keys()];
  }

  override dispose(): void {
    if (this.added.size > 0) vscode.debug.removeBreakpoints([...this.added.values()]);
    this.added.clear();
    super.dispose();
  }

  private hooks(): FailureHook[] {
    const parsed = parseFailureHooks(vscode.workspace.getConfiguration('buddyHeap.live').get('allocationFailureHooks'));
    for (const problem of parsed.problems) this.app.log(`settings: ${problem}`);
    return parsed.hooks;
  }

  /** Adds the breakpoints for every session whose adapter is known (on), or removes them (off). */
  private async apply(): Promise<void> {
    if (!this.enabled) {
      if (this.added.size > 0) vscode.debug.removeBreakpoints([...this.added.values()]);
      this.added.clear();
      this.plans.clear();
      return;
    }
    for (const tracked of this.live.tracker.all()) if (tracked.capabilities.known) await this.plan(tracked.session);
  }

  private readProgram(path: string): Promise<Uint8Array> {
    return Promise.resolve(vscode.workspace.fs.readFile(vscode.Uri.file(path)));
  }

  private async prepare(configuration: vscode.DebugConfiguration): Promise<void> {
    // Added before the launch, they would show in the Breakpoints view until the adapter's
    // capabilities are known, only to be removed then.
    if (this.typesWithoutFunctionBreakpoints.has(configuration.type)) return;
    const plan = await failureFunctionsOfProgram({ type: configuration.type, name: configuration.name, configuration }, this.hooks(), p =>
      this.readProgram(p),
    );
    // Problems are said once the session's adapter is known (plan), not twice.
    if (plan.ok) this.addBreakpoints(plan);
  }

  private addBreakpoints(plan: Extract<FailureBreakpointPlan, { ok: true }>): void {
    const existing = new Set(vscode.debug.breakpoints.flatMap(b => (b instanceof vscode.FunctionBreakpoint ? [b.functionName] : [])));
    const fresh = plan.functions.filter(f => !existing.has(f.name)).map(f => new vscode.FunctionBreakpoint(f.name, true));
    for (const b of fresh) this.added.set(b.functionName, b);
    if (fresh.length > 0) vscode.debug.addBreakpoints(fresh);
  }

  /** Removes breakpoints added here that no session with function breakpoints needs. */
  private removeUnneeded(): void {
    const needed = new Set([...this.plans.values()].flatMap(functions => functions.map(f => f.name)));
    const unneeded = [...this.added].filter(([name]) => !needed.has(name));
    for (const [name] of unneeded) this.added.delete(name);
    if (unneeded.length > 0) vscode.debug.removeBreakpoints(unneeded.map(([, b]) => b));
  }

  private async plan(session: vscode.DebugSession): Promise<void> {
    const tracked = this.live.tracker.get(session.id);
    if (!tracked || !this.enabled) return;
    const plan = await planFailureBreakpoints(session, tracked.capabilities, this.hooks(), p => this.readProgram(p));
    if (!plan.ok) {
      if (tracked.capabilities.refusal('setFunctionBreakpoints')) this.typesWithoutFunctionBreakpoints.add(session.type);
      this.lastRefusal = { sessionId: session.id, message: plan.message };
      this.app.log(plan.message);
      if (!this.plans.has(session.id)) void vscode.window.showWarningMessage(vscode.l10n.t('Buddy Heap: {0}', plan.message));
      this.plans.set(session.id, []);
      this.removeUnneeded();
      return;
    }
    for (const note of plan.notes) {
      this.app.log(note);
      void vscode.window.showWarningMessage(vscode.l10n.t('Buddy Heap: {0}', note));
    }
    this.plans.set(session.id, plan.functions);
    this.addBreakpoints(plan);
    this.app.log(`Break on Allocation Failure in ${plan.program}: ${plan.functions.map(f => f.name).join(', ')}`);
  }

  private onEvent({ session, event }: TrackedEvent): void {
    if (event.kind === 'capabilities' && event.initial && this.enabled) void this.plan(session);
    if (event.kind === 'stopped' && (event.stop.reason ?? '').includes('breakpoint') && (this.plans.get(session.id)?.length ?? 0) > 0)
      void this.stopped(session, event.stop.threadId).catch(error => this.app.log(`allocation failure stop: ${String(error)}`));
  }

  /** A breakpoint stop: when the top frame is a failure function, explain the failure there. */
  private async stopped(session: vscode.DebugSession, threadId: number | undefined): Promise<void> {
    const tracked = this.live.tracker.get(session.id);
    const functions = this.plans.get(session.id) ?? [];
    if (!tracked || threadId === undefined || !tracked.capabilities.supports('stackTrace')) return;
    const trace: unknown = await session.customRequest('stackTrace', { threadId, startFrame: 0, levels: 2 });
    const top = isRecord(trace) && Array.isArray(trace.stackFrames) && isRecord(trace.stackFrames[0]) ? trace.stackFrames[0] : undefined;
    if (!top || typeof top.name !== 'string' || typeof top.id !== 'number') return;
    const failing = failureFunctionAt(top.name, functions);
    if (!failing) return;
    const hook = this.hooks().find(h => h.function === failing.name);
    const channel = {
      customRequest: (command: string, args?: unknown) => Promise.resolve(session.customRequest(command, args)),
      capabilities: tracked.capabilities,
    };
    const next: unknown = isRecord(trace) && Array.isArray(trace.stackFrames) ? trace.stackFrames[1] : undefined;
    const caller =
      isRecord(next) && typeof next.id === 'number' && typeof next.name === 'string' ? { id: next.id, name: next.name } : undefined;
    const request = await readFailedRequest(channel, top.id, failing.language, hook, caller);
    const sources = this.live.allSources(session.id).filter(s => !s.ended);
    const source = sources[0];
    if (source) await source.idle();
    const what = request.ok
      ? vscode.l10n.t('allocation of {0} bytes (align {1}) failed here', String(request.size), String(request.align))
      : vscode.l10n.t('an allocation failed here');
    const report = (notice: WireNotice, explanation?: AllocationFailureReport['explanation']): void => {
      this.app.log(`${notice.title}: ${notice.message}`);
      if (source) {
        source.markLatestStep(what);
        this.live.show(source, notice);
      } else this.app.notify(notice);
      this.lastReport = { sessionId: session.id, function: failing.name, request, heap: source?.heapName, notice, explanation };
      this.reports.fire(this.lastReport);
    };
    const title = request.ok
      ? vscode.l10n.t('Allocation of {0} bytes (align {1}) failed here', String(request.size), String(request.align))
      : vscode.l10n.t('An allocation failed here');
    if (!request.ok) {
      report({
        level: 'warning',
        title,
        message: vscode.l10n.t('Stopped in {0}, but the request is not shown: {1}.', failing.name, request.missing),
        blocks: [],
      });
      return;
    }
    const latest = source?.latestRead;
    if (!source || !latest) {
      report({
        level: 'warning',
        title,
        message: vscode.l10n.t(
          'Stopped in {0}. No heap of this debug session has been read, so the failure cannot be explained: attach the heap (Buddy Heap: Attach to Debug Session) or add it to buddyHeap.live.heaps.',
          failing.name,
        ),
        blocks: [],
      });
      return;
    }
    const rebuilt = heapFromSnapshot(latest.snapshot, latest.view);
    if (!rebuilt.ok) {
      report({
        level: 'warning',
        title,
        message: vscode.l10n.t('Stopped in {0}. The model cannot explain it on {1}: {2}', failing.name, source.heapName, rebuilt.message),
        blocks: [],
      });
      return;
    }
    // Owners of the blocks in the way come from the ownership scan of this stop, when it ran.
    const explanation = explainAllocationFailure(rebuilt.heap, request.size, request.align, address => source.ownerOf(address));
    const largest = vscode.l10n.t('The largest free block is {0}.', formatBytes(explanation.largestFreeBytes));
    const where = request.note
      ? vscode.l10n.t('Stopped in {0} on {1} ({2}).', failing.name, source.heapName, request.note)
      : vscode.l10n.t('Stopped in {0} on {1}.', failing.name, source.heapName);
    report(
      {
        level: 'error',
        title,
        message: `${where} ${vscode.l10n.t('The crate returns {0}.', explanation.error)} ${explanation.notice.message}${explanation.kind === 'Fragmented' ? '' : ` ${largest}`}`,
        blocks: explanation.notice.blocks,
      },
      explanation,
    );
  }
}
