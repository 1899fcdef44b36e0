// Random struct fields over random memory: the decoder must never throw, never run away, and
// always return a view whose table tiles the heap it accepted. Memory is either random bytes or
// words that point back into the heap (so walks go somewhere), and may be partly unknown.
import * as assert from 'node:assert/strict';
import * as fc from 'fast-check';
import { DecodeOptions, decodeHeap } from '../../../core/decoder/decode';
import type { DecodedHeapView, HeapSnapshot } from '../../../core/decoder/types';
import type { Endianness, PointerWidth } from '../../../core/layout';
import { ByteImage } from '../../../core/memory/byteImage';
import { Random } from '../../support/random';

/** Far above any normal decode here (a few ms): only a runaway walk or allocation gets near it. */
const EGREGIOUS_MS = 1000;
const IMAGE_BYTES_MAX = 1 << 16;

interface FuzzCase {
  readonly pointerWidth: PointerWidth;
  readonly endianness: Endianness;
  readonly base: bigint;
  readonly heapSize: bigint;
  readonly orders: number;
  readonly heads: readonly bigint[];
  readonly minBlockSize: bigint;
  readonly minBlockSizeLog2: number;
  /** Random bytes, words pointing anywhere in the heap, or words pointing at block starts. */
  readonly fill: 'bytes' | 'pointers' | 'blocks';
  readonly knownFraction: number;
  readonly seed: number;
}

const word = fc.bigInt({ min: 0n, max: (1n << 64n) - 1n });
const powerOfTwo = fc.integer({ min: 0, max: 62 }).map(e => 1n << BigInt(e));

/** Anything at all in every field. */
const wildCase: fc.Arbitrary<FuzzCase> = fc
  .record({
    pointerWidth: fc.constantFrom<PointerWidth>(4, 8),
    endianness: fc.constantFrom<Endianness>('little', 'big'),
    base: fc.oneof(fc.constant(0x2000_0000n), word, fc.constant(0n)),
    heapSize: fc.oneof(
      powerOfTwo,
      fc.integer({ min: 4, max: 16 }).map(e => 1n << BigInt(e)),
      word,
    ),
    orders: fc.oneof(fc.integer({ min: 1, max: 32 }), fc.integer({ min: 0, max: 40 })),
    headPicks: fc.array(fc.oneof(word, fc.nat({ max: IMAGE_BYTES_MAX }), fc.constant(0)), { maxLength: 40 }),
    minBlockSize: word,
    minBlockSizeLog2: fc.integer({ min: 0, max: 70 }),
    fill: fc.constantFrom<'bytes' | 'pointers'>('bytes', 'pointers'),
    knownFraction: fc.constantFrom(1, 0.9, 0),
    seed: fc.integer(),
  })
  .map(({ headPicks, ...rest }) => ({
    ...rest,
    // Small picks are heap offsets, so many heads land inside the heap.
    heads: Array.from({ length: rest.orders }, (_, i) => {
      const pick = headPicks[i] ?? 0;
      return typeof pick === 'bigint' ? pick : pick === 0 ? 0n : rest.base + BigInt(pick);
    }),
  }));

/** A geometry the decoder accepts, heads at block starts and memory full of block pointers: long walks. */
const coherentCase: fc.Arbitrary<FuzzCase> = fc
  .record({
    pointerWidth: fc.constantFrom<PointerWidth>(4, 8),
    endianness: fc.constantFrom<Endianness>('little', 'big'),
    sizeLog2: fc.integer({ min: 3, max: 16 }),
    ordersPick: fc.nat(),
    headPicks: fc.array(fc.tuple(fc.nat(), fc.boolean()), { minLength: 32, maxLength: 32 }),
    knownFraction: fc.constantFrom(1, 1, 0.95),
    seed: fc.integer(),
  })
  .map(({ pointerWidth, endianness, sizeLog2, ordersPick, headPicks, knownFraction, seed }) => {
    const widthLog2 = pointerWidth === 4 ? 2 : 3;
    const log2 = Math.max(sizeLog2, widthLog2);
    const orders = 1 + (ordersPick % Math.min(32, log2 - widthLog2 + 1));
    const minBlockLog2 = log2 - (orders - 1);
    const base = 0x2000_0000n;
    const heads = Array.from({ length: orders }, (_, k) => {
      const [leaf, empty] = headPicks[k]!;
      return empty ? 0n : base + (BigInt(leaf % 2 ** (orders - 1)) << BigInt(minBlockLog2));
    });
    return {
      pointerWidth,
      endianness,
      base,
      heapSize: 1n << BigInt(log2),
      orders,
      heads,
      minBlockSize: 1n << BigInt(minBlockLog2),
      minBlockSizeLog2: minBlockLog2,
      fill: 'blocks' as const,
      knownFraction,
      seed,
    };
  });

const fuzzCase = fc.oneof(wildCase, coherentCase);

/** A tiny entry budget and the map bookkeeping get fuzzed too. */
const optionsArbitrary: fc.Arbitrary<DecodeOptions> = fc
  .record({
    maxFreeBlocks: fc.constantFrom(undefined, 5),
    denseLeafLimit: fc.constantFrom(undefined, 0),
  })
  .map(o => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)));

