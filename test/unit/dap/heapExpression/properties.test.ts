// Property tests of the heap expression grammar (fast-check): random text and random mutations of
// valid expressions (dangerous tokens inserted, characters deleted or replaced). Whatever is
// accepted, its printed spellings — what evaluate is sent — must pass a checker written here
// independently of the parser (a character and substring scan, no grammar): no assignment,
// increment, comma, call, literal, `$` name or command prefix. Printing is a fixed point.
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { readOnlyExpression } from '../../../../extension/dap/heapExpression/readOnlyExpression';

/** The only characters a printed heap expression may have. No `=`, `,`, quote, `$`, backtick, `;`, `{`… */
const PRINTED_CHARACTERS = /^[A-Za-z0-9_ .:\-><*&()[\]+]*$/;
/** Words a `(…)` group may end with and still be a cast, not a callee: a pointer or a C type keyword. */
const CAST_END = /(?:\*|\b(?:char|short|int|long|float|double|void|_Bool|bool|signed|unsigned))\s*$/;

/** Why `text` (sent to the debugger) could have a side effect, or undefined when it cannot. */
function sideEffect(text: string): string | undefined {
  if (!PRINTED_CHARACTERS.test(text)) return `a character outside ${PRINTED_CHARACTERS.source}`;
  if (/\+\+|--/.test(text)) return 'an increment or decrement';
  if (/^\s*[->]/.test(text)) return 'a debugger-command prefix';
  let depth = 0;
  const opens: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '(') {
      const before = text.slice(0, i).trimEnd();
      // A call is a callee — a name, a number, an index or a parenthesised group — right before "(".
      if (/[A-Za-z0-9_]$/.test(before) && !/(?:^|[^A-Za-z0-9_])sizeof$/.test(before)) return `a call at ${i}`;
      if (before.endsWith(']')) return `a call at ${i}`;
      if (before.endsWith(')')) {
        const group = text.slice(opens.at(-1) ?? 0, before.length - 1);
        if (!CAST_END.test(group)) return `a call at ${i}`;
      }
      depth++;
    } else if (c === ')') {
      depth--;
      if (depth < 0) return 'an unbalanced ")"';
      opens.push(text.lastIndexOf('(', i));
    }
  }
  return depth === 0 ? undefined : 'an unbalanced "("';
}

/** Call `sideEffect`'s own cases, so the checker itself is known to catch what it must. */
describe('the independent side-effect checker', () => {
  it('catches every construct it looks for and passes plain heap names', () => {
    for (const bad of [
      'x = 9',
      'x == 1',
      'a, b',
      'x++',
      '--x',
      'f()',
      '(*fp)()',
      '(foo)()',
      'fp[0](1)',
      "'a'",
      '$pc',
      '`cmd`',
      '-exec x',
      '> x',
      'a;b',
      'f (x)',
      '(a))',
    ])
      assert.ok(sideEffect(bad) !== undefined, bad);
    for (const good of [
      'HEAP',
      'a::b.c->d[3].0',
      '*(struct heap *)(sizeof(Heap) + 0x20000000)',
      '(unsigned long)(x)',
      '& &x',
      'x as *mut Heap<12>',
    ])
      assert.equal(sideEffect(good), undefined, good);
  });
});

const KEYWORDS = new Set([
  'sizeof',
  'as',
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
  'mut',
]);
const nameArb = fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,5}$/).filter(n => !KEYWORDS.has(n));
const numberArb = fc.oneof(
  fc.nat(0xffff).map(String),
  fc.nat().map(n => `0x${n.toString(16)}`),
);
const pathArb = fc.array(nameArb, { minLength: 1, maxLength: 3 }).map(s => s.join('::'));
const genericArb = fc.oneof(
  fc.constant(''),
  numberArb.map(n => `<${n}>`),
  pathArb.map(p => `<${p}>`),
);
/** C cast types as print() spells them. */
const cTypeArb = fc.oneof(
  fc
    .tuple(fc.constantFrom('', 'struct ', 'const ', 'const volatile '), pathArb, genericArb, fc.integer({ min: 1, max: 2 }))
    .map(([keywords, path, generic, stars]) => `${keywords}${path}${generic} ${'*'.repeat(stars)}`),
  fc.constantFrom('unsigned char *', 'unsigned long', 'int **'),
);

/** Valid heap expressions in their printed spelling. */
const { expr: validArb } = fc.letrec<{ expr: string; castAs: string; unary: string; postfix: string }>(tie => ({
  expr: fc.oneof(
    { weight: 4, arbitrary: tie('castAs') },
    { weight: 1, arbitrary: fc.tuple(tie('castAs'), fc.constantFrom('+', '-'), tie('castAs')).map(([a, op, b]) => `${a} ${op} ${b}`) },
  ),
  castAs: fc.oneof(
    { weight: 5, arbitrary: tie('unary') },
    {
      weight: 1,
      arbitrary: fc.tuple(tie('unary'), fc.constantFrom('*mut ', '*const ', ''), pathArb).map(([u, p, t]) => `${u} as ${p}${t}`),
    },
  ),
  unary: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    { weight: 6, arbitrary: tie('postfix') },
    { weight: 1, arbitrary: tie('unary').map(u => `*${u}`) },
    { weight: 1, arbitrary: tie('unary').map(u => (u.startsWith('&') ? `& ${u}` : `&${u}`)) },
    { weight: 1, arbitrary: fc.tuple(cTypeArb, tie('unary')).map(([t, u]) => `(${t})${u}`) },
    { weight: 1, arbitrary: cTypeArb.map(t => `sizeof(${t})`) },
  ),
  postfix: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    { weight: 1, arbitrary: numberArb },
    {
      weight: 4,
      arbitrary: fc
        .tuple(
          fc.oneof({ weight: 4, arbitrary: pathArb }, { weight: 1, arbitrary: tie('expr').map(e => `(${e})`) }),
          fc.array(
            fc.oneof(
              nameArb.map(n => `.${n}`),
              fc.nat(9).map(n => `.${n}`),
              nameArb.map(n => `->${n}`),
              numberArb.map(n => `[${n}]`),
            ),
            {
              maxLength: 4,
            },
          ),
        )
        .map(([primary, suffixes]) => primary + suffixes.join('')),
    },
  ),
}));

