// The English translation bundle holds every message the extension host and the panel localize,
// and nothing else: a new vscode.l10n.t / l10n.t message without a bundle entry would never reach
// a translator, and an entry whose message is gone misleads one. `npm run l10n` rewrites it.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { REPO_ROOT } from '../../support/reference';
import { BUNDLE_PATH, bundleText, messagesIn, repositoryMessages } from '../../support/l10nMessages';

describe('localization bundle', () => {
  const found = repositoryMessages(REPO_ROOT);
  const bundle = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, BUNDLE_PATH), 'utf8')) as Record<string, unknown>;

  it('the manifest points VS Code at the l10n folder', () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { l10n?: string };
    assert.equal(manifest.l10n, './l10n');
  });

  it('every localized message is a plain literal', () => {
    assert.deepEqual(found.problems, []);
  });

  it('holds every message of extension/ and webview/, and no stale one', () => {
    const missing = [...found.messages].filter(m => !(m in bundle));
    const stale = Object.keys(bundle).filter(k => !found.messages.has(k));
    assert.deepEqual({ missing, stale }, { missing: [], stale: [] }, 'run `npm run l10n` to rewrite l10n/bundle.l10n.json');
    for (const [key, text] of Object.entries(bundle)) assert.equal(text, key, 'the English bundle maps each message to itself');
  });

  it('is written as `npm run l10n` writes it (sorted, two-space JSON)', () => {
    assert.equal(fs.readFileSync(path.join(REPO_ROOT, BUNDLE_PATH), 'utf8'), bundleText(found.messages));
  });

  it('finds messages from the extension host and the panel', () => {
    assert.ok(found.messages.has('Free lists'), 'a panel heading');
    assert.ok(found.messages.has('No live heap is attached.'), 'an extension host message');
    assert.ok(found.messages.size > 200, `${found.messages.size} messages`);
  });

  describe('the reader', () => {
    it('reads both quote styles, escapes, and template literals without substitutions', () => {
      const source = [
        `vscode.l10n.t('it\\'s {0}', x);`,
        `l10n.t("the heap's \\"name\\"")`,
        'l10n.t(`plain`)',
        `vscode.l10n.t(\n  'wrapped {0} {1}',\n  a,\n  b,\n)`,
      ].join('\n');
      assert.deepEqual([...messagesIn(source, 'a.ts').messages], ["it's {0}", 'the heap\'s "name"', 'plain', 'wrapped {0} {1}']);
    });

    it('reports messages a translator could never see', () => {
      const source = [
        'vscode.l10n.t(message);',
        'l10n.t(`at ${where}`);',
        "l10n.t('a' + b);",
        "l10n.t('');",
        "import { t } from '@vscode/l10n';",
      ].join('\n');
      const { messages, problems } = messagesIn(source, 'b.ts');
      assert.deepEqual([...messages], []);
      assert.deepEqual(
        problems.map(p => p.split(':').slice(0, 2).join(':')),
        ['b.ts:1', 'b.ts:2', 'b.ts:3', 'b.ts:4', 'b.ts:5'],
      );
    });
  });
});
