// The panel's HTML: one nonce'd module script (the bundled webview), no inline styles, and a CSP
// that allows nothing else. lit's styles go through adoptedStyleSheets, which `style-src` permits.
import { randomBytes } from 'node:crypto';

/** A fresh, unguessable nonce per page load (never Math.random: see vscode#128557). */
export function makeNonce(): string {
  return randomBytes(18).toString('base64');
}

export interface PageOptions {
  /** The webview's `cspSource` (where local resources come from). */
  readonly cspSource: string;
  /** URI of dist/webview.js as the webview can load it. */
  readonly scriptUri: string;
  readonly nonce: string;
  readonly title: string;
}

export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  return [
    `default-src 'none'`,
    `img-src ${cspSource} data:`,
    `style-src ${cspSource}`,
    `font-src ${cspSource}`,
    `script-src 'nonce-${nonce}'`,
  ].join('; ');
}

export function panelHtml(options: PageOptions): string {
  const { cspSource, scriptUri, nonce, title } = options;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${contentSecurityPolicy(cspSource, nonce)}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>${escapeHtml(title)}</title>
</head>
<body>
<heap-app></heap-app>
<script type="module" nonce="${nonce}" src="${scriptUri}"></script>
</body>
</html>`;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, c => `&#${c.charCodeAt(0)};`);
}
