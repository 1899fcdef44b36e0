// The allow-list grammar of heap expressions. Everything a heap's name needs, nothing else:
//
//   expr     := castAs (('+' | '-') castAs)*
//   castAs   := unary ('as' rustType)*
//   unary    := '*' unary | '&' unary | 'sizeof' ('(' type ')' | unary) | '(' cType ')' unary | postfix
//   postfix  := integer | primary ('.' name | '.' digits | '->' name | '[' integer ']' | '.' lockCall '(' ')')*
//   primary  := name ('::' name)* | integer | '(' expr ')'
//   cType    := keywords* path generic? '*'*     (a cast needs a '*' or a C type keyword)
//   rustType := ('*const' | '*mut')* path generic?
//   generic  := '<' (integer | type) '>'
//
// Paths take no generic arguments (a Rust static cannot be generic, C has none); only type names
// in casts do, with one argument (Heap<N>). Indexes are constants, so the heap cannot move with a
// variable. Assignments, ++/--, commas, calls, literals, `$` names and every other operator are
// refused with the token and its column (refusal.ts). A cast type must end in '*' or start with a
// C type keyword, so `(foo)(x)` — a call when foo is a function — is never read as a cast.
import * as l10n from '@vscode/l10n';
import { isRewritableCall } from './lockCalls';
import { type Refusal, MAX_DEPTH, MAX_EXPRESSION_LENGTH } from './refusal';
import type { Expr, NumberLiteral, TypeName } from './syntax';
import { type Token, tokenize } from './tokens';

export type Parsed = { readonly ok: true; readonly expr: Expr } | { readonly ok: false; readonly refusal: Refusal };

/** Keywords that start a C type name (and so make a parenthesised name a cast). */
const C_TYPE_KEYWORDS = new Set([
  'struct',
  'union',
  'enum',
  'const',
  'volatile',
  'unsigned',
  'signed',
  'char',
  'short',
  'int',
  'long',
  'float',
  'double',
  'void',
  '_Bool',
  'bool',
]);
const TAGS = new Set(['struct', 'union', 'enum']);
const QUALIFIERS = new Set(['const', 'volatile']);
/** Names that are operators here, never part of a path. */
const RESERVED = new Set(['sizeof', 'as']);

/** Thrown inside the parser, caught once at the top: the first refusal ends the parse. */
class Refused {
  constructor(readonly refusal: Refusal) {}
}

class Parser {
  private pos = 0;
  private depth = 0;

  /** A private copy: closeGeneric splits a `>>` in place, and backtracking restores the copy. */
  private tokens: Token[];

  constructor(
    private readonly source: string,
    tokens: readonly Token[],
  ) {
    this.tokens = [...tokens];
  }

  parseAll(): Expr {
    const expr = this.expression();
    if (this.peek().kind !== 'end') this.refuse(this.peek(), l10n.t('an operator (+ or -) or the end'));
    return expr;
  }

  private peek(offset = 0): Token {
    return this.tokens[Math.min(this.pos + offset, this.tokens.length - 1)]!;
  }

  private next(): Token {
    const token = this.peek();
    if (token.kind !== 'end' && token.kind !== 'bad') this.pos++;
    return token;
  }

  private is(text: string, offset = 0): boolean {
    const token = this.peek(offset);
    return token.kind === 'punct' && token.text === text;
  }

  private isName(text?: string, offset = 0): boolean {
    const token = this.peek(offset);
    return token.kind === 'name' && (text === undefined || token.text === text);
  }

  private refuse(token: Token, expected?: string): never {
    const leading = token.start === this.tokens[0]!.start;
    const where = { column: token.start + 1, leading, ...(expected ? { expected } : {}) };
    if (token.kind === 'end') throw new Refused({ kind: 'token', token: '(end)', ...where });
    let shown = token.text;
    // `-exec …`: name the whole command word, as the user wrote it.
    const following = this.tokens[this.tokens.indexOf(token) + 1];
    if (leading && token.text === '-' && following?.kind === 'name' && following.start === token.start + 1) shown = `-${following.text}`;
    throw new Refused({ kind: 'token', token: shown, ...where });
  }

  private expect(text: string, what: string): void {
    if (!this.is(text)) this.refuse(this.peek(), what);
    this.next();
  }

  private enter(token: Token): void {
    if (++this.depth > MAX_DEPTH) throw new Refused({ kind: 'tooDeep', column: token.start + 1 });
  }

