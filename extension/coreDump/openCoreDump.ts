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

const TITLE = 'Open Core Dump';

export async function openCoreDump(app: HeapDebugger, args?: unknown): Promise<CommandResult> {
  const given = argObject(args);
  const coreUri = await coreArg(given, args);
  if (!coreUri) return given ? fail(app, 'NoWorkspace', 'Relative paths need an open workspace folder.') : CANCELLED;
  const coreName = vscode.workspace.asRelativePath(coreUri);
  let core: CoreFile;
  try {
    core = readCoreDump(await vscode.workspace.fs.readFile(coreUri));
  } catch (error) {
    if (error instanceof CoreDumpError) return fail(app, 'NotACore', `${coreName} is not a usable ELF core file: ${error.message}`);
    if (error instanceof vscode.FileSystemError) return fail(app, 'Unreadable', `Cannot read ${coreName}: ${error.message}`);
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
    return fail(app, 'NoHeapInCore', `${coreName} holds none of the heaps ${programName} declares. ${problems.join('; ')}`);

  const source = new CoreDumpSource({ core: coreName, program: programName, loadBias: inspection.loadBias }, inspection.heaps);
  app.sources.setActive(source);
  app.showPanel();
  const summary = `${coreName}: ${source.heaps.length} heap${source.heaps.length === 1 ? '' : 's'} of ${programName} (${source.heaps.map(h => h.path).join(', ')}); step through the history to see each.`;
  app.log(summary);
  if (unread.length > 0)
    app.notify({ level: 'warning', title: TITLE, message: `Not every heap is in the core: ${problems.join('; ')}`, blocks: [] });
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
  const picked = await vscode.window.showOpenDialog({ title: `${TITLE}: pick an ELF core file`, canSelectMany: false });
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
  const notFound = `The program ${coreName} was dumped from was not found (${search.tried.join('; ')}).`;
  // A command run with arguments never opens a dialog: it says what to pass.
  if (given) return { ok: false, result: fail(app, 'NoProgram', `${notFound} Pass its path as "elf".`) };
  const picked = await vscode.window.showOpenDialog({
    title: `${TITLE}: pick the program ${coreName} was dumped from (its ELF with debug info)`,
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
      `${vscode.workspace.asRelativePath(uri)} cannot be read as the program of ${coreName}: ${result.why}.`,
    ),
  };
}

function fail(app: HeapDebugger, error: string, message: string): CommandResult {
  app.notify({ level: 'error', title: TITLE, message, blocks: [] });
  return { ok: false, error, message };
}
