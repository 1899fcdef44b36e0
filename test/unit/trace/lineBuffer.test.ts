// Streaming a trace through the fixed-size line buffer: however the input is cut into reads, and
// however long its comments, the replay prints what the whole-text parser and replayer print, and
// the per-operation reader visits the same operations.
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import type { ByteSource } from '../../../core/trace/lineBuffer';
import { type TraceOp, TraceSyntaxError, parseTrace } from '../../../core/trace/parse';
import { replayTrace } from '../../../core/trace/replay';
import { replayToJsonLines } from '../../../core/trace/streamReplay';
import { forEachTraceOp } from '../../../core/trace/traceLines';
import { Random } from '../../support/random';
import { generateTrace, randomLayout } from '../../support/randomTrace';

/** `bytes` served in reads of random sizes (1 byte up to `max`). */
function choppedSource(bytes: Uint8Array, random: Random, max: number): ByteSource {
  let done = 0;
  return (into, at) => {
    const n = Math.min(into.length - at, bytes.length - done, random.int(1, max));
    into.set(bytes.subarray(done, done + n), at);
    done += n;
    return n;
  };
}

function streamedJson(source: ByteSource): string {
  let out = '';
  const decoder = new TextDecoder();
  replayToJsonLines(source, chunk => (out += decoder.decode(chunk, { stream: true })));
  return out;
}

function genericJson(text: string): string {
  return replayTrace(parseTrace(text))
    .map(r => JSON.stringify(r) + '\n')
    .join('');
}

describe('line buffer (streamed traces)', () => {
  it('gives the same results for any cut into reads and any comment length, over 256 KiB included', () => {
    fc.assert(
      fc.property(fc.integer(), seed => {
        const random = new Random(seed);
        const layout = randomLayout(random, seed % 2 ? 8 : 4);
        const lines = generateTrace(random, layout, { ops: 120, dumpRate: 0.05, freeRate: 0.4 }).trace.map(line => {
          const pick = random.next();
          // Comments of every kind: none, short, straddling a buffer, longer than the whole buffer;
          // multi-byte text and CRLF endings too.
          if (pick < 0.6) return line;
          if (pick < 0.8) return `${line} # ${'ü'.repeat(random.int(0, 40))}`;
          if (pick < 0.95) return `${line}\r`;
          return `${line}  #${'-'.repeat(random.int(100_000, 600_000))}`;
        });
        const text = lines.join('\n') + (random.chance(0.5) ? '\n' : '');
        const bytes = new TextEncoder().encode(text);
        const expected = genericJson(text);
        assert.equal(streamedJson(choppedSource(bytes, random, random.chance(0.3) ? 17 : 300_000)), expected);
        const visited: TraceOp[] = [];
        forEachTraceOp(choppedSource(bytes, random, 70_000), op => visited.push(op));
        assert.deepEqual(visited, parseTrace(text));
      }),
      { seed: 0x11ebe, numRuns: 12 },
    );
  });

  it('stops at an over-long operation on both readers, naming its line; a comment of any length is fine', () => {
    const long = 'x'.repeat(300_000);
    for (const [text, line] of [
      [`heap 256 orders=5\nalloc 8 8 owner=${long}\nalloc 8 8\n`, 2],
      [`heap 256 orders=5\n#${long}\n ${long}`, 3],
      [`heap 256 orders=5\n${' '.repeat(200_000)}#${long}\n`, 2],
    ] as const) {
      const check = (e: unknown) =>
        e instanceof TraceSyntaxError && e.line === line && /expected an operation of at most 131072 bytes/.test(e.message);
      assert.throws(() => streamedJson(choppedSource(new TextEncoder().encode(text), new Random(line), 50_000)), check);
      assert.throws(() => forEachTraceOp(new TextEncoder().encode(text), () => undefined), check);
    }
    // Under the buffer's size the parser applies the same limit to the operation.
    assert.throws(() => parseTrace(`alloc 8 8 ${' '.repeat(140_000)}`), /at most 131072 characters before any # comment/);
  });
});
