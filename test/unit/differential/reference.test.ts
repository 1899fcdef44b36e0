// Differential check: the same random traces through the Rust reference (the seed itself) and
// through `buddy-heap replay --json`, comparing every address, error and dump. Skips with a notice
// when the reference cannot be built here (no ../shared or no rustc).
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { Random } from '../../support/random';
import { generateTrace, randomLayout, type TraceLayout } from '../../support/randomTrace';
import { REPO_ROOT, buildReference, buildWideReference, runReference } from '../../support/reference';
import { minBlockSize, validateLayout } from '../../../core/layout';

const CLI = path.join(REPO_ROOT, 'dist', 'cli.js');

interface Section {
  layout: TraceLayout;
  trace: string[];
  reference: string[];
  /**
   * The reference's verdict on the heap line when it differs from ours: its pointers are always
   * 8 bytes, so a ptr=4 layout with 4..7-byte minimum blocks is MinBlockTooSmall there. Only the
   * heap line is compared then (the reference has no heap to run the rest on).
   */
  referenceVerdict?: string;
}

/** Seeds differ from day to day (the UTC date), so each run covers new traces; printed to rerun. */
function dailySeed(): number {
  const given = process.env.BUDDY_HEAP_DIFF_SEED;
  if (given !== undefined && given !== '') return Number(given);
  return Number(new Date().toISOString().slice(0, 10).replace(/-/g, ''));
}

/** Our JSON answer in the reference's spelling, offsets relative to the heap base. */
function asReferenceAnswer(json: string, base: bigint): string {
  const result = JSON.parse(json) as { op: string; ok?: boolean; error?: string; address?: string; freeLists?: string[][] };
  if (result.error !== undefined) return `err ${result.error}`;
  switch (result.op) {
    case 'alloc':
      return `ok ${BigInt(result.address!) - base}`;
    case 'dump':
      return `lists ${result.freeLists!.map(list => list.map(a => String(BigInt(a) - base)).join(',')).join('|')}`;
    default:
      return 'ok';
  }
}

function verdict(layout: TraceLayout, pointerWidth: 4 | 8): string {
  const error = validateLayout({ ...layout, pointerWidth, endianness: 'little' });
  return error === undefined ? 'ok' : `err ${error}`;
}

function section(random: Random, layout: TraceLayout, ops: number): Section {
  const generated = generateTrace(random, layout, { ops, dumpRate: 0.3, freeRate: 0.4 });
  const referenceVerdict = verdict(layout, 8);
  return { layout, ...generated, ...(referenceVerdict !== verdict(layout, layout.pointerWidth) ? { referenceVerdict } : {}) };
}

function sections(seed: number, count: number, pointerWidth: 4 | 8, ops: number): Section[] {
  const random = new Random(seed);
  return Array.from({ length: count }, () => section(random, randomLayout(random, pointerWidth), ops));
}

interface Compared {
  operations: number;
  heapsAccepted: number;
  widthOnly: number;
}

function compare(all: Section[], binary: string, label: string): Compared {
  const ours = spawnSync(process.execPath, [CLI, 'replay', '-', '--json'], {
    input: all.flatMap(s => s.trace).join('\n') + '\n',
    encoding: 'utf8',
    maxBuffer: 1 << 30,
  });
  assert.equal(ours.status, 0, `buddy-heap replay failed: ${ours.stderr}`);
  const answers = ours.stdout.split('\n').filter(line => line !== '');
  assert.equal(
    answers.length,
    all.reduce((n, s) => n + s.reference.length, 0),
    'one answer per operation',
  );
  let at = 0;
  let heapsAccepted = 0;
  let widthOnly = 0;
  for (const [index, section] of all.entries()) {
    const where = `${label}, trace ${index} (${section.trace[0]})`;
    // One reference process per heap, compared before the next: after a divergence the driver's
    // frees are undefined behaviour for the seed (it may loop), so stop at the first difference.
    const run = runReference(binary, section.reference, 10_000);
    if (section.referenceVerdict !== undefined) {
      widthOnly++;
      assert.equal(run.answers[0], section.referenceVerdict, `${where}: the reference's verdict with 8-byte pointers`);
      assert.equal(
        asReferenceAnswer(answers[at]!, section.layout.base),
        verdict(section.layout, section.layout.pointerWidth),
        `${where}: our verdict with 4-byte pointers`,
      );
      at += section.reference.length;
      continue;
    }
    for (let i = 0; i < section.reference.length; i++, at++) {
      const mine = asReferenceAnswer(answers[at]!, section.layout.base);
      if (i === 0 && mine === 'ok') heapsAccepted++;
      const theirs = run.answers[i] ?? `(no answer: the reference ${run.problem ?? 'stopped early'})`;
      if (mine !== theirs) {
        assert.fail(`${where}, operation ${i} "${section.trace[i]}":\n  reference: ${theirs}\n  ours:      ${mine}`);
      }
    }
  }
  return { operations: at, heapsAccepted, widthOnly };
}