function imageFor(c: FuzzCase): ByteImage {
  const size = Number(c.heapSize < BigInt(IMAGE_BYTES_MAX) ? c.heapSize : BigInt(IMAGE_BYTES_MAX));
  const image = new ByteImage(size, { pointerWidth: c.pointerWidth, endianness: c.endianness, unknownUntilWritten: c.knownFraction < 1 });
  const random = mulberry32(c.seed);
  const width = c.pointerWidth;
  const minBlock = Number(c.minBlockSize);
  for (let offset = 0; offset + width <= size; offset += width) {
    if (random() >= c.knownFraction && c.knownFraction < 1) continue;
    if (c.fill === 'pointers') {
      const target = random() < 0.1 ? 0n : c.base + BigInt(Math.floor(random() * size) & ~(width - 1));
      image.writeWord(offset, target);
    } else if (c.fill === 'blocks') {
      // A block start of a random order, mostly ahead of this word so chains run long.
      const blockSize = minBlock * 2 ** Math.floor(random() * random() * 4);
      const ahead = random() < 0.9 ? offset : 0;
      const target = ahead + Math.floor(random() * Math.max(1, (size - ahead) / blockSize)) * blockSize;
      image.writeWord(offset, random() < 0.02 || target >= size ? 0n : c.base + BigInt(target - (target % blockSize)));
    } else {
      image.write(
        offset,
        Uint8Array.from({ length: width }, () => Math.floor(random() * 256)),
      );
    }
  }
  return image;
}

function snapshotFor(c: FuzzCase): HeapSnapshot {
  return {
    fields: {
      heapBase: c.base,
      heapSize: c.heapSize,
      freeLists: c.heads,
      minBlockSize: c.minBlockSize,
      minBlockSizeLog2: c.minBlockSizeLog2,
    },
    pointerWidth: c.pointerWidth,
    endianness: c.endianness,
    memory: imageFor(c),
  };
}

function assertWellFormed(view: DecodedHeapView): void {
  let at = 0;
  for (let i = 0; i < view.blocks.count; i++) {
    assert.equal(view.blocks.offsets[i], at);
    at += view.minBlockSize * 2 ** view.blocks.orders[i]!;
  }
  assert.equal(at, view.heapSize);
  const { stats } = view;
  assert.equal(stats.freeBytes + stats.allocatedBytes + stats.unknownBytes, view.heapSize);
  assert.equal(view.freeLists.length, view.orders);
  for (const list of view.freeLists) assert.equal(list.entries.length, list.columns.count);
  for (const finding of view.findings) assert.ok(finding.message.length > 0);
}

describe('decoder fuzz: random struct fields and memory', () => {
  it('never throws, stays bounded and returns a well-formed view', function () {
    this.timeout(120_000);
    let slowest = 0;
    fc.assert(
      fc.property(fuzzCase, optionsArbitrary, (c, options) => {
        const snapshot = snapshotFor(c);
        const started = performance.now();
        const view = decodeHeap(snapshot, options);
        const elapsed = performance.now() - started;
        slowest = Math.max(slowest, elapsed);
        assert.ok(elapsed < EGREGIOUS_MS, `decode took ${elapsed.toFixed(0)} ms`);
        assertWellFormed(view);
      }),
      { seed: 0xf022, numRuns: 300 },
    );
    assert.ok(slowest < EGREGIOUS_MS);
  });

  it('refuses a struct claiming a 2^60-byte heap at once, allocating nothing for it', () => {
    const c: FuzzCase = {
      pointerWidth: 8,
      endianness: 'little',
      base: 0x1000n,
      heapSize: 1n << 60n,
      orders: 32,
      heads: new Array<bigint>(32).fill(0x1000n),
      minBlockSize: 1n << 29n,
      minBlockSizeLog2: 29,
      fill: 'pointers',
      knownFraction: 1,
      seed: 1,
    };
    const view = decodeHeap(snapshotFor(c));
    assert.deepEqual(
      view.findings.map(f => f.kind),
      ['BadHeapSize'],
    );
    assert.equal(view.blocks.count, 0);
  });

  it('decodes the largest accepted heap (2^52 bytes, N = 32) from a 64 KiB read without walking it', () => {
    const c: FuzzCase = {
      pointerWidth: 8,
      endianness: 'little',
      base: 0x10_0000n,
      heapSize: 1n << 52n,
      orders: 32,
      heads: Array.from({ length: 32 }, (_, k) => (k < 4 ? 0x10_0000n + (1n << 21n) * BigInt(k + 1) : 0n)),
      minBlockSize: 1n << 21n,
      minBlockSizeLog2: 21,
      fill: 'pointers',
      knownFraction: 1,
      seed: 2,
    };
    const view = decodeHeap(snapshotFor(c));
    assertWellFormed(view);
    assert.ok(
      view.findings.some(f => f.kind === 'Unreadable'),
      'the list words lie beyond the 64 KiB read',
    );
    assert.ok(view.blocks.count < 200);
  });
});

/** Seeded uniform numbers in [0, 1), the same on every run. */
function mulberry32(seed: number): () => number {
  const random = new Random(seed);
  return () => random.next();
}