  private expression(): Expr {
    let left = this.castAs();
    while (this.is('+') || this.is('-')) {
      const op = this.next().text as '+' | '-';
      left = { kind: 'binary', op, left, right: this.castAs() };
    }
    return left;
  }

  private castAs(): Expr {
    let operand = this.unary();
    while (this.isName('as')) {
      this.next();
      operand = { kind: 'as', operand, type: this.rustType() };
    }
    return operand;
  }

  private unary(): Expr {
    const token = this.peek();
    this.enter(token);
    try {
      if (this.is('*')) {
        this.next();
        return { kind: 'deref', operand: this.unary() };
      }
      if (this.is('&')) {
        this.next();
        return { kind: 'addressOf', operand: this.unary() };
      }
      if (this.isName('sizeof')) {
        this.next();
        if (this.is('(')) {
          const type = this.tryParenthesisedType(false);
          if (type) return { kind: 'sizeof', operand: type };
        }
        return { kind: 'sizeof', operand: this.unary() };
      }
      if (this.is('(')) {
        const type = this.tryParenthesisedType(true);
        if (type) return { kind: 'cast', type, operand: this.unary() };
      }
      return this.postfix();
    } finally {
      this.depth--;
    }
  }

  /** `( type )` at the cursor, consumed, or undefined with the cursor unmoved. A cast's type must be unmistakably a type. */
  private tryParenthesisedType(forCast: boolean): TypeName | undefined {
    const saved = this.pos;
    const savedTokens = [...this.tokens];
    this.next();
    const type = this.cType();
    if (type && this.is(')') && (!forCast || type.stars > 0 || type.keywords.some(k => !QUALIFIERS.has(k)))) {
      this.next();
      return type;
    }
    this.pos = saved;
    this.tokens = savedTokens;
    return undefined;
  }

  /** A C type name at the cursor, or undefined (cursor then somewhere inside: the caller restores it). */
  private cType(): TypeName | undefined {
    const keywords: string[] = [];
    while (this.isName() && C_TYPE_KEYWORDS.has(this.peek().text)) keywords.push(this.next().text);
    const builtin = keywords.some(k => !QUALIFIERS.has(k) && !TAGS.has(k));
    let path: string[] = [];
    let generic: TypeName | NumberLiteral | undefined;
    if (!builtin) {
      const parsed = this.typePath();
      if (!parsed) return undefined;
      ({ path, generic } = parsed);
    }
    let stars = 0;
    while (this.is('*')) {
      this.next();
      stars++;
    }
    return { keywords, path, ...(generic ? { generic } : {}), stars, rustPointers: [] };
  }

  private rustType(): TypeName {
    const rustPointers: ('*const' | '*mut')[] = [];
    while (this.is('*') && (this.isName('const', 1) || this.isName('mut', 1))) {
      this.next();
      rustPointers.push(this.next().text === 'const' ? '*const' : '*mut');
    }
    const parsed = this.typePath();
    if (!parsed) this.refuse(this.peek(), l10n.t('a type name after "as" (e.g. *mut my_crate::Heap<16>)'));
    return { keywords: [], path: parsed.path, ...(parsed.generic ? { generic: parsed.generic } : {}), stars: 0, rustPointers };
  }

  /** `a::b::T` with at most one generic argument at its end; undefined when no name is at the cursor. */
  private typePath(): { path: string[]; generic?: TypeName | NumberLiteral } | undefined {
    if (!this.isName() || RESERVED.has(this.peek().text)) return undefined;
    const path = [this.next().text];
    while (this.is('::') && this.isName(undefined, 1) && !RESERVED.has(this.peek(1).text)) {
      this.next();
      path.push(this.next().text);
    }
    if (!this.is('<')) return { path };
    this.next();
    let generic: TypeName | NumberLiteral | undefined;
    if (this.peek().kind === 'number') generic = { kind: 'number', text: this.next().text };
    else {
      const token = this.peek();
      this.enter(token);
      try {
        generic = this.is('*') ? this.rustType() : this.cType();
      } finally {
        this.depth--;
      }
    }
    if (!generic) return undefined;
    if (!this.closeGeneric()) return undefined;
    return { path, generic };
  }

