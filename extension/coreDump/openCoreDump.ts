// Open Core Dump…: an ELF core (and the program it was dumped from, found or asked for) shown in
// the heap panel, every heap with its ownership, as `buddy-heap inspect --core` prints them.
// Takes `{ core, elf? }` (paths; tests, keybindings) or asks with open dialogs.
import * as vscode from 'vscode';
import { CoreDumpError } from '../../core/coreDump/coreDumpError';
import { type CoreDumpInspection, inspectCoreDump, readCoreDump } from '../../core/coreDump/inspectCoreDump';
import type { CoreFile } from '../../core/elf/coreFile';
import { hex } from '../../core/layout';
import { CANCELLED, type CommandResult, argObject } from '../commands/args';
import type { HeapDebugger } from '../heapDebugger';
import { resolvePath } from '../snapshots/snapshotFiles';
import { CoreDumpSource } from './coreDumpSource';
import { type FoundProgram, checkProgram, findProgram } from './findProgram';

/** The notices' title (a function: the translation bundle is loaded when the command runs). */
const title = () => vscode.l10n.t('Open Core Dump');

export async function openCoreDump(app: HeapDebugger, args?: unknown): Promise<CommandResult> {
  const given = argObject(args);
  const coreUri = await coreArg(given, args);
  if (!coreUri) return given ? fail(app, 'NoWorkspace', vscode.l10n.t('Relative paths need an open workspace folder.')) : CANCELLED;
  const coreName = vscode.workspace.asRelativePath(coreUri);
  let core: CoreFile;
  try {
    core = readCoreDump(await vscode.workspace.fs.readFile(coreUri));
  } catch (error) {
    if (error instanceof CoreDumpError)
      return fail(app, 'NotACore', vscode.l10n.t('{0} is not a usable ELF core file: {1}', coreName, error.message));
    if (error instanceof vscode.FileSystemError)
      return fail(app, 'Unreadable', vscode.l10n.t('Cannot read {0}: {1}', coreName, error.message));
    throw error;
  }

  const program = await programFor(app, core, coreUri, coreName, given);
  if (!program.ok) return program.result;
  const programName = vscode.workspace.asRelativePath(program.found.uri);

  let inspection: CoreDumpInspection;
  try {
    inspection = inspectCoreDump(core, program.found.elf, program.found.uri.path, { core: coreName, program: programName });
  } catch (error) {
    if (!(error instanceof CoreDumpError)) throw error;
    return fail(app, error.problem === 'no-heap' ? 'NoHeap' : 'WrongProgram', error.message);
  }
  const unread = inspection.heaps.filter(h => !h.view);
  const problems = unread.map(h => `${h.heap.path} at ${hex(h.address)}: ${h.problem ?? 'not read'}`);
  if (unread.length === inspection.heaps.length)
    return fail(
      app,
      'NoHeapInCore',
      vscode.l10n.t('{0} holds none of the heaps {1} declares. {2}', coreName, programName, problems.join('; ')),
    );

  const source = new CoreDumpSource({ core: coreName, program: programName, loadBias: inspection.loadBias }, inspection.heaps);
  app.sources.setActive(source);
  app.showPanel();
  const summary =
    source.heaps.length === 1
      ? vscode.l10n.t('{0}: 1 heap of {1} ({2}).', coreName, programName, source.heaps[0]!.path)
      : vscode.l10n.t(
          '{0}: {1} heaps of {2} ({3}); step through the history to see each.',
          coreName,
          source.heaps.length,
          programName,
          source.heaps.map(h => h.path).join(', '),
        );
  app.log(summary);
  if (unread.length > 0)
    app.notify({
      level: 'warning',
      title: title(),
      message: vscode.l10n.t('Not every heap is in the core: {0}', problems.join('; ')),
      blocks: [],
    });
  return {
    ok: true,
    core: coreUri.fsPath,
    program: program.found.uri.fsPath,
    programFound: program.how,
    heaps: source.heaps.map(h => ({ path: h.path, address: hex(h.address) })),
    unread: problems,
  };
}

async function coreArg(given: Record<string, unknown> | undefined, args: unknown): Promise<vscode.Uri | undefined> {
  if (given) return typeof given['core'] === 'string' ? resolvePath(given['core']) : undefined;
  if (args instanceof vscode.Uri) return args;
  const picked = await vscode.window.showOpenDialog({ title: vscode.l10n.t('{0}: pick an ELF core file', title()), canSelectMany: false });
  return picked?.[0];
}

type ProgramChoice =
  | { readonly ok: true; readonly found: FoundProgram; readonly how: 'given' | 'found' | 'picked' }
  | { readonly ok: false; readonly result: CommandResult };

/** The program given, else the one the core names or one beside it, else one the user picks. */
async function programFor(
  app: HeapDebugger,
  core: CoreFile,
  coreUri: vscode.Uri,
  coreName: string,
  given: Record<string, unknown> | undefined,
): Promise<ProgramChoice> {
  const named = given && typeof given['elf'] === 'string' ? resolvePath(given['elf']) : undefined;
  if (named) return checked(app, core, named, coreName, 'given');
  const search = await findProgram(core, coreUri);
  if (search.found) return { ok: true, found: search.found, how: 'found' };
  const notFound = vscode.l10n.t('The program {0} was dumped from was not found ({1}).', coreName, search.tried.join('; '));
  // A command run with arguments never opens a dialog: it says what to pass.
  if (given) return { ok: false, result: fail(app, 'NoProgram', vscode.l10n.t('{0} Pass its path as "elf".', notFound)) };
  const picked = await vscode.window.showOpenDialog({
    title: vscode.l10n.t('{0}: pick the program {1} was dumped from (its ELF with debug info)', title(), coreName),
    canSelectMany: false,
    defaultUri: vscode.Uri.joinPath(coreUri, '..'),
  });
  if (!picked?.[0]) {
    app.log(notFound);
    return { ok: false, result: CANCELLED };
  }
  return checked(app, core, picked[0], coreName, 'picked');
}

async function checked(
  app: HeapDebugger,
  core: CoreFile,
  uri: vscode.Uri,
  coreName: string,
  how: 'given' | 'picked',
): Promise<ProgramChoice> {
  const result = await checkProgram(core, uri);
  if (result.ok) return { ok: true, found: { uri, elf: result.elf }, how };
  return {
    ok: false,
    result: fail(
      app,
      'WrongProgram',
      vscode.l10n.t('{0} cannot be read as the program of {1}: {2}.', vscode.workspace.asRelativePath(uri), coreName, result.why),
    ),
  };
}

function fail(app: HeapDebugger, error: string, message: string): CommandResult {
  app.notify({ level: 'error', title: title(), message, blocks: [] });
  return { ok: false, error, message };
}
