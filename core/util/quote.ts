// Quotes text from an input file for a message printed to a terminal or log: a trace line, a word
// of it, an owner label. Control and escape characters would otherwise reach the terminal (ESC ]0;
// retitles it, ESC [2J clears it), bidirectional overrides would reorder what is shown, and a
// 10 MB line would make a 10 MB message.

/** C0 and C1 controls, DEL, line/paragraph separators, bidi marks, embeddings, overrides and isolates, BOM. */
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069\ufeff"\\]/g;

const NAMED: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\t': '\\t', '"': '\\"', '\\': '\\\\' };

function escapeOne(c: string): string {
  const named = NAMED[c];
  if (named !== undefined) return named;
  const code = c.charCodeAt(0);
  return code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/** The characters of `text` that could not reach a terminal as they are, escaped (\x1b, \n, \u202e, \", \\). */
export function escapeText(text: string): string {
  return text.replace(UNSAFE, escapeOne);
}

/**
 * `text` in double quotes with unsafe characters escaped; longer than `max` characters, it is cut
 * there and followed by its full length: "alloc 8 8 owner=xxxx…" (10485760 characters). `length`
 * replaces that length's wording when the text is itself already a cut (e.g. "4194304 bytes").
 */
export function quoteText(text: string, max = 80, length?: string): string {
  if (text.length <= max && length === undefined) return `"${escapeText(text)}"`;
  let cut = Math.min(text.length, max);
  // Never split a surrogate pair: half of one is not a character.
  const last = text.charCodeAt(cut - 1);
  if (cut < text.length && last >= 0xd800 && last <= 0xdbff) cut--;
  return `"${escapeText(text.slice(0, cut))}…" (${length ?? `${text.length} characters`})`;
}
