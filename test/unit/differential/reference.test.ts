// Differential check: the same random traces through the Rust reference (the seed itself) and
// through `buddy-heap replay --json`, comparing every address, error and dump. Skips with a notice
// when the reference cannot be built here (no ../shared or no rustc).
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { Random } from '../../support/random';
import { generateTrace, randomLayout, type TraceLayout } from '../../support/randomTrace';
import { REPO_ROOT, buildReference, runReference } from '../../support/reference';
import { minBlockSize } from '../../../core/layout';

const CLI = path.join(REPO_ROOT, 'dist', 'cli.js');

interface Section { layout: TraceLayout; trace: string[]; reference: string[] }

/** Our JSON answer in the reference's spelling, offsets relative to the heap base. */
function asReferenceAnswer(json: string, base: bigint): string {
  const result = JSON.parse(json) as { op: string; ok?: boolean; error?: string; address?: string; freeLists?: string[][] };
  if (result.error !== undefined) return `err ${result.error}`;
  switch (result.op) {
    case 'alloc': return `ok ${BigInt(result.address!) - base}`;
    case 'dump': return `lists ${result.freeLists!.map(list => list.map(a => String(BigInt(a) - base)).join(',')).join('|')}`;
    default: return 'ok';
  }
}

function sections(seed: number, count: number, pointerWidth: 4 | 8, ops: number): Section[] {
  const random = new Random(seed);
  const out: Section[] = [];
  while (out.length < count) {
    const layout = randomLayout(random, pointerWidth);
    // The reference's pointers are 8 bytes: a 4-byte layout with 4-byte minimum blocks is valid
    // for us and MinBlockTooSmall for it. Everything else is independent of the width.
    if (pointerWidth === 4 && minBlockSize(layout) === 4n) continue;
    out.push({ layout, ...generateTrace(random, layout, { ops, dumpRate: 0.3, freeRate: 0.4 }) });
  }
  return out;
}

function compare(all: Section[], binary: string): { operations: number; heapsAccepted: number } {
  const ours = spawnSync(process.execPath, [CLI, 'replay', '-', '--json'], { input: all.flatMap(s => s.trace).join('\n') + '\n', encoding: 'utf8', maxBuffer: 1 << 30 });
  assert.equal(ours.status, 0, `buddy-heap replay failed: ${ours.stderr}`);
  const answers = ours.stdout.split('\n').filter(line => line !== '');
  assert.equal(answers.length, all.reduce((n, s) => n + s.reference.length, 0), 'one answer per operation');
  let at = 0;
  let heapsAccepted = 0;
  for (const [index, section] of all.entries()) {
    // One reference process per heap, compared before the next: after a divergence the driver's
    // frees are undefined behaviour for the seed (it may loop), so stop at the first difference.
    const run = runReference(binary, section.reference, 10_000);
    for (let i = 0; i < section.reference.length; i++, at++) {
      const mine = asReferenceAnswer(answers[at]!, section.layout.base);
      if (i === 0 && mine === 'ok') heapsAccepted++;
      const theirs = run.answers[i] ?? `(no answer: the reference ${run.problem ?? 'stopped early'})`;
      if (mine !== theirs) {
        assert.fail(`trace ${index} (${section.trace[0]}), operation ${i} "${section.trace[i]}":\n  reference: ${theirs}\n  ours:      ${mine}`);
      }
    }
  }
  return { operations: at, heapsAccepted };
}

describe('differential: buddy-heap replay vs the Rust reference', function () {
  this.timeout(300_000);
  let binary = '';

  before(function () {
    const built = buildReference();
    if (!built.ok) {
      console.log(`      NOTICE: differential test skipped: ${built.reason}`);
      this.skip();
    }
    binary = built.binary;
  });

  it('agrees on 300 random 8-byte-pointer traces (N 1..20, sizes 0 to beyond the heap)', () => {
    const { operations, heapsAccepted } = compare(sections(0xb0dd1, 300, 8, 300), binary);
    assert.ok(heapsAccepted > 200, `most layouts must be valid to exercise the allocator (${heapsAccepted} were)`);
    assert.ok(operations > 100_000);
  });

  it('agrees on 150 random 4-byte-pointer traces in addresses and list order', () => {
    const { heapsAccepted } = compare(sections(0x5eed4, 150, 4, 300), binary);
    assert.ok(heapsAccepted > 100);
  });

  it('agrees on long traces that fill and drain small heaps', () => {
    const random = new Random(77);
    const all: Section[] = [];
    for (const orders of [1, 2, 3, 5, 8, 12]) {
      const layout: TraceLayout = { size: BigInt(8 << orders) * 4n, orders, base: 0x1000n, pointerWidth: 8 };
      all.push({ layout, ...generateTrace(random, layout, { ops: 3000, dumpRate: 0.5, freeRate: 0.45 }) });
    }
    compare(all, binary);
  });
});
