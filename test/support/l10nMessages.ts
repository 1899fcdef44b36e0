// The messages the extension and the panel pass to `vscode.l10n.t` / `@vscode/l10n`'s `l10n.t`,
// read from the sources: the English bundle (l10n/bundle.l10n.json) must hold exactly these, so a
// translator sees every string and none that is gone. @vscode/l10n-dev is not installed; this reads
// the same calls it would. A message must be a literal (a computed one cannot be translated ahead of
// time), so anything else is reported, not skipped.
//
// Run `npm run l10n` to rewrite the bundle from the sources.
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface FoundMessages {
  readonly messages: Set<string>;
  /** "file:line: why" for every call whose message is not one plain literal. */
  readonly problems: string[];
}

/** Folders whose sources reach the user through the extension host or the panel. */
export const LOCALIZED_ROOTS = ['extension', 'webview'];
export const BUNDLE_PATH = path.join('l10n', 'bundle.l10n.json');

const CALL = /\bl10n\.t\(/g;
const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', '0': '\0' };

/** The string literal starting at `at` (a quote), and where it ends; undefined if it is not one plain literal. */
function readLiteral(source: string, at: number): { value: string; end: number } | undefined {
  const quote = source[at];
  if (quote !== "'" && quote !== '"' && quote !== '`') return undefined;
  let value = '';
  for (let i = at + 1; i < source.length; i++) {
    const c = source[i]!;
    if (c === quote) return { value, end: i + 1 };
    if (c === '\\') {
      const next = source[++i]!;
      value += ESCAPES[next] ?? next;
    } else if (quote === '`' && c === '$' && source[i + 1] === '{') return undefined;
    else if (quote !== '`' && c === '\n') return undefined;
    else value += c;
  }
  return undefined;
}

const lineOf = (source: string, at: number) => source.slice(0, at).split('\n').length;

/** The messages of one source text (`file` only names it in problems). */
export function messagesIn(source: string, file: string, into: FoundMessages = { messages: new Set(), problems: [] }): FoundMessages {
  for (const call of source.matchAll(CALL)) {
    let at = call.index + call[0].length;
    while (/\s/.test(source[at] ?? '')) at++;
    const literal = readLiteral(source, at);
    let after = literal?.end ?? at;
    while (/\s/.test(source[after] ?? '')) after++;
    if (!literal || (source[after] !== ',' && source[after] !== ')')) {
      into.problems.push(`${file}:${lineOf(source, call.index)}: the message is not a plain string literal`);
      continue;
    }
    if (literal.value.trim() === '') into.problems.push(`${file}:${lineOf(source, call.index)}: an empty message`);
    else into.messages.add(literal.value);
  }
  // Another import form would call `t(...)` directly, which this reader (and l10n-dev) would miss.
  for (const m of source.matchAll(/import\s+(?!\*\s+as\s+l10n\b)[^;]*from\s+'@vscode\/l10n'/g))
    into.problems.push(`${file}:${lineOf(source, m.index)}: import @vscode/l10n as "* as l10n" so its calls read l10n.t(...)`);
  return into;
}

/** Every message under the localized roots of the repository at `root`. */
export function repositoryMessages(root: string): FoundMessages {
  const found: FoundMessages = { messages: new Set(), problems: [] };
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(file);
      else if (file.endsWith('.ts') && !file.endsWith('.d.ts')) messagesIn(fs.readFileSync(file, 'utf8'), path.relative(root, file), found);
    }
  };
  for (const dir of LOCALIZED_ROOTS) walk(path.join(root, dir));
  return found;
}

/** The English bundle for these messages: each message is its own key and text, sorted. */
export function bundleText(messages: Iterable<string>): string {
  const sorted = [...messages].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return `${JSON.stringify(Object.fromEntries(sorted.map(m => [m, m])), null, 2)}\n`;
}

if (require.main === module) {
  const root = path.resolve(__dirname, '../../..');
  const found = repositoryMessages(root);
  if (found.problems.length > 0) {
    console.error(found.problems.join('\n'));
    process.exit(1);
  }
  fs.mkdirSync(path.join(root, 'l10n'), { recursive: true });
  fs.writeFileSync(path.join(root, BUNDLE_PATH), bundleText(found.messages));
  console.log(`${BUNDLE_PATH}: ${found.messages.size} messages`);
}
