// The panel page: a strict CSP with a fresh crypto nonce, one module script, no inline styles.
import * as assert from 'node:assert/strict';
import { contentSecurityPolicy, makeNonce, panelHtml } from '../../../extension/panel/html';

describe('panel html', () => {
  it('nonces are fresh and long', () => {
    const nonces = new Set(Array.from({ length: 100 }, makeNonce));
    assert.equal(nonces.size, 100);
    for (const n of nonces) assert.ok(n.length >= 24);
  });

  it('allows scripts only by nonce and styles only from the webview source', () => {
    const csp = contentSecurityPolicy('https://x.vscode-cdn.net', 'abc');
    assert.match(csp, /default-src 'none'/);
    assert.match(csp, /script-src 'nonce-abc'/);
    assert.match(csp, /style-src https:\/\/x\.vscode-cdn\.net(;|$)/);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval|\*/);
  });

  it('loads the bundle with the nonce and nothing remote', () => {
    const page = panelHtml({
      cspSource: 'vscode-resource:',
      scriptUri: 'vscode-resource:/ext/dist/webview.js',
      codiconsUri: 'vscode-resource:/ext/dist/codicon.css',
      nonce: 'N1',
      title: 'Buddy <Heap>',
    });
    assert.match(page, /<link rel="stylesheet" id="vscode-codicon-stylesheet" href="vscode-resource:\/ext\/dist\/codicon.css" nonce="N1">/);
    assert.match(page, /<heap-app><\/heap-app>/, 'no translations in English');
    assert.match(page, /<script type="module" nonce="N1" src="vscode-resource:\/ext\/dist\/webview.js"><\/script>/);
    assert.match(page, /<title>Buddy &#60;Heap&#62;<\/title>/);
    assert.doesNotMatch(page, /style=|<style|https?:\/\//);
  });

  it('hands a translation bundle to the webview as an escaped data attribute', () => {
    const page = panelHtml({
      cspSource: 'vscode-resource:',
      scriptUri: 'x.js',
      codiconsUri: 'x.css',
      nonce: 'N1',
      title: 'T',
      l10nBundle: { 'Free lists': 'Listes "libres" <x>' },
      language: 'fr',
    });
    assert.match(page, /<html lang="fr">/);
    const attribute = /<heap-app data-l10n="([^"]*)">/.exec(page);
    assert.ok(attribute, 'the bundle is on <heap-app>');
    const decoded = attribute[1]!.replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code)));
    assert.deepEqual(JSON.parse(decoded), { 'Free lists': 'Listes "libres" <x>' });
  });
});
