// Properties of the ownership scan on random heaps (model allocations in random layouts of every
// width and byte order) with random pointer graphs written into memory: the scan's owners, chains
// and leak suspects agree with a plain breadth-first search over the pointers the test wrote.
import * as assert from 'node:assert/strict';
import * as fc from 'fast-check';
import { decodeHeap } from '../../../core/decoder/decode';
import { ByteImage } from '../../../core/memory/byteImage';
import type { OwnershipResult } from '../../../core/ownership/ownershipResult';
import { scanOwnership } from '../../../core/ownership/scanOwnership';
import { SegmentedMemory } from '../../../core/ownership/segmentedMemory';
import type { ChainStep, RootRegion } from '../../../core/ownership/types';
import { layoutArbitrary, newHeap, snapshotOf } from '../decoder/heapFixtures';

const STATICS = 0x1000_0000n;
const ROOT_WORDS = 8;

interface Scenario {
  readonly sizes: readonly number[];
  readonly frees: readonly number[];
  /** Per heap pointer: source allocation, word slot in it, target allocation, byte offset into the target. */
  readonly links: readonly (readonly [number, number, number, number])[];
  /** Per root word: a target allocation and byte offset, or null for a word that points nowhere. */
  readonly rootWords: readonly (readonly [number, number] | null)[];
}

const scenarioArbitrary: fc.Arbitrary<Scenario> = fc.record({
  sizes: fc.array(fc.integer({ min: 1, max: 300 }), { minLength: 1, maxLength: 40 }),
  frees: fc.array(fc.nat(), { maxLength: 10 }),
  links: fc.array(fc.tuple(fc.nat(), fc.nat(), fc.nat(), fc.oneof(fc.constant(0), fc.nat())), { maxLength: 60 }),
  rootWords: fc.array(fc.option(fc.tuple(fc.nat(), fc.oneof(fc.constant(0), fc.nat()))), { minLength: ROOT_WORDS, maxLength: ROOT_WORDS }),
});

describe('ownership: properties on random heaps and pointer graphs', () => {
  it('reached blocks have owners with real shortest chains; unreached blocks are exactly the leak suspects', () => {
    fc.assert(
      fc.property(layoutArbitrary, scenarioArbitrary, fc.boolean(), (layout, scenario, typedRoots) => {
        const heap = newHeap(layout);
        const w = layout.pointerWidth;
        for (const size of scenario.sizes) heap.allocate(size, w);
        for (const pick of scenario.frees) {
          const live = heap.liveAllocations();
          if (live.length > 1) {
            const victim = live[pick % live.length]!;
            assert.ok(heap.deallocate(victim.offset, victim.size, victim.align).ok);
          }
        }
        const live = heap.liveAllocations();
        fc.pre(live.length > 0);
        // Clear the live blocks (stale free-list words would be pointers the test did not write).
        for (const a of live) heap.image.write(a.offset, new Uint8Array(heap.orderSize(a.order)));
        const addressOf = (index: number, into: number): bigint => {
          const a = live[index % live.length]!;
          return heap.address(a.offset + (into % heap.orderSize(a.order)));
        };
        const written: { from: bigint | string; to: bigint }[] = [];
        const used = new Set<number>();
        for (const [source, slot, target, into] of scenario.links) {
          const s = live[source % live.length]!;
          const at = s.offset + (slot % (heap.orderSize(s.order) / w)) * w;
          if (used.has(at)) continue;
          used.add(at);
          const to = addressOf(target, into);
          heap.image.writeWord(at, to);
          written.push({ from: heap.address(at), to });
        }
        const statics = new ByteImage(ROOT_WORDS * w, { pointerWidth: w, endianness: layout.endianness });
        const rootPaths: string[] = [];
        scenario.rootWords.forEach((word, i) => {
          const path = typedRoots ? `ROOTS.w[${i}]` : `stack+0x${(i * w).toString(16)}`;
          rootPaths.push(path);
          const to = word ? addressOf(word[0], word[1]) : BigInt(i); // a small number: no heap address
          statics.writeWord(i * w, to);
          if (word) written.push({ from: path, to });
        });
        const root: RootRegion = typedRoots
          ? {
              kind: 'static',
              label: 'ROOTS',
              address: STATICS,
              size: ROOT_WORDS * w,
              slots: rootPaths.map((_, i) => ({ offset: i * w, path: `w[${i}]` })),
            }
          : { kind: 'stack', label: 'stack', address: STATICS, size: ROOT_WORDS * w };
        const view = decodeHeap(snapshotOf(heap));
        const result = scanOwnership({
          heap: view,
          heapMemory: heap.image,
          roots: [root],
          rootMemory: new SegmentedMemory([{ address: STATICS, image: statics }]),
        });
        checkTiling(result, view.stats.allocatedBytes);
        checkAgainstWrittenGraph(result, written, heap.image, layout.base);
      }),
      { seed: 0x0123_4567, numRuns: 200 },
    );
  });
});

