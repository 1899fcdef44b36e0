// The streaming fast path of `replay --json` must print exactly what the generic path prints.
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { TraceSyntaxError, parseTrace } from '../../../core/trace/parse';
import { replayTrace } from '../../../core/trace/replay';
import { replayToJsonLines } from '../../../core/trace/streamReplay';
import { Random } from '../../support/random';
import { generateTrace, randomLayout } from '../../support/randomTrace';

function viaStream(text: string): string {
  let out = '';
  const decoder = new TextDecoder();
  replayToJsonLines(text, chunk => {
    out += decoder.decode(chunk);
  });
  return out;
}

function viaGeneric(text: string): string {
  return replayTrace(parseTrace(text))
    .map(r => JSON.stringify(r) + '\n')
    .join('');
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
      '# comment first',
      'alloc 8 8',
      'heap 0x10000 orders=12',
      'alloc 8 8 owner=net/rx',
      'alloc  16 16',
      'alloc 0x20 0x20   # tail comment',
      'alloc 18446744073709551615 8',
      'alloc 8 3',
      'free 0x20000000 8 8',
      'free 0x20000000 8 8',
      'free 0x1fffffff 8 8',
      'free 0xffffffffffffffff 8 8',
      'free 0x20000040 32 32\r',
      'dump',
      'heap 0x2000 orders=4 base=0xffff800000000000 ptr=8',
      'alloc 100 4',
      'free 0xffff800000000000 100 4',
      'dump',
      '',
    ].join('\n');
    assert.equal(viaStream(text), viaGeneric(text));
  });

  it('names a freed address exactly as given, below the base or far above, on both paths', () => {
    const cases: [string, string, string[]][] = [
      [
        'heap 256 orders=5',
        '0x20000000..0x20000100',
        ['0x10', '0x1fffffff', '0x20000100', '0xfffffffff0000', '0x1fffffffffffff', '0xffffffffffffffff', '18446744073709551615'],
      ],
      [
        'heap 0x2000 orders=4 base=0xffff800000000000 ptr=8',
        '0xffff800000000000..0xffff800000002000',
        ['0x10', '0x20000000', '0xffff7fffffffffff', '0xffff800000002000', '0xffffffffffffffff'],
      ],
      ['heap 0x1000 orders=3 base=0x1000 ptr=8', '0x1000..0x2000', ['0x0', '0xfff', '0x2000', '0x20000000000000', '9007199254740993']],
    ];
    for (const [heap, range, addresses] of cases) {
      for (const address of addresses) {
        const expected = `{"op":"free","ok":false,"error":"OutOfHeap: 0x${BigInt(address).toString(16)} is outside the heap ${range}"}`;
        for (const line of [`free ${address} 8 8`, `free ${address} 8 8 # with a comment`]) {
          const text = `${heap}\n${line}\n`;
          const generic = viaGeneric(text).split('\n')[1];
          const streamed = viaStream(text).split('\n')[1];
          assert.equal(generic, expected, `generic path: ${heap} / ${line}`);
          assert.equal(streamed, expected, `streaming path: ${heap} / ${line}`);
        }
      }
    }
  });

  it('prints the same on both paths, with and without comments, for random traces full of bad frees', () => {
    fc.assert(
      fc.property(fc.integer(), seed => {
        const random = new Random(seed);
        const layout = randomLayout(random, seed % 2 ? 8 : 4);
        const lines = generateTrace(random, layout, { ops: 150, dumpRate: 0.1, freeRate: 0.4 }).trace;
        const base = layout.base;
        const strays = (): string => {
          const pick = random.int(0, 7);
          const address = [
            random.int(0, 0xffff),
            base - BigInt(random.int(1, 4096)),
            base + layout.size + BigInt(random.int(0, 4096)),
            base + BigInt(random.int(0, Number(layout.size < 1n << 20n ? layout.size : 1n << 20n))),
            (1n << 53n) + BigInt(random.int(0, 99)),
            0xffff_ffff_ffff_ffffn - BigInt(random.int(0, 99)),
            0xffff_ffff_ffff_ffffn,
            base + BigInt(random.int(0, 64)),
          ][pick]!;
          const spelled = random.chance(0.5) ? `0x${BigInt(address).toString(16)}` : String(address);
          return `free ${spelled} ${random.int(0, 300)} ${2 ** random.int(0, 13)}`;
        };
        const mixed: string[] = [];
        for (const line of lines) {
          mixed.push(line);
          if (random.chance(0.2)) mixed.push(strays());
          // A second free of a real block: double free, or merged away into something else.
          if (line.startsWith('free') && random.chance(0.3)) mixed.push(line);
        }
        const plain = mixed.join('\n');
        const commented = mixed.map(line => `${line}  # ${random.int(0, 9)}`).join('\n');
        const expected = viaGeneric(plain);
        assert.equal(viaStream(plain), expected, 'streaming = generic');
        assert.equal(viaStream(commented), expected, 'streaming with comments');
        assert.equal(viaGeneric(commented), expected, 'generic with comments');
      }),
      { seed: 0x2fa57, numRuns: 150 },
    );
  });

  it('refuses any byte in a hex number that the general parser refuses, control bytes included', () => {
    // Every byte value after "0x2000000" in an address: the fast path must accept exactly the
    // lines parseTrace accepts (bytes 16-25 once passed as digits 0-9 there: 16 | 32 is '0').
    for (let byte = 0; byte < 256; byte++) {
      if (byte === 10) continue;
      const line = `free 0x2000000${String.fromCharCode(byte)} 32 8`;
      const text = `heap 0x10000 orders=12\nalloc 32 8\n${line}\n`;
      let generic: string | undefined;
      try {
        generic = viaGeneric(text);
      } catch (error) {
        assert.ok(error instanceof TraceSyntaxError, `byte ${byte}: ${String(error)}`);
      }
      if (generic === undefined)
        assert.throws(() => viaStream(text), TraceSyntaxError, `byte ${byte} must be refused as the parser refuses it`);
      else assert.equal(viaStream(text), generic, `byte ${byte}`);
    }
  });

  it('stops at a malformed line after printing the lines before it', () => {
    let out = '';
    assert.throws(
      () =>
        replayToJsonLines('heap 256 orders=5\nalloc 8 8\nalloc 8\n', chunk => {
          out += new TextDecoder().decode(chunk);
        }),
      (e: unknown) => e instanceof TraceSyntaxError && e.line === 3,
    );
    assert.equal(out, '{"op":"heap","ok":true}\n{"op":"alloc","ok":true,"address":"0x20000000"}\n', 'the lines before the bad one are out');
    // A large trace flushes in chunks too.
    const many = 'heap 0x100000 orders=16\n' + 'alloc 1 1\n'.repeat(30_000) + 'oops\n';
    out = '';
    assert.throws(
      () =>
        replayToJsonLines(many, chunk => {
          out += new TextDecoder().decode(chunk);
        }),
      /line 30002/,
    );
    assert.equal(out.split('\n').length - 1, 30_001);
    assert.ok(out.length > 0);
  });
});
