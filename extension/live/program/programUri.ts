import * as vscode from 'vscode';

/** The program file as a URI: relative paths are the workspace folder's; a remote workspace's scheme is kept. */
export function programUri(path: string, folder: vscode.Uri | undefined): vscode.Uri {
  const absolute = path.startsWith('/') || /^[A-Za-z]:[\\/]/.test(path);
  if (!absolute) return folder ? vscode.Uri.joinPath(folder, path) : vscode.Uri.file(path);
  return folder && folder.scheme !== 'file' ? folder.with({ path: path.replace(/\\/g, '/') }) : vscode.Uri.file(path);
}