/** Breadth-first search over the written pointers, mapped onto the scan's blocks, versus the scan. */
function checkAgainstWrittenGraph(
  result: OwnershipResult,
  written: readonly { from: bigint | string; to: bigint }[],
  image: ByteImage,
  base: bigint,
): void {
  const n = result.blockCount;
  const edges = new Map<number, number[]>();
  const rootTargets = new Map<string, number>();
  const incoming = new Array<number>(n).fill(0);
  for (const { from, to } of written) {
    const target = result.blockAt(to);
    assert.ok(target >= 0, `a written pointer to 0x${to.toString(16)} lands in no block`);
    incoming[target]!++;
    if (typeof from === 'string') rootTargets.set(from, target);
    else {
      const source = result.blockAt(from);
      assert.ok(source >= 0, 'a written pointer lies in no block');
      edges.set(source, [...(edges.get(source) ?? []), target]);
    }
  }
  const depth = new Array<number>(n).fill(-1);
  const queue: number[] = [];
  for (const target of rootTargets.values()) {
    if (depth[target] === -1) {
      depth[target] = 1;
      queue.push(target);
    }
  }
  for (let head = 0; head < queue.length; head++) {
    const block = queue[head]!;
    for (const next of edges.get(block) ?? []) {
      if (depth[next] !== -1) continue;
      depth[next] = depth[block]! + 1;
      queue.push(next);
    }
  }
  const suspects = new Set(result.leakSuspects().map(s => s.block));
  for (let block = 0; block < n; block++) {
    assert.equal(result.referrerCount(block), incoming[block], `block ${block}: referrers`);
    assert.equal(result.reach.depth[block], depth[block], `block ${block}: shortest path length`);
    assert.equal(suspects.has(block), depth[block] === -1, `block ${block}: leak suspect iff unreached`);
    const chain = result.chain(block);
    if (depth[block] === -1) {
      assert.equal(chain, undefined);
      assert.equal(result.owner(block), undefined);
      continue;
    }
    assert.ok(chain);
    assert.equal(chain.steps.length, depth[block]);
    assert.equal(result.owner(block)?.path, chain.rootPath);
    assert.equal(rootTargets.get(chain.rootPath), chain.steps[0]!.block, 'the chain starts where its root word points');
    for (let k = 0; k + 1 < chain.steps.length; k++) {
      const step = chain.steps[k]!;
      const word = image.readWord(Number(step.address - base) + step.wordOffset!);
      assert.ok(word !== undefined);
      const next: ChainStep = chain.steps[k + 1]!;
      assert.equal(result.blockAt(word), next.block, 'each chain step is a real pointer');
      assert.equal(Number(word - next.address), next.enteredAt);
    }
    assert.equal(chain.steps.at(-1)!.block, block);
  }
  // Every pointed-to block boundary inside a span starts a block.
  for (const { to } of written) {
    const offset = Number(to - base);
    if (offset % result.minBlockSize !== 0) continue;
    const block = result.blockAt(to);
    assert.equal(result.address(block), to, `a pointer to the boundary 0x${to.toString(16)} starts a block`);
  }
}

/** Inferred blocks lie in ascending order without overlap, each aligned to its size, covering exactly the allocated bytes. */
function checkTiling(result: OwnershipResult, allocatedBytes: number): void {
  let end = 0;
  let total = 0;
  for (let block = 0; block < result.blockCount; block++) {
    const offset = result.blocks.offsets[block]!;
    assert.ok(offset >= end, `block ${block} overlaps the one before`);
    assert.equal(offset % result.size(block), 0, `block ${block} is not aligned to its size`);
    end = offset + result.size(block);
    total += result.size(block);
  }
  assert.equal(total, allocatedBytes);
}
