// Reading snapshot files through vscode.workspace.fs (local, remote and virtual workspaces alike).
import * as vscode from 'vscode';
import type { SnapshotFile } from '../../core/snapshot/format';
import { SnapshotError, readSnapshot } from '../../core/snapshot/readSnapshot';

/** The file dialogs' filters, in the user's language. */
export const snapshotFilters = () => ({ [vscode.l10n.t('Heap snapshots')]: ['buddyheap'], [vscode.l10n.t('All files')]: ['*'] });

export type LoadedSnapshot = { readonly ok: true; readonly file: SnapshotFile } | { readonly ok: false; readonly message: string };

export async function loadSnapshot(uri: vscode.Uri): Promise<LoadedSnapshot> {
  const name = vscode.workspace.asRelativePath(uri);
  let bytes: Uint8Array;
  try {
    bytes = await vscode.workspace.fs.readFile(uri);
  } catch (error) {
    return { ok: false, message: vscode.l10n.t('Cannot read {0}: {1}', name, error instanceof Error ? error.message : String(error)) };
  }
  try {
    return { ok: true, file: readSnapshot(bytes) };
  } catch (error) {
    if (error instanceof SnapshotError)
      return { ok: false, message: vscode.l10n.t('{0} is not a usable heap snapshot: {1}', name, error.message) };
    throw error;
  }
}

export function snapshotName(uri: vscode.Uri): string {
  return vscode.workspace.asRelativePath(uri);
}

/** A path argument: absolute, or relative to the first workspace folder. */
export function resolvePath(path: string): vscode.Uri | undefined {
  if (path.startsWith('/') || /^[a-zA-Z]:[\\/]/.test(path)) return vscode.Uri.file(path);
  const folder = vscode.workspace.workspaceFolders?.[0];
  return folder ? vscode.Uri.joinPath(folder.uri, path) : undefined;
}
