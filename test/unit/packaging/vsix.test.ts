// The .vsix holds only what the extension needs: the three bundles, the manifest, README,
// CHANGELOG, LICENSE and media; never sources, tests, node_modules or the tools cache.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { REPO_ROOT } from '../../support/reference';

/** Entry names from a zip's central directory (a .vsix is a zip). */
function zipEntries(zip: Buffer): string[] {
  const eocd = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  assert.ok(eocd >= 0, 'not a zip: no end-of-central-directory record');
  const count = zip.readUInt16LE(eocd + 10);
  let at = zip.readUInt32LE(eocd + 16);
  const names: string[] = [];
  for (let i = 0; i < count; i++) {
    assert.equal(zip.readUInt32LE(at), 0x02014b50, 'central directory entry signature');
    const nameLength = zip.readUInt16LE(at + 28);
    const extra = zip.readUInt16LE(at + 30);
    const comment = zip.readUInt16LE(at + 32);
    names.push(zip.toString('utf8', at + 46, at + 46 + nameLength));
    at += 46 + nameLength + extra + comment;
  }
  return names.sort();
}

describe('packaging (.vsix)', function () {
  this.timeout(180_000);

  it('contains only the bundles, manifest, docs and media, and stays under 2 MB', () => {
    for (const bundle of ['extension.js', 'webview.js', 'cli.js', 'cli/replay.js', 'cli/all.js']) {
      assert.ok(fs.existsSync(path.join(REPO_ROOT, 'dist', bundle)), `dist/${bundle} must be built first (npm test builds it)`);
    }
    const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'buddy-vsix-')), 'test.vsix');
    const vsce = path.join(REPO_ROOT, 'node_modules', '@vscode', 'vsce', 'vsce');
    const run = spawnSync(
      process.execPath,
      [vsce, 'package', '--no-dependencies', '--no-rewrite-relative-links', '--allow-missing-repository', '--out', out],
      { cwd: REPO_ROOT, encoding: 'utf8' },
    );
    assert.equal(run.status, 0, `vsce package failed:\n${run.stdout}\n${run.stderr}`);
    const zip = fs.readFileSync(out);
    const entries = zipEntries(zip);
    console.log(
      `      .vsix: ${(zip.length / 1024).toFixed(1)} KiB, ${entries.length} entries:\n${entries.map(e => `        ${e}`).join('\n')}`,
    );
    assert.ok(zip.length < 2 * 1024 * 1024, `the .vsix is ${zip.length} bytes`);
    const allowed =
      /^(extension\.vsixmanifest|\[Content_Types\]\.xml|extension\/(package\.json|package\.nls\.json|l10n\/bundle\.l10n\.json|readme\.md|changelog\.md|LICENSE\.txt|dist\/((extension|webview|cli|cli\/replay|cli\/all)\.js|codicon\.(css|ttf))|media\/[^/]+))$/;
    for (const entry of entries) assert.match(entry, allowed, `unexpected file in the .vsix: ${entry}`);
    for (const needed of [
      'extension/package.json',
      'extension/readme.md',
      'extension/LICENSE.txt',
      'extension/changelog.md',
      'extension/dist/extension.js',
      'extension/dist/webview.js',
      'extension/dist/cli.js',
      'extension/dist/cli/replay.js',
      'extension/dist/cli/all.js',
      'extension/dist/codicon.css',
      'extension/dist/codicon.ttf',
      'extension/package.nls.json',
      'extension/l10n/bundle.l10n.json',
    ]) {
      assert.ok(entries.includes(needed), `${needed} is missing from the .vsix`);
    }
    fs.rmSync(path.dirname(out), { recursive: true, force: true });
  });
});
