// Where the simulated heap's layout comes from, first match wins:
//  1. `buddyHeap.layoutFile` (a *.buddyheap.json path, relative to the workspace),
//  2. any `buddyHeap.layout.*` setting the user set,
//  3. the first *.buddyheap.json in the workspace,
//  4. the default: 64 KiB at 0x20000000, 12 orders, 4-byte pointers, little endian.
import * as vscode from 'vscode';
import type { HeapLayout } from '../../core/layout';
import { DEFAULT_LAYOUT, LayoutInput, LayoutResult, layoutToJson, parseLayout } from './layoutInput';

export const LAYOUT_FIELDS = ['base', 'size', 'orders', 'pointerWidth', 'endianness'] as const;

export interface LoadedLayout {
  readonly result: LayoutResult;
  /** Where it came from, for messages ("settings", a file path, "default"). */
  readonly origin: string;
}

export async function loadLayout(): Promise<LoadedLayout> {
  const config = vscode.workspace.getConfiguration('buddyHeap');
  const file = config.get<string>('layoutFile', '').trim();
  if (file) {
    const uri = resolveInWorkspace(file);
    return uri ? readLayoutFile(uri) : { result: { ok: false, error: 'NoWorkspace', message: `buddyHeap.layoutFile "${file}" is relative but no folder is open.` }, origin: file };
  }
  const userSet = LAYOUT_FIELDS.filter(field => {
    const inspected = config.inspect(`layout.${field}`);
    return inspected?.globalValue !== undefined || inspected?.workspaceValue !== undefined || inspected?.workspaceFolderValue !== undefined;
  });
  if (userSet.length > 0) {
    const input: Record<string, unknown> = {};
    for (const field of LAYOUT_FIELDS) input[field] = config.get(`layout.${field}`);
    return { result: parseLayout(input), origin: 'settings (buddyHeap.layout.*)' };
  }
  if (vscode.workspace.workspaceFolders?.length) {
    const found = await vscode.workspace.findFiles('**/*.buddyheap.json', '**/node_modules/**', 1);
    if (found[0]) return readLayoutFile(found[0]);
  }
  return { result: { ok: true, layout: DEFAULT_LAYOUT }, origin: 'default' };
}

export async function readLayoutFile(uri: vscode.Uri): Promise<LoadedLayout> {
  const origin = vscode.workspace.asRelativePath(uri);
  try {
    const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
    const json: unknown = JSON.parse(text);
    if (typeof json !== 'object' || json === null || Array.isArray(json)) {
      return { result: { ok: false, error: 'BadFile', message: `${origin} must hold a JSON object with base, size, orders, pointerWidth and endianness.` }, origin };
    }
    return { result: parseLayout(json as LayoutInput), origin };
  } catch (error) {
    return { result: { ok: false, error: 'BadFile', message: `Cannot read ${origin}: ${error instanceof Error ? error.message : String(error)}` }, origin };
  }
}

/** Saves a layout to the settings (the workspace's when a folder is open, else the user's). */
export async function saveLayoutSettings(layout: HeapLayout): Promise<void> {
  const config = vscode.workspace.getConfiguration('buddyHeap');
  const target = vscode.workspace.workspaceFolders?.length ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
  const json = layoutToJson(layout);
  for (const field of LAYOUT_FIELDS) await config.update(`layout.${field}`, json[field], target);
}

function resolveInWorkspace(path: string): vscode.Uri | undefined {
  if (path.startsWith('/') || /^[a-zA-Z]:[\\/]/.test(path)) return vscode.Uri.file(path);
  const folder = vscode.workspace.workspaceFolders?.[0];
  return folder && vscode.Uri.joinPath(folder.uri, path);
}
