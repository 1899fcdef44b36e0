// The one way a command is registered: a table of handlers, each wrapped so that a bug is never a
// silent command (the user is told, the log gets the stack) and every command returns a result.
import * as vscode from 'vscode';
import type { CommandResult } from './args';

export type CommandHandler = (args?: unknown) => CommandResult | Promise<CommandResult>;

export function registerCommandTable(table: Readonly<Record<string, CommandHandler>>, log: (message: string) => void): vscode.Disposable[] {
  return Object.entries(table).map(([id, handler]) =>
    vscode.commands.registerCommand(id, async (args?: unknown) => {
      try {
        return await handler(args);
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        log(`${id} failed: ${error instanceof Error ? error.stack : message}`);
        void vscode.window.showErrorMessage(vscode.l10n.t('Buddy Heap: {0}', message));
        return { ok: false, error: 'InternalError', message };
      }
    }),
  );
}