const DANGEROUS = [
  '=',
  '+=',
  '|=',
  '<<=',
  '++',
  '--',
  ',',
  '()',
  '(1)',
  '(HEAP)',
  '(',
  ')',
  '$pc',
  '$',
  "'",
  '"',
  "'\\''",
  '`',
  '-exec ',
  '> ',
  '>',
  ';',
  '\n',
  '\\',
  '==',
  ' ',
  '.lock()',
  '.unwrap()',
  '.foo()',
  '.lock(1)',
  '->',
  '*',
  '&',
  '&&',
  '::',
  '[0]',
  '[',
  ']',
  '0x1',
  '(Heap *)',
  'sizeof',
  ' as ',
  '<',
  '>>',
  '{',
  '}',
  '@',
  '?',
  ':',
  '.',
  '0',
  'x',
  '\u0000',
  '\u00e9',
];

type Mutation = { readonly op: 'insert' | 'delete' | 'replace'; readonly at: number; readonly length: number; readonly token: string };
const mutationArb: fc.Arbitrary<Mutation> = fc.record({
  op: fc.constantFrom('insert', 'delete', 'replace'),
  at: fc.double({ min: 0, max: 1, noNaN: true }),
  length: fc.integer({ min: 1, max: 4 }),
  token: fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...DANGEROUS) }, { weight: 1, arbitrary: fc.string({ maxLength: 3 }) }),
});

function mutate(text: string, mutations: readonly Mutation[]): string {
  return mutations.reduce((t, m) => {
    const at = Math.floor(m.at * t.length);
    if (m.op === 'insert') return t.slice(0, at) + m.token + t.slice(at);
    if (m.op === 'delete') return t.slice(0, at) + t.slice(at + m.length);
    return t.slice(0, at) + m.token + t.slice(at + m.length);
  }, text);
}

/** What every input must satisfy: refused, or accepted with side-effect-free, self-printing spellings. */
function assertSafe(input: string): void {
  const result = readOnlyExpression(input);
  if (!result.ok) {
    assert.ok(result.reason.length > 0 && result.reason.length < 2000, `a short reason for ${JSON.stringify(input)}`);
    return;
  }
  assert.ok(result.candidates.length >= 1 && result.candidates.length <= 8);
  // Nothing the parser skipped can hide here: an accepted input has none of these anywhere.
  assert.ok(!/[=,;$'"`{}@#\\?!~^|%/]|\+\+|--/.test(input), `accepted ${JSON.stringify(input)}`);
  for (const candidate of result.candidates) {
    const why = sideEffect(candidate);
    assert.equal(why, undefined, `${JSON.stringify(input)} was accepted as ${JSON.stringify(candidate)}, which has ${why}`);
    // parse(print(parse(x))) = parse(x): the printed spelling is accepted as itself.
    assert.deepEqual(readOnlyExpression(candidate), { ok: true, candidates: [candidate], rewritten: false }, JSON.stringify(input));
  }
}

describe('heap expression grammar properties', () => {
  it('accepts every valid expression and prints it as written', () => {
    fc.assert(
      fc.property(validArb, expression => {
        assert.deepEqual(readOnlyExpression(expression), { ok: true, candidates: [expression], rewritten: false });
        assert.equal(sideEffect(expression), undefined, expression);
      }),
      { seed: 0x9e4, numRuns: 1500 },
    );
  });

  it('mutations of valid expressions with dangerous tokens are refused or stay side-effect free', () => {
    fc.assert(
      fc.property(validArb, fc.array(mutationArb, { minLength: 1, maxLength: 3 }), (expression, mutations) => {
        assertSafe(mutate(expression, mutations));
      }),
      { seed: 0xbad9, numRuns: 4000 },
    );
  });

  it('random text is refused or side-effect free, and never throws', () => {
    const characters = fc.constantFrom(...'abHEAP_019x .:-><*&()[]+=,;$\'"`|!~^%/?@#{}\\\n\t\u00e9\u0000');
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: characters, maxLength: 40 }), fc.string({ unit: 'binary', maxLength: 40 })), assertSafe),
      { seed: 0x5eed9, numRuns: 4000 },
    );
  });

  it('lock calls anywhere are rewritten to fields, never printed', () => {
    const lockArb = fc.tuple(
      validArb,
      fc.constantFrom('.lock()', '.lock().unwrap()', '.lock().data', '.borrow_mut()', '.get()', '.try_lock().unwrap()'),
    );
    fc.assert(
      fc.property(lockArb, ([expression, call]) => {
        const input = `(${expression})${call}`;
        const result = readOnlyExpression(input);
        assert.ok(result.ok && result.rewritten, JSON.stringify(input));
        for (const candidate of result.candidates) assert.equal(sideEffect(candidate), undefined, candidate);
        assertSafe(input);
      }),
      { seed: 0x10c, numRuns: 500 },
    );
  });
});