  /** Consumes one `>`, splitting `>>` (`Locked<Heap<12>>`). */
  private closeGeneric(): boolean {
    if (this.is('>')) {
      this.next();
      return true;
    }
    if (this.is('>>')) {
      const token = this.peek();
      // The first `>` closes this argument; the second stays for the enclosing one.
      this.tokens[this.pos] = { kind: 'punct', text: '>', start: token.start + 1 };
      return true;
    }
    return false;
  }

  private postfix(): Expr {
    const first = this.peek();
    let expr = this.primary();
    // No member or index of a literal: `1.5` is a float to the debugger, never field 5 of 1.
    if (expr.kind === 'number') return expr;
    for (;;) {
      if (this.is('.')) {
        this.next();
        const member = this.peek();
        if (member.kind === 'number' && /^[0-9]+$/.test(member.text)) {
          this.next();
          expr = { kind: 'field', base: expr, name: member.text, arrow: false };
        } else if (member.kind === 'name' && !RESERVED.has(member.text)) {
          this.next();
          if (this.is('(')) expr = { kind: 'methodCall', base: expr, name: this.call(member.text, true) };
          else expr = { kind: 'field', base: expr, name: member.text, arrow: false };
        } else this.refuse(member, l10n.t('a field name or tuple index after "."'));
      } else if (this.is('->')) {
        this.next();
        const member = this.peek();
        if (member.kind !== 'name' || RESERVED.has(member.text)) this.refuse(member, l10n.t('a field name after "->"'));
        this.next();
        if (this.is('(')) this.call(member.text, false);
        expr = { kind: 'field', base: expr, name: member.text, arrow: true };
      } else if (this.is('[')) {
        this.next();
        const index = this.peek();
        if (index.kind !== 'number') this.refuse(index, l10n.t('a constant integer index (e.g. [3])'));
        this.next();
        this.expect(']', '"]" after a constant index');
        expr = { kind: 'index', base: expr, index: { kind: 'number', text: index.text } };
      } else if (this.is('(')) {
        this.call(this.source.slice(first.start, this.peek().start).trim(), false);
      } else return expr;
    }
  }

  /**
   * A call at the cursor (`(`): refused, unless it is a method the lock rewrite replaces by fields
   * (then consumed and its name returned).
   */
  private call(callee: string, method: boolean): string {
    const open = this.peek();
    let depth = 0;
    let close = this.pos;
    for (; ; close++) {
      const token = this.tokens[close]!;
      if (token.kind === 'bad') this.refuse(token);
      if (token.kind === 'end') throw new Refused({ kind: 'unclosed', callee, column: open.start + 1 });
      if (token.kind !== 'punct') continue;
      if (token.text === '(') depth++;
      else if (token.text === ')' && --depth === 0) break;
    }
    const hasArguments = close > this.pos + 1;
    if (method && isRewritableCall(callee, hasArguments)) {
      this.pos = close + 1;
      return callee;
    }
    const args = this.source.slice(open.start + 1, this.tokens[close]!.start).trim();
    throw new Refused({
      kind: 'call',
      callee,
      args,
      column: open.start + 1,
      lockWithArgs: method && isRewritableCall(callee, false) && hasArguments,
    });
  }

  private primary(): Expr {
    const token = this.peek();
    if (token.kind === 'number') {
      this.next();
      return { kind: 'number', text: token.text };
    }
    if (token.kind === 'name' && !RESERVED.has(token.text)) {
      const segments = [this.next().text];
      while (this.is('::')) {
        this.next();
        const segment = this.peek();
        if (segment.kind !== 'name' || RESERVED.has(segment.text)) this.refuse(segment, l10n.t('a name after "::"'));
        segments.push(this.next().text);
      }
      return { kind: 'path', segments };
    }
    if (this.is('(')) {
      this.next();
      const inner = this.expression();
      this.expect(')', '")"');
      return { kind: 'paren', inner };
    }
    return this.refuse(token, l10n.t('a name, an integer, "(", "*" or "&"'));
  }
}

/** The parsed form of a heap expression, or why it is refused. */
export function parseHeapExpression(text: string): Parsed {
  if (text.length > MAX_EXPRESSION_LENGTH) return { ok: false, refusal: { kind: 'tooLong', length: text.length } };
  try {
    return { ok: true, expr: new Parser(text, tokenize(text)).parseAll() };
  } catch (error) {
    if (error instanceof Refused) return { ok: false, refusal: error.refusal };
    throw error;
  }
}
