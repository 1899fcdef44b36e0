// Each debug session's program, read once and placed once: the ELF (through the program cache) and
// its load bias at that session. Discovery and the ownership scan both start here, so a session's
// program is searched and its bias found once, and a problem is said once.
import * as vscode from 'vscode';
import type { DapChannel } from '../../dap/dapSession';
import type { StopContext } from '../../dap/stopContext';
import type { ProgramCache, LoadedProgram } from './programCache';
import { type ProgramPath, programOfSession } from './programSource';
import { findLoadBias } from './sessionHeaps';
import { programUri } from './programUri';

export interface SessionProgram {
  readonly path: ProgramPath;
  readonly loaded: LoadedProgram;
  readonly bias: bigint;
  /** How the bias was found, for the log. */
  readonly how: string;
}

/** Why a session has no program to work from, said once. */
export type NoProgram = { readonly problem: string; readonly what: 'no-program' | 'no-bias' | 'program-error' };

export class SessionPrograms {
  private readonly bySession = new Map<string, Promise<SessionProgram | NoProgram>>();

  constructor(private readonly programs: ProgramCache) {}

  /** The session's program and load bias (found at the first call; a failure is tried again at the next stop). */
  resolve(session: vscode.DebugSession, channel: DapChannel, stop: StopContext): Promise<SessionProgram | NoProgram> {
    let found = this.bySession.get(session.id);
    if (!found) {
      found = this.find(session, channel, stop);
      this.bySession.set(session.id, found);
      void found.then(result => 'problem' in result && this.bySession.get(session.id) === found && this.bySession.delete(session.id));
    }
    return found;
  }

  forget(sessionId: string): void {
    this.bySession.delete(sessionId);
  }

  private async find(session: vscode.DebugSession, channel: DapChannel, stop: StopContext): Promise<SessionProgram | NoProgram> {
    const folder = vscode.workspace.workspaceFolders?.[0];
    const path = programOfSession(
      session.configuration,
      vscode.workspace.getConfiguration('buddyHeap.live').get('program'),
      folder?.uri.fsPath,
    );
    if (!path)
      return {
        what: 'no-program',
        problem: `"${session.name}": no program file to read debug info from (set buddyHeap.live.program to its ELF)`,
      };
    try {
      const loaded = await this.programs.load(programUri(path.path, folder?.uri));
      const bias = await findLoadBias(channel, loaded, path.path, stop);
      if ('problem' in bias) return { what: 'no-bias', problem: `"${session.name}": ${path.path}: ${bias.problem}` };
      return { path, loaded, bias: bias.bias, how: bias.how };
    } catch (error) {
      return {
        what: 'program-error',
        problem: `"${session.name}": cannot read ${path.path} (from ${path.from}): ${error instanceof Error ? error.message : String(error)}`,
      };
    }
  }
}
