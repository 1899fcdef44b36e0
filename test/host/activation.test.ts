// The extension is installed from the repo, activates, and registers every command its manifest
// declares. The manifest is read at run time, so new commands are covered without editing this.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';

const EXTENSION_ID = 'buddy-heap.buddy-heap-debugger';
/** Repo root: this file runs as out/test/host/activation.test.js. */
const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');

interface DeclaredCommand {
  command: string;
  title?: string;
}

function declaredCommands(manifest: unknown): DeclaredCommand[] {
  const contributes = (manifest as { contributes?: { commands?: unknown } } | undefined)?.contributes;
  const commands = contributes?.commands ?? [];
  assert.ok(Array.isArray(commands), 'contributes.commands must be an array');
  return commands.filter((c): c is DeclaredCommand => typeof (c as { command?: unknown })?.command === 'string');
}

function extension(): vscode.Extension<unknown> {
  const ext = vscode.extensions.getExtension(EXTENSION_ID);
  assert.ok(ext, `${EXTENSION_ID} is not loaded (wrong id, engines.vscode mismatch, or not a development path)`);
  return ext;
}

describe('extension activation', () => {
  it('is loaded from this repo', () => {
    const ext = extension();
    assert.equal(fs.realpathSync(ext.extensionUri.fsPath), fs.realpathSync(REPO_ROOT));
  });

  it('activates', async () => {
    const ext = extension();
    await ext.activate();
    assert.equal(ext.isActive, true);
  });

  it('registers every command declared in package.json', async () => {
    const ext = extension();
    await ext.activate();
    // The manifest on disk, not a copy: what ships is what must be registered.
    const manifest: unknown = JSON.parse(fs.readFileSync(path.join(ext.extensionUri.fsPath, 'package.json'), 'utf8'));
    const declared = declaredCommands(manifest).map(c => c.command);
    const registered = new Set(await vscode.commands.getCommands(true));
    const missing = declared.filter(c => !registered.has(c));
    assert.deepEqual(missing, [], `declared in package.json but not registered after activation: ${missing.join(', ')}`);
  });
});
