// Helpers for the panel's extension-host tests: the extension's API, stubbed quick inputs (the
// test answers them), and waiting for what the real webview reports it rendered.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { RenderedMessage } from '../../../core/protocol/messages';
import type { HeapDebugger } from '../../../extension/heapDebugger';
import type { BuddyHeapApi } from '../../../extension/main';

export const EXTENSION_ID = 'buddy-heap.buddy-heap-debugger';

export async function activeApp(): Promise<HeapDebugger> {
  const ext = vscode.extensions.getExtension<BuddyHeapApi>(EXTENSION_ID);
  assert.ok(ext, `${EXTENSION_ID} is not loaded`);
  const api = await ext.activate();
  return api.app;
}

/** Runs a command (as the palette or a keybinding would) and returns its result object. */
export async function run<T = Record<string, unknown>>(
  command: string,
  args?: unknown,
): Promise<T & { ok: boolean; error?: string; message?: string }> {
  return (await vscode.commands.executeCommand(command, ...(args === undefined ? [] : [args]))) as T & {
    ok: boolean;
    error?: string;
    message?: string;
  };
}

type Window = typeof vscode.window;
type Stubbable =
  | 'showInputBox'
  | 'showQuickPick'
  | 'showOpenDialog'
  | 'showSaveDialog'
  | 'showErrorMessage'
  | 'showInformationMessage'
  | 'showWarningMessage';

export interface Recorded {
  inputs: vscode.InputBoxOptions[];
  picks: { items: readonly unknown[]; options: vscode.QuickPickOptions | undefined }[];
  errors: string[];
  infos: string[];
}

/**
 * Replaces the window's prompts for one test: quick inputs answer from `answers` in order (a
 * function gets the items or options and returns the answer), messages are recorded.
 */
export function stubPrompts(
  answers: {
    inputs?: (string | undefined)[];
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- answers pick from strings or QuickPickItems alike
    picks?: ((items: readonly any[]) => unknown)[];
    open?: vscode.Uri[];
    save?: vscode.Uri;
    info?: (message: string, actions: string[]) => string | undefined;
  } = {},
): { recorded: Recorded; restore(): void } {
  const window = vscode.window as { -readonly [K in keyof Window]: Window[K] };
  const saved = new Map<Stubbable, unknown>();
  const recorded: Recorded = { inputs: [], picks: [], errors: [], infos: [] };
  const inputs = [...(answers.inputs ?? [])];
  const picks = [...(answers.picks ?? [])];
  const replace = (name: Stubbable, fn: unknown) => {
    saved.set(name, window[name]);
    (window as Record<string, unknown>)[name] = fn;
  };
  replace('showInputBox', async (options: vscode.InputBoxOptions = {}) => {
    recorded.inputs.push(options);
    const answer = inputs.shift();
    // Check the answer as VS Code would before accepting it (an error blocks Enter).
    if (answer !== undefined && options.validateInput) {
      const problem = await options.validateInput(answer);
      const message =
        typeof problem === 'string' ? problem : problem?.severity === vscode.InputBoxValidationSeverity.Error ? problem.message : undefined;
      if (message) throw new Error(`input "${answer}" was refused: ${message}`);
    }
    return answer;
  });
  replace('showQuickPick', async (items: readonly unknown[] | Thenable<readonly unknown[]>, options?: vscode.QuickPickOptions) => {
    const list = await items;
    recorded.picks.push({ items: list, options });
    const choose = picks.shift();
    return choose ? choose(list) : undefined;
  });
  replace('showOpenDialog', async () => answers.open);
  replace('showSaveDialog', async () => answers.save);
  replace('showErrorMessage', async (message: string) => {
    recorded.errors.push(message);
    return undefined;
  });
  replace('showWarningMessage', async (message: string) => {
    recorded.errors.push(message);
    return undefined;
  });
  replace('showInformationMessage', async (message: string, ...actions: unknown[]) => {
    recorded.infos.push(message);
    return answers.info?.(
      message,
      actions.filter((a): a is string => typeof a === 'string'),
    );
  });
  return {
    recorded,
    restore: () => {
      for (const [name, fn] of saved) (window as Record<string, unknown>)[name] = fn;
    },
  };
}

/** Waits until the webview reports having rendered a state that satisfies `check`. */
export async function rendered(app: HeapDebugger, check: (r: RenderedMessage) => boolean, timeoutMs = 15_000): Promise<RenderedMessage> {
  const panel = app.panel;
  assert.ok(panel, 'the heap panel is open');
  const last = panel.controller.lastRendered;
  if (last && check(last)) return last;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      sub.dispose();
      reject(
        new Error(
          `the webview did not render the expected state in ${timeoutMs} ms (last: ${JSON.stringify(panel.controller.lastRendered)})`,
        ),
      );
    }, timeoutMs);
    const sub = panel.controller.onDidRender(r => {
      if (!check(r)) return;
      clearTimeout(timer);
      sub.dispose();
      resolve(r);
    });
  });
}

export function workspaceUri(...segments: string[]): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the test workspace is open');
  return vscode.Uri.joinPath(folder.uri, ...segments);
}

/** A fresh small heap for a test, without touching the settings. */
export async function useLayout(layout: Record<string, unknown>): Promise<void> {
  const result = await run('buddyHeap.configureLayout', { ...layout, save: false });
  assert.equal(result.ok, true, JSON.stringify(result));
}
