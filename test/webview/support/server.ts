// A local HTTP server for the webview tests: the panel's real HTML (from extension/panel/html.ts,
// with its real CSP) plus a nonce'd script that fakes acquireVsCodeApi and records every message
// the webview posts. Only dist/ and the theme stylesheets are served; nothing else loads.
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as path from 'node:path';
import { makeNonce, panelHtml } from '../../../extension/panel/html';
import { THEMES, ThemeName } from './themes';

const REPO_ROOT = path.resolve(__dirname, '..', '..', '..', '..');

/** Runs in the page before the bundle: a fake VS Code API and a bridge for typed test messages. */
const FAKE_API = `
  window.__posted = [];
  window.__state = JSON.parse(sessionStorage.getItem('vscode-state') || 'null');
  window.__cspViolations = [];
  document.addEventListener('securitypolicyviolation', e => window.__cspViolations.push(e.violatedDirective + ' ' + e.blockedURI));
  window.acquireVsCodeApi = () => ({
    postMessage: m => window.__posted.push(m),
    getState: () => window.__state,
    setState: s => { window.__state = s; sessionStorage.setItem('vscode-state', JSON.stringify(s)); },
  });
  // Test messages arrive with typed arrays encoded; decode and deliver them as VS Code would.
  const decode = v => {
    if (Array.isArray(v)) return v.map(decode);
    if (v && typeof v === 'object') {
      if (v.__typed) {
        const bytes = Uint8Array.from(atob(v.data), c => c.charCodeAt(0));
        return new self[v.__typed](bytes.buffer);
      }
      const out = {};
      for (const k of Object.keys(v)) out[k] = decode(v[k]);
      return out;
    }
    return v;
  };
  window.__deliver = encoded => window.postMessage(decode(encoded), '*');
`;

export interface PageServer {
  readonly origin: string;
  url(theme: ThemeName): string;
  /** The translation bundle the next pages get (as the host passes `vscode.l10n.bundle`), or none. */
  setL10nBundle(bundle: Record<string, string> | undefined): void;
  close(): Promise<void>;
}

export async function startServer(): Promise<PageServer> {
  let l10nBundle: Record<string, string> | undefined;
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const origin = `http://${req.headers.host}`;
    if (url.pathname === '/panel.html') {
      const theme = (url.searchParams.get('theme') ?? 'dark') as ThemeName;
      const nonce = makeNonce();
      let page = panelHtml({
        cspSource: origin,
        scriptUri: `${origin}/dist/webview.js`,
        codiconsUri: `${origin}/dist/codicon.css`,
        nonce,
        title: 'Buddy Heap',
        l10nBundle,
      });
      page = page.replace(
        '</head>',
        `<link rel="stylesheet" href="${origin}/theme/${theme}.css">\n<script nonce="${nonce}">${FAKE_API}</script>\n</head>`,
      );
      page = page.replace(
        '<body>',
        `<body class="${THEMES[theme]?.bodyClass ?? 'vscode-dark'}" data-vscode-theme-kind="${THEMES[theme]?.bodyClass ?? 'vscode-dark'}">`,
      );
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(page);
      return;
    }
    const themeMatch = /^\/theme\/([a-z-]+)\.css$/.exec(url.pathname);
    if (themeMatch && themeMatch[1]! in THEMES) {
      res.writeHead(200, { 'content-type': 'text/css' });
      res.end(THEMES[themeMatch[1] as ThemeName].css);
      return;
    }
    if (url.pathname.startsWith('/dist/') && !url.pathname.includes('..')) {
      const file = path.join(REPO_ROOT, url.pathname);
      if (fs.existsSync(file)) {
        const types: Record<string, string> = { '.js': 'text/javascript', '.css': 'text/css', '.ttf': 'font/ttf' };
        res.writeHead(200, { 'content-type': types[path.extname(file)] ?? 'application/json' });
        res.end(fs.readFileSync(file));
        return;
      }
    }
    res.writeHead(404);
    res.end();
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const origin = `http://127.0.0.1:${port}`;
  return {
    origin,
    url: theme => `${origin}/panel.html?theme=${theme}`,
    setL10nBundle: bundle => {
      l10nBundle = bundle;
    },
    close: () => new Promise(resolve => server.close(() => resolve())),
  };
}
