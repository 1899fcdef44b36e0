// Heap expressions never run target code: lock-like calls become the fields holding the locked
// value, unwraps are dropped, other calls are refused with a fix.
import * as assert from 'node:assert/strict';
import { readOnlyExpression } from '../../../../extension/dap/heapExpression/readOnlyExpression';

function candidates(expression: string): readonly string[] {
  const result = readOnlyExpression(expression);
  assert.ok(result.ok, `"${expression}" was refused: ${result.ok ? '' : result.reason}`);
  return result.candidates;
}

function refused(expression: string): string {
  const result = readOnlyExpression(expression);
  assert.equal(result.ok, false, `"${expression}" was accepted: ${JSON.stringify(result)}`);
  return result.ok ? '' : result.reason;
}

describe('read-only heap expressions: lock calls', () => {
  it('leaves expressions without calls as they are', () => {
    for (const e of ['HEAP', 'my_crate::ALLOCATOR.inner.value', '*heap_ptr', 'heaps[2]', '*(struct heap *)0x20001000', 'ALLOCATOR.0']) {
      assert.deepEqual(readOnlyExpression(e), { ok: true, candidates: [e], rewritten: false });
    }
  });

  it('does not take sizeof or a parenthesised cast for a call', () => {
    assert.deepEqual(candidates('*(Heap *)(sizeof(Heap) + 0x20000000)'), ['*(Heap *)(sizeof(Heap) + 0x20000000)']);
  });

  it("replaces lock() by the lock's data field (spin and std Mutex first, then RefCell's value)", () => {
    assert.deepEqual(candidates('HEAP.lock()'), ['HEAP.data.value', 'HEAP.value.value', 'HEAP.inner.data.value', 'HEAP.inner.value']);
    assert.deepEqual(candidates('ALLOCATOR.inner.lock().unwrap()').slice(0, 2), [
      'ALLOCATOR.inner.data.value',
      'ALLOCATOR.inner.value.value',
    ]);
    const result = readOnlyExpression('HEAP.lock()');
    assert.ok(result.ok && result.rewritten, 'a rewrite is reported as one');
  });

  it("reads lock().data as the guard's pointer to the value, then as a field of the value", () => {
    assert.deepEqual(candidates('ALLOCATOR.0.lock().data'), [
      'ALLOCATOR.0.data.value',
      'ALLOCATOR.0.value.value',
      'ALLOCATOR.0.inner.data.value',
      'ALLOCATOR.0.inner.value',
      'ALLOCATOR.0.data.value.data',
      'ALLOCATOR.0.value.value.data',
      'ALLOCATOR.0.inner.data.value.data',
      'ALLOCATOR.0.inner.value.data',
    ]);
  });

  it('handles RefCell borrows, UnsafeCell get and fields after the call', () => {
    assert.deepEqual(candidates('STATE.heap.borrow_mut().inner'), ['STATE.heap.value.value.inner']);
    assert.deepEqual(candidates('CELL.get()'), ['CELL.value']);
  });

  it('keeps the number of expressions tried small', () => {
    assert.ok(candidates('A.lock().data.b.lock().data.c.lock()').length <= 8);
  });

  it('refuses other calls, naming the call and the fix', () => {
    const reason = refused('get_heap()');
    assert.match(reason, /"get_heap\(\)" calls get_heap\(\) on the target/);
    assert.match(reason, /never changes target memory/);
    assert.match(reason, /address and field offsets/);
    assert.match(refused('HEAP.lock(1)'), /calls lock\(1\) .*lock with arguments is not a lock/);
    assert.match(refused('heap->get()'), /calls get\(\)/);
    assert.match(refused('ALLOC.lock().heap()'), /calls heap\(\)/);
    assert.match(refused('f(HEAP'), /unclosed "\(" after f/);
  });

  it('refuses string literals, so no parenthesis or quote inside one is ever read or skipped', () => {
    // Earlier a checker skipped the literal to ignore its parentheses; a mis-skipped quote hid a call.
    assert.match(refused('HEAPS["a(b)"]'), /refused at """ \(column 7\): string and character literals/);
  });
});
