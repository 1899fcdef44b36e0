// The streaming fast path of `replay --json` must print exactly what the generic path prints.
import * as assert from 'node:assert/strict';
import { TraceSyntaxError, parseTrace } from '../../../core/trace/parse';
import { replayTrace } from '../../../core/trace/replay';
import { replayToJsonLines } from '../../../core/trace/streamReplay';
import { Random } from '../../support/random';
import { generateTrace, randomLayout } from '../../support/randomTrace';

function viaStream(text: string): string {
  let out = '';
  const decoder = new TextDecoder();
  replayToJsonLines(text, chunk => { out += decoder.decode(chunk); });
  return out;
}

function viaGeneric(text: string): string {
  return replayTrace(parseTrace(text)).map(r => JSON.stringify(r) + '\n').join('');
}

describe('streaming replay (replay --json fast path)', () => {
  it('prints the same lines as the generic path on random traces of both widths and 64-bit bases', () => {
    const random = new Random(99);
    for (let i = 0; i < 40; i++) {
      const layout = randomLayout(random, i % 2 ? 8 : 4);
      const text = generateTrace(random, layout, { ops: 400, dumpRate: 0.1, freeRate: 0.4 }).trace.join('\n');
      assert.equal(viaStream(text), viaGeneric(text), `trace ${i}`);
    }
  });

  it('sends unusual lines through the general parser with the same results', () => {
    const text = [
      '# comment first', 'alloc 8 8', 'heap 0x10000 orders=12', 'alloc 8 8 owner=net/rx', 'alloc  16 16', 'alloc 0x20 0x20   # tail comment',
      'alloc 123456789012345678901 8', 'alloc 8 3', 'free 0x20000000 8 8', 'free 0x20000000 8 8', 'free 0x1fffffff 8 8', 'free 0xfffffffffffffffff 8 8',
      'free 0x20000040 32 32\r', 'dump', 'heap 0x2000 orders=4 base=0xffff800000000000 ptr=8', 'alloc 100 4', 'free 0xffff800000000000 100 4', 'dump', '',
    ].join('\n');
    assert.equal(viaStream(text), viaGeneric(text));
  });

  it('stops at a malformed line after printing the lines before it', () => {
    let out = '';
    assert.throws(() => replayToJsonLines('heap 256 orders=5\nalloc 8 8\nalloc 8\n', chunk => { out += new TextDecoder().decode(chunk); }), (e: unknown) => e instanceof TraceSyntaxError && e.line === 3);
    assert.equal(out, '{"op":"heap","ok":true}\n{"op":"alloc","ok":true,"address":"0x20000000"}\n', 'the lines before the bad one are out');
    // A large trace flushes in chunks too.
    const many = 'heap 0x100000 orders=16\n' + 'alloc 1 1\n'.repeat(30_000) + 'oops\n';
    out = '';
    assert.throws(() => replayToJsonLines(many, chunk => { out += new TextDecoder().decode(chunk); }), /line 30002/);
    assert.equal(out.split('\n').length - 1, 30_001);
    assert.ok(out.length > 0);
  });
});
