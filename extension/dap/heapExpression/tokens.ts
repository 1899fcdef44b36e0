// Splits a heap expression into tokens. Operators are lexed whole, longest first, so `+=`, `++`,
// `|=` or `->` are never mistaken for `+` or `-` followed by something harmless, and the parser can
// refuse them by name. Lexing stops at the first character no heap expression has (a quote, a
// backtick, `$`, anything outside printable ASCII): that character becomes a `bad` token, and
// nothing after it is interpreted at all, so a quote can never make a checker skip text.

export type TokenKind = 'name' | 'number' | 'punct' | 'bad' | 'end';

export interface Token {
  readonly kind: TokenKind;
  /** The token's text as written (for `end`, empty). */
  readonly text: string;
  /** Index of its first character in the expression as given (columns are this plus one). */
  readonly start: number;
}

/** Every operator C, C++ and Rust debuggers know, longest first: the parser accepts only a few. */
const PUNCTUATORS = [
  '<<=',
  '>>=',
  '...',
  '->',
  '::',
  '++',
  '--',
  '+=',
  '-=',
  '*=',
  '/=',
  '%=',
  '&=',
  '|=',
  '^=',
  '==',
  '!=',
  '<=',
  '>=',
  '&&',
  '||',
  '<<',
  '>>',
  ...'+-*/%&|^!~<>=()[]{}.,;:?@#\\',
];

const NAME = /[A-Za-z_][A-Za-z0-9_]*/y;
/** Integers only (decimal, hex, C's octal), with C's u/l suffixes: `.0.1` is two tuple fields, never a float. */
const NUMBER = /(?:0[xX][0-9A-Fa-f]+|[0-9]+)(?:[uU](?:ll|LL|l|L)?|(?:ll|LL|l|L)[uU]?)?/y;
const NAME_CHAR = /[A-Za-z0-9_]/;
const SPACE = /[ \t\r\n]/;

/** The tokens of `text`, ending with one `end` token, or with the first `bad` token (then nothing after it). */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (SPACE.test(c)) {
      i++;
      continue;
    }
    NAME.lastIndex = i;
    const name = NAME.exec(text);
    if (name) {
      tokens.push({ kind: 'name', text: name[0], start: i });
      i += name[0].length;
      continue;
    }
    NUMBER.lastIndex = i;
    const number = NUMBER.exec(text);
    if (number) {
      const end = i + number[0].length;
      // `1abc` or `0x10usize`: not a number this grammar knows, refused as written.
      if (end < text.length && NAME_CHAR.test(text[end]!)) {
        let stop = end;
        while (stop < text.length && NAME_CHAR.test(text[stop]!)) stop++;
        tokens.push({ kind: 'bad', text: text.slice(i, stop), start: i });
        return tokens;
      }
      tokens.push({ kind: 'number', text: number[0], start: i });
      i = end;
      continue;
    }
    const punct = PUNCTUATORS.find(p => text.startsWith(p, i));
    if (punct) {
      tokens.push({ kind: 'punct', text: punct, start: i });
      i += punct.length;
      continue;
    }
    // `$pc`, `$1`, `$_siginfo`: named whole so the refusal says which one.
    if (c === '$') {
      let stop = i + 1;
      while (stop < text.length && NAME_CHAR.test(text[stop]!)) stop++;
      tokens.push({ kind: 'bad', text: text.slice(i, stop), start: i });
      return tokens;
    }
    tokens.push({ kind: 'bad', text: String.fromCodePoint(text.codePointAt(i)!), start: i });
    return tokens;
  }
  tokens.push({ kind: 'end', text: '', start: text.length });
  return tokens;
}