/** Heaps with N beyond the model's typed-array bookkeeping (2^22 leaves), up to N = 32. */
function hugeSections(random: Random): Section[] {
  const out: Section[] = [];
  for (let orders = 21; orders <= 32; orders++) {
    // Minimum blocks of at least 8 bytes (the reference's pointers), heaps of at most 2^34 bytes.
    const size = 1n << BigInt(random.int(orders + 2, Math.max(orders + 2, 34)));
    const base = random.chance(0.3) ? 0xffff_8000_0000_0000n : 0x2000_0000n + BigInt(random.int(0, 1 << 12)) * 4096n;
    out.push(section(random, { size, orders, base, pointerWidth: 8 }, 300));
  }
  for (let orders = 24; orders <= 29; orders++) {
    // 32-bit targets: the heap must end by 2^32, so N = 29 with 8-byte blocks fills the top half.
    const size = 1n << BigInt(random.int(orders + 2, 31));
    out.push(section(random, { size, orders, base: (1n << 32n) - size, pointerWidth: 4 }, 300));
  }
  return out;
}

describe('differential: buddy-heap replay vs the Rust reference', function () {
  this.timeout(300_000);
  let binary = '';
  const seed = dailySeed();

  before(function () {
    const built = buildReference();
    if (!built.ok) {
      console.log(`      NOTICE: differential test skipped: ${built.reason}`);
      this.skip();
    }
    binary = built.binary;
    console.log(`      differential seed ${seed} (the UTC date; rerun a failure with BUDDY_HEAP_DIFF_SEED=${seed})`);
  });

  it('agrees on 300 random 8-byte-pointer traces (N 1..20, sizes 0 to beyond the heap)', () => {
    const { operations, heapsAccepted } = compare(sections(0xb0dd1, 300, 8, 300), binary, 'seed 0xb0dd1');
    assert.ok(heapsAccepted > 200, `most layouts must be valid to exercise the allocator (${heapsAccepted} were)`);
    assert.ok(operations > 100_000);
  });

  it('agrees on 150 random 4-byte-pointer traces in addresses and list order', () => {
    const { heapsAccepted } = compare(sections(0x5eed4, 150, 4, 300), binary, 'seed 0x5eed4');
    assert.ok(heapsAccepted > 100);
  });

  it("knows the reference's 8-byte pointers: 4-byte layouts with 4..7-byte minimum blocks", () => {
    // Seed 4 draws such layouts: valid or BadSizeAlignment for us, MinBlockTooSmall there.
    const all = sections(4, 150, 4, 100);
    const odd = all.filter(s => s.referenceVerdict !== undefined && minBlockSize(s.layout) > 4n);
    assert.ok(odd.length > 0, 'the seed must draw a layout with a 5..7-byte minimum block');
    const { widthOnly } = compare(all, binary, 'seed 4');
    assert.ok(widthOnly > odd.length, 'and 4-byte minimum blocks too');
  });

  it(`agrees on today's random traces of both widths (seed ${seed})`, () => {
    const wide = compare(sections(seed, 150, 8, 300), binary, `seed ${seed}`);
    const narrow = compare(sections(seed + 1, 150, 4, 300), binary, `seed ${seed + 1}`);
    assert.ok(wide.heapsAccepted > 90 && narrow.heapsAccepted > 60, 'most layouts must be valid to exercise the allocator');
  });

  it('agrees on long traces that fill and drain small heaps', () => {
    const random = new Random(77);
    const all: Section[] = [];
    for (const orders of [1, 2, 3, 5, 8, 12]) {
      const layout: TraceLayout = { size: BigInt(8 << orders) * 4n, orders, base: 0x1000n, pointerWidth: 8 };
      all.push({ layout, ...generateTrace(random, layout, { ops: 3000, dumpRate: 0.5, freeRate: 0.45 }) });
    }
    compare(all, binary, 'long traces');
  });

  it('agrees on huge-N heaps (N 21..32, up to 2^34 bytes, both widths) with the reference built for N up to 32', function () {
    const wide = buildWideReference();
    if (!wide.ok) {
      console.log(`      NOTICE: huge-N differential skipped: ${wide.reason}`);
      this.skip();
    }
    // The reference reserves the whole heap in host memory (untouched pages cost nothing).
    const probe = runReference(wide.binary, ['heap 32 17179869184', 'end']);
    if (probe.answers[0] !== 'ok') {
      console.log(
        `      NOTICE: huge-N differential skipped: the reference cannot reserve a 16 GiB heap here (${probe.problem ?? probe.answers[0]})`,
      );
      this.skip();
    }
    const all = hugeSections(new Random(seed));
    const { heapsAccepted } = compare(all, wide.binary, `huge N, seed ${seed}`);
    assert.equal(heapsAccepted, all.length, 'every huge layout is valid');
  });
});
