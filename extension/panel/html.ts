// The panel's HTML: one nonce'd module script (the bundled webview), the codicon stylesheet and
// font from dist/ (vscode-elements' icons find the stylesheet by its id), no inline styles, and a
// CSP that allows nothing else. lit's styles go through adoptedStyleSheets, which `style-src` permits.
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
  /** URI of dist/codicon.css (its font, dist/codicon.ttf, loads beside it). */
  readonly codiconsUri: string;
  readonly nonce: string;
  readonly title: string;
  /**
   * The webview's translations (`vscode.l10n.bundle`, undefined in English), handed to
   * `@vscode/l10n` in the webview through a data attribute (no inline script).
   */
  readonly l10nBundle?: Record<string, string> | undefined;
  /** The document language (`vscode.env.language`). */
  readonly language?: string;
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
  const { cspSource, scriptUri, codiconsUri, nonce, title, l10nBundle, language } = options;
  const bundle = l10nBundle ? ` data-l10n="${escapeHtml(JSON.stringify(l10nBundle))}"` : '';
  return `<!DOCTYPE html>
<html lang="${escapeHtml(language ?? 'en')}">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${contentSecurityPolicy(cspSource, nonce)}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" id="vscode-codicon-stylesheet" href="${escapeHtml(codiconsUri)}" nonce="${nonce}">
<title>${escapeHtml(title)}</title>
</head>
<body>
<heap-app${bundle}></heap-app>
<script type="module" nonce="${nonce}" src="${scriptUri}"></script>
</body>
</html>`;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, c => `&#${c.charCodeAt(0)};`);
}
