// Where the simulated heap's layout comes from, first match wins:
//  1. `buddyHeap.layoutFile` (a *.buddyheap.json path, relative to the workspace) with layout fields,
//  2. any `buddyHeap.layout.*` setting the user set,
//  3. the *.buddyheap.json nearest the workspace root, unless it holds only "heaps",
//  4. the default: 64 KiB at 0x20000000, 12 orders, 4-byte pointers, little endian.
// The same file (1 or 3) also carries live heaps ("heaps"), whatever decided the layout.
import * as vscode from 'vscode';
import type { HeapLayout } from '../../core/layout';
import { type FileHeaps, fileHeapsOf, unreadableFileHeaps } from './layoutFileHeaps';
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
  const chosen = await layoutFileUri();
  if (file) {
    if (!chosen || 'error' in chosen)
      return {
        result: {
          ok: false,
          error: 'NoWorkspace',
          message: chosen?.error ?? vscode.l10n.t('buddyHeap.layoutFile "{0}" cannot be found.', file),
        },
        origin: file,
      };
    const loaded = await readLayoutFile(chosen.uri);
    // A file holding only "heaps" says nothing about the layout: the next sources decide.
    if (loaded) return loaded;
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
  if (!file && chosen && 'uri' in chosen) {
    const loaded = await readLayoutFile(chosen.uri);
    if (loaded) return loaded;
  }
  return { result: { ok: true, layout: DEFAULT_LAYOUT }, origin: 'default' };
}

/**
 * The layout file: `buddyHeap.layoutFile`, else the *.buddyheap.json nearest the workspace root
 * (then by path, so the choice does not depend on search order); undefined when there is none.
 */
export async function layoutFileUri(): Promise<{ uri: vscode.Uri } | { error: string } | undefined> {
  const file = vscode.workspace.getConfiguration('buddyHeap').get<string>('layoutFile', '').trim();
  if (file) {
    const uri = resolveInWorkspace(file);
    return uri ? { uri } : { error: vscode.l10n.t('buddyHeap.layoutFile "{0}" is relative but no folder is open.', file) };
  }
  if (!vscode.workspace.workspaceFolders?.length) return undefined;
  const found = await vscode.workspace.findFiles('**/*.buddyheap.json', '**/node_modules/**', 50);
  const depth = (uri: vscode.Uri) => uri.path.split('/').length;
  const first = [...found].sort((a, b) => depth(a) - depth(b) || a.path.localeCompare(b.path))[0];
  return first && { uri: first };
}

/** The file's JSON, or why it cannot be had. */
export async function readJsonFile(uri: vscode.Uri): Promise<{ json: unknown } | { error: string }> {
  try {
    return { json: JSON.parse(new TextDecoder().decode(await vscode.workspace.fs.readFile(uri))) as unknown };
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error) };
  }
}

/** The layout in a file; undefined when the file is an object without any layout field. */
export async function readLayoutFile(uri: vscode.Uri): Promise<LoadedLayout | undefined> {
  const origin = vscode.workspace.asRelativePath(uri);
  const read = await readJsonFile(uri);
  if ('error' in read)
    return { result: { ok: false, error: 'BadFile', message: vscode.l10n.t('Cannot read {0}: {1}', origin, read.error) }, origin };
  const json = read.json;
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    return {
      result: {
        ok: false,
        error: 'BadFile',
        message: vscode.l10n.t('{0} must hold a JSON object with base, size, orders, pointerWidth and endianness.', origin),
      },
      origin,
    };
  }
  if (!LAYOUT_FIELDS.some(field => field in json) && 'heaps' in json) return undefined;
  return { result: parseLayout(json as LayoutInput), origin };
}

/** Loads the layout file's "heaps" for liveSettings; no layout file: none. Never throws. */
export async function loadFileHeaps(): Promise<FileHeaps | undefined> {
  const chosen = await layoutFileUri();
  // A layout file the user named but that cannot be found is reported by the layout already.
  if (!chosen || 'error' in chosen) return undefined;
  const origin = vscode.workspace.asRelativePath(chosen.uri);
  const read = await readJsonFile(chosen.uri);
  return 'error' in read ? unreadableFileHeaps(origin, read.error) : fileHeapsOf(read.json, origin);
}

/**
 * Saves a layout where it will be read back: into the file `buddyHeap.layoutFile` names when that
 * file holds a layout (it outranks the settings, so saving to them would change nothing), keeping
 * its other keys such as "heaps"; otherwise to the settings. Returns where it went.
 */
export async function saveLayout(layout: HeapLayout): Promise<string> {
  const named = vscode.workspace.getConfiguration('buddyHeap').get<string>('layoutFile', '').trim();
  const chosen = named ? await layoutFileUri() : undefined;
  if (chosen && 'uri' in chosen) {
    const read = await readJsonFile(chosen.uri);
    const json = 'json' in read ? read.json : undefined;
    if (typeof json === 'object' && json !== null && !Array.isArray(json) && LAYOUT_FIELDS.some(field => field in json)) {
      const updated = { ...(json as Record<string, unknown>), ...layoutToJson(layout) };
      await vscode.workspace.fs.writeFile(chosen.uri, new TextEncoder().encode(`${JSON.stringify(updated, null, 2)}\n`));
      return vscode.workspace.asRelativePath(chosen.uri);
    }
  }
  await saveLayoutSettings(layout);
  return 'settings (buddyHeap.layout.*)';
}

/** Saves a layout to the settings (the workspace's when a folder is open, else the user's). */
async function saveLayoutSettings(layout: HeapLayout): Promise<void> {
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
