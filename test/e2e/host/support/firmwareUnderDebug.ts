// One suite's Cortex-M3 firmware in QEMU and the debug session on it, so that the suites which
// debug the firmware share how it is started, attached to and ended.
import * as assert from 'node:assert/strict';
import type * as vscode from 'vscode';
import type { buildCortexM3, CortexVariantName } from '../../support/buildTargets';
import type { Qemu } from '../../support/processes';
import { debugFirmware, endDebugging, qemuAttachConfig, startCortexFirmware, startSession, stopSession } from './hostDebug';

/**
 * `start` (in the suite's before hook) builds the firmware and starts QEMU halted, skipping the
 * suite when a tool is missing; `debugAtCheckpoints` or `attach` starts the session under test;
 * `end` (in the after hook) ends that session, then QEMU.
 */
export class FirmwareUnderDebug {
  private started: { readonly program: string; readonly qemu: Qemu } | undefined;
  /** The session under test, until it is ended. */
  session: vscode.DebugSession | undefined;

  async start(
    context: Mocha.Context,
    variant: CortexVariantName = '64k',
    options: Parameters<typeof buildCortexM3>[1] = {},
  ): Promise<void> {
    this.started = await startCortexFirmware(context, variant, options);
  }

  /** The firmware's ELF. */
  get program(): string {
    return this.running().program;
  }

  /** A session stopping at every `checkpoint` (the function breakpoint is added when missing). */
  async debugAtCheckpoints(name: string): Promise<vscode.DebugSession> {
    const { program, qemu } = this.running();
    this.session = await debugFirmware(name, program, qemu);
    return this.session;
  }

  /** A session with the breakpoints the Breakpoints view has now, and no others. */
  async attach(name: string): Promise<vscode.DebugSession> {
    const { program, qemu } = this.running();
    this.session = await startSession(qemuAttachConfig(name, program, qemu));
    return this.session;
  }

  /** Ends the session under test (QEMU keeps running). */
  async endSession(): Promise<void> {
    await stopSession(this.session);
    this.session = undefined;
  }

  /** Ends the session under test, then QEMU: nothing the suite started is left running. */
  async end(): Promise<void> {
    const session = this.session;
    this.session = undefined;
    await endDebugging(session, this.started?.qemu);
  }

  private running(): { readonly program: string; readonly qemu: Qemu } {
    assert.ok(this.started, 'the firmware is started (start() in the suite before hook)');
    return this.started;
  }
}
