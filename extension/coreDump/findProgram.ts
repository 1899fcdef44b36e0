// Finding the program a core was dumped from without asking: the path the core itself names (the
// process's executable), then a file beside the core named like it. A candidate counts only when
// everything the core records about the program agrees with it (programMismatch).
import * as vscode from 'vscode';
import type { CoreFile } from '../../core/elf/coreFile';
import type { ElfFile } from '../../core/elf/elfFile';
import { CoreDumpError } from '../../core/coreDump/coreDumpError';
import { readCoreProgram } from '../../core/coreDump/inspectCoreDump';
import { programCandidates, programMismatch } from '../../core/coreDump/programOfCore';

export interface FoundProgram {
  readonly uri: vscode.Uri;
  readonly elf: ElfFile;
}

export type ProgramSearch =
  | { readonly found: FoundProgram }
  | {
      readonly found: undefined;
      /** What was tried and why each did not fit, for the message when nothing was found. */
      readonly tried: readonly string[];
    };

export async function findProgram(core: CoreFile, coreUri: vscode.Uri): Promise<ProgramSearch> {
  const coreName = coreUri.path.slice(coreUri.path.lastIndexOf('/') + 1);
  const candidates = programCandidates(core, coreName);
  const folder = vscode.Uri.joinPath(coreUri, '..');
  const uris = [
    // The core's own paths are the dumping machine's: only meaningful beside a local core.
    ...(coreUri.scheme === 'file' ? candidates.paths.map(p => vscode.Uri.file(p)) : []),
    ...candidates.besideCore.map(name => vscode.Uri.joinPath(folder, name)),
  ];
  const tried: string[] = [];
  const seen = new Set<string>();
  for (const uri of uris) {
    if (seen.has(uri.toString())) continue;
    seen.add(uri.toString());
    const checked = await checkProgram(core, uri);
    if (checked.ok) return { found: { uri, elf: checked.elf } };
    tried.push(`${vscode.workspace.asRelativePath(uri)}: ${checked.why}`);
  }
  if (uris.length === 0) tried.push('the core names no program (no NT_FILE or NT_PRPSINFO note)');
  return { found: undefined, tried };
}

export type CheckedProgram = { readonly ok: true; readonly elf: ElfFile } | { readonly ok: false; readonly why: string };

/** Reads `uri` as the program of `core`: an ELF program that agrees with what the core records. */
export async function checkProgram(core: CoreFile, uri: vscode.Uri): Promise<CheckedProgram> {
  let bytes: Uint8Array;
  try {
    const stat = await vscode.workspace.fs.stat(uri);
    if (stat.type & vscode.FileType.Directory) return { ok: false, why: 'a folder' };
    bytes = await vscode.workspace.fs.readFile(uri);
  } catch {
    return { ok: false, why: 'not found' };
  }
  let elf: ElfFile;
  try {
    elf = readCoreProgram(bytes);
  } catch (error) {
    if (error instanceof CoreDumpError) return { ok: false, why: error.message };
    throw error;
  }
  const mismatch = programMismatch(core, elf, uri.path);
  return mismatch === undefined ? { ok: true, elf } : { ok: false, why: `not the program this core was dumped from: ${mismatch}` };
}
