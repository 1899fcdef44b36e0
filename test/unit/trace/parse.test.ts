import * as assert from 'node:assert/strict';
import { TraceSyntaxError, formatTraceOp, parseTrace } from '../../../core/trace/parse';
import { replayTrace } from '../../../core/trace/replay';

describe('trace format', () => {
  it('parses every operation with defaults, comments and hex', () => {
    const ops = parseTrace(
      '# a heap\nheap 0x100 orders=5\n\nalloc 8 8 owner=net/rx  # rx buffer\nfree 0x20000000 8 8\ndump\nheap 4096 orders=3 base=0xffff800000000000 ptr=8 endian=big',
    );
    assert.deepEqual(
      ops.map(op => op.op),
      ['heap', 'alloc', 'free', 'dump', 'heap'],
    );
    assert.deepEqual(ops[0], { op: 'heap', line: 2, size: 256n, orders: 5, base: 0x2000_0000n, pointerWidth: 4, endianness: 'little' });
    assert.deepEqual(ops[1], { op: 'alloc', line: 4, size: 8n, align: 8n, owner: 'net/rx' });
    assert.equal(ops[4]!.op === 'heap' && ops[4]!.base, 0xffff_8000_0000_0000n);
  });

  it('names the line, its text and what was expected for malformed lines', () => {
    const cases: [string, RegExp][] = [
      ['heap 256', /line 1: "heap 256": expected heap <size> orders=<N>.*missing orders/],
      ['heap 256 orders=40', /orders must be 1 to 32/],
      ['heap 256 orders=4 ptr=2', /ptr must be 4 or 8/],
      ['heap 256 orders=4 color=red', /unexpected "color=red"/],
      ['alloc 8', /missing align/],
      ['alloc eight 8', /size "eight" is not a decimal or 0x hex number/],
      ['free 0x10 8', /missing align/],
      ['dump now', /unexpected "now"/],
      ['malloc 8 8', /unknown operation "malloc"/],
    ];
    for (const [text, expected] of cases) {
      assert.throws(
        () => parseTrace(`# header\n${text}`),
        (e: unknown) => e instanceof TraceSyntaxError && e.line === 2 && expected.test(e.message.replace('line 2', 'line 1')),
        text,
      );
    }
  });

  it('formats operations back into lines that parse to the same operations', () => {
    const text = 'heap 0x10000 orders=12 base=0x20000000 ptr=4 endian=little\nalloc 100 8 owner=task:logger\nfree 0x20000000 100 8\ndump';
    const ops = parseTrace(text);
    assert.equal(ops.map(formatTraceOp).join('\n'), text);
    assert.deepEqual(replayTrace(parseTrace(ops.map(formatTraceOp).join('\n'))), replayTrace(ops));
  });

  it('answers NoHeap after a rejected heap line, like the reference', () => {
    const results = replayTrace(parseTrace('heap 100 orders=3\nalloc 8 8\ndump\nfree 0x20000000 8 8'));
    assert.deepEqual(results, [
      { op: 'heap', ok: false, error: 'BadSizeAlignment' },
      { op: 'alloc', ok: false, error: 'NoHeap' },
      { op: 'dump', ok: false, error: 'NoHeap' },
      { op: 'free', ok: false, error: 'NoHeap' },
    ]);
  });
});
