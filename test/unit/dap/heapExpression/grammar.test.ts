// The allow-list grammar: every hostile example of issue 9 is refused naming its token and column
// with how to write the heap instead, and every form a heap needs is accepted and printed back.
import * as assert from 'node:assert/strict';
import { readOnlyExpression } from '../../../../extension/dap/heapExpression/readOnlyExpression';
import { MAX_DEPTH, MAX_EXPRESSION_LENGTH } from '../../../../extension/dap/heapExpression/refusal';

function refused(expression: string): string {
  const result = readOnlyExpression(expression);
  assert.equal(result.ok, false, `"${expression}" was accepted: ${JSON.stringify(result)}`);
  return result.ok ? '' : result.reason;
}

function printed(expression: string): string {
  const result = readOnlyExpression(expression);
  assert.ok(result.ok, `"${expression}" was refused: ${result.ok ? '' : result.reason}`);
  assert.equal(result.candidates.length, 1);
  assert.equal(result.rewritten, false);
  return result.candidates[0]!;
}

/** `"token" (column N): why`, as the message says it, with the column computed from the text. */
function assertRefusedAt(expression: string, token: string, why: RegExp, at = expression.indexOf(token)): void {
  const reason = refused(expression);
  assert.ok(at >= 0, `test bug: "${token}" is not in "${expression}"`);
  const escaped = token.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  assert.match(
    reason,
    new RegExp(`^"${expression.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}" is refused at "${escaped}" \\(column ${at + 1}\\): `),
  );
  assert.match(reason, why, reason);
  assert.match(reason, /never changes target memory/);
  assert.match(reason, /Write e\.g\. "HEAP" or "my_crate::ALLOCATOR\.inner\.value", or give the heap's address and field offsets/);
}

describe('heap expression grammar', () => {
  describe('refuses what could write memory or run code, naming the token', () => {
    it("issue 9's assignments and increments", () => {
      assertRefusedAt('x = 9, HEAP', '=', /an assignment writes target memory/);
      assertRefusedAt('HEAP.heap_size = 0', '=', /an assignment writes target memory/);
      assertRefusedAt('HEAP.x++', '++', /an increment or decrement writes target memory/);
      assertRefusedAt('--HEAP.x', '--', /an increment or decrement/);
      assertRefusedAt('HEAP.heap_size += 1', '+=', /an assignment/);
      assertRefusedAt('HEAP.heap_size |= 1', '|=', /an assignment/);
      for (const op of ['-=', '*=', '/=', '%=', '&=', '^=', '<<=', '>>=']) assertRefusedAt(`x ${op} 1`, op, /an assignment/);
      assertRefusedAt('(x = 1)', '=', /an assignment/);
      assertRefusedAt('HEAP[x = 1]', 'x', /a constant integer index/);
    });

    it("issue 9's registers, commas and debugger-command prefixes", () => {
      assertRefusedAt('$pc = 0', '$pc', /registers, convenience variables/);
      assertRefusedAt('HEAP.free_lists[$1]', '$1', /registers, convenience variables/);
      assertRefusedAt('HEAP, x', ',', /a comma evaluates several expressions/);
      assertRefusedAt('-exec set var x=1', '-exec', /a leading "-" makes adapters run the rest as a debugger command/);
      assertRefusedAt('  -exec set var x=1', '-exec', /a leading "-"/);
      assertRefusedAt('`cmd`', '`', /a backtick makes some adapters \(lldb-dap\) run the rest as a debugger command/);
      assertRefusedAt('> foo', '>', /a leading ">" makes cdt-gdb-adapter run the rest as a gdb command/);
      assertRefusedAt('-var-assign x 1', '-var', /a leading "-"/);
    });

    it("issue 9's calls, through pointers, parentheses and indexes, and a quote that hid one", () => {
      const call = (expression: string, what: string, column: number) => {
        const reason = refused(expression);
        assert.ok(
          reason.startsWith(`"${expression}" calls ${what} on the target (the "(" at column ${column}): `),
          `${expression}: ${reason}`,
        );
        assert.match(reason, /never changes target memory/);
      };
      call('(*fp)()', '(*fp)()', 6);
      call('(foo)()', '(foo)()', 6);
      call('fp[0](1)', 'fp[0](1)', 6);
      call('(foo)(HEAP)', '(foo)(HEAP)', 6);
      call('*(Heap *)(foo)(1)', '(foo)(1)', 15);
      call('HEAP->lock()', 'lock()', 11);
      call('my_crate::get()', 'my_crate::get()', 14);
      assertRefusedAt("'\\'' , foo()", "'", /string and character literals/);
      assertRefusedAt('HEAP.expect("poisoned")', '"', /string and character literals/);
    });

    it('every other operator, literal or character no heap name has', () => {
      for (const op of ['==', '!=', '<', '>', '<=', '>=', '&&', '||', '!', '~', '/', '%', '^', '|', '?', ';', '@', '#', '{', '\\'])
        assertRefusedAt(`HEAP ${op} 1`, op, /./, 5);
      assertRefusedAt('HEAP@2', '@', /not part of a heap expression|was expected/);
      assertRefusedAt('{Heap} 0x20001000', '{', /./);
      assertRefusedAt('HEAP + 1.5', '.', /an operator \(\+ or -\) or the end was expected/, 8);
      assertRefusedAt('0x20001000[1]', '[', /an operator/);
      assertRefusedAt('0x20001000usize', '0x20001000usize', /not a plain integer/);
      // Unprintable characters are named by code point, so the message stays plain text.
      assert.match(
        refused('HEAP\u00a0'),
        /^"HEAPU\+00A0" is refused at "U\+00A0" \(column 5\): it is not a character any heap expression has/,
      );
      assert.match(refused('HEAP\u00e9'), /refused at "U\+00E9" \(column 5\)/);
      assert.match(refused('HEAP\u0007'), /refused at "U\+0007" \(column 5\)/);
    });

    it('what is not a constant, a pointer cast or a path', () => {
      assertRefusedAt('heaps[cpu]', 'cpu', /a constant integer index \(e\.g\. \[3\]\) was expected/);
      assertRefusedAt('(uint32_t)HEAP', 'HEAP', /an operator \(\+ or -\) or the end was expected/);
      assert.match(refused('HEAP.'), /^"HEAP\." ends too early \(column 6\): a field name or tuple index after "\." was expected/);
      assertRefusedAt('a::B<T>::C', '<', /./);
      assertRefusedAt('HEAP HEAP2', 'HEAP2', /an operator/);
      assertRefusedAt('-HEAP', '-HEAP', /a leading "-"/);
      assert.match(refused('(HEAP'), /^"\(HEAP" ends too early \(column 6\): "\)" was expected/);
      assert.match(refused(''), /ends too early \(column 1\)/);
      assert.match(refused('f(HEAP'), /^"f\(HEAP" has an unclosed "\(" after f \(column 2\)/);
    });

    it('bounds the length and the nesting', () => {
      assert.match(refused('A'.repeat(MAX_EXPRESSION_LENGTH + 1)), /1001 characters long, more than the 1000/);
      assert.match(
        refused(`${'('.repeat(MAX_DEPTH + 1)}HEAP${')'.repeat(MAX_DEPTH + 1)}`),
        /nests parentheses, casts or \* and & more than 64 deep/,
      );
      assert.match(refused(`${'*'.repeat(MAX_DEPTH + 1)}p`), /more than 64 deep/);
      assert.equal(printed(`${'('.repeat(20)}HEAP${')'.repeat(20)}`), `${'('.repeat(20)}HEAP${')'.repeat(20)}`);
    });
  });

  describe('accepts what a heap needs, printed in one spelling', () => {
    const cases: readonly (readonly [string, string])[] = [
      ['HEAP', 'HEAP'],
      ['  my_crate::ALLOCATOR.inner.value\n', 'my_crate::ALLOCATOR.inner.value'],
      ['a::b::C', 'a::b::C'],
      ['heap_ptr -> next', 'heap_ptr->next'],
      ['HEAP.free_lists[3]', 'HEAP.free_lists[3]'],
      ['heaps[0x2].free_lists[ 11 ]', 'heaps[0x2].free_lists[11]'],
      ['ALLOCATOR.0.1', 'ALLOCATOR.0.1'],
      ['* heap_ptr', '*heap_ptr'],
      ['& HEAP', '&HEAP'],
      ['& &HEAP', '& &HEAP'],
      ['**pp', '**pp'],
      ['(*p).inner', '(*p).inner'],
      ['*(struct heap *)0x20001000', '*(struct heap *)0x20001000'],
      ['*(struct heap*)0x20001000UL', '*(struct heap *)0x20001000UL'],
      ['*(Heap<12>*)0x20001000', '*(Heap<12> *)0x20001000'],
      ['*(my_crate::Heap<18> *)0x20001000', '*(my_crate::Heap<18> *)0x20001000'],
      ['*(Locked<Heap<12>>*)0x20001000', '*(Locked<Heap<12>> *)0x20001000'],
      ['*(const volatile Heap **)pp', '*(const volatile Heap **)pp'],
      ['*(unsigned char *)0x20001000', '*(unsigned char *)0x20001000'],
      ['(unsigned long)&HEAP', '(unsigned long)&HEAP'],
      ['*(0x20001000 as *mut prog::Heap<16>)', '*(0x20001000 as *mut prog::Heap<16>)'],
      ['*(p as *const *mut Heap<16>)', '*(p as *const *mut Heap<16>)'],
      ['*(Heap *)(sizeof(Heap) + 0x20000000)', '*(Heap *)(sizeof(Heap) + 0x20000000)'],
      ['sizeof HEAP', 'sizeof HEAP'],
      ['sizeof(*p)', 'sizeof(*p)'],
      ['(HEAP)', '(HEAP)'],
      ['&HEAP+1-1', '&HEAP + 1 - 1'],
      ['HEAP.lock', 'HEAP.lock'],
    ];
    for (const [written, expected] of cases) {
      it(`${JSON.stringify(written)} as "${expected}"`, () => {
        assert.equal(printed(written), expected);
        assert.equal(printed(expected), expected, 'the printed form prints as itself');
      });
    }
  });

  it('accepts only method calls it rewrites away, so no call is ever printed', () => {
    const result = readOnlyExpression('(*(Locked<Heap<12>> *)0x20001000).lock().unwrap()');
    assert.ok(result.ok && result.rewritten);
    assert.deepEqual(result.candidates.slice(0, 2), [
      '(*(Locked<Heap<12>> *)0x20001000).data.value',
      '(*(Locked<Heap<12>> *)0x20001000).value.value',
    ]);
    assert.ok(result.candidates.every(c => !c.includes('(') || !/\w\s*\(/.test(c.replace(/sizeof\(/g, ''))));
    assert.match(refused('HEAP.lock().heap()'), /calls heap\(\)/);
    assert.match(refused('HEAP.unwrap(1)'), /calls unwrap\(1\)/);
  });
});
