// The reference graph and owners on hand-built targets: statics with typed slots, fat pointers,
// chains, cycles, interior pointers, unreferenced blocks, conservative stacks and registers, for
// every pointer width and byte order. Addresses come from the model's real allocations.
import * as assert from 'node:assert/strict';
import { hex } from '../../../core/layout';
import { formatChain, formatReferrer } from '../../../core/ownership/describe';
import type { RootRegion } from '../../../core/ownership/types';
import { STATICS, TARGETS, Target, blockStartingAt, typedStatic } from './ownershipFixtures';

for (const { pointerWidth: w, endianness } of TARGETS) {
  describe(`ownership: references and owners (${w}-byte ${endianness}-endian)`, () => {
    it('a typed static owns the blocks its slots point to, with the slot path, and splits the span at them', () => {
      const t = Target.of(w, endianness);
      const blocks = [t.alloc(64), t.alloc(64), t.alloc(64), t.alloc(64)];
      const paths = ['entries[0]', 'entries[1]', 'entries[2]', 'entries[3]'];
      blocks.forEach((address, i) => t.put(STATICS + BigInt(i * w), address));
      const result = t.scan([typedStatic('app::CACHE', STATICS, paths, w)]);
      blocks.forEach((address, i) => {
        const block = blockStartingAt(result, address);
        assert.equal(result.size(block), t.blockSize(address));
        assert.equal(result.owner(block)?.path, `app::CACHE.${paths[i]}`);
        assert.equal(result.confidence(block), 'likely');
        assert.deepEqual(result.referrers(block).map(formatReferrer), [`app::CACHE.${paths[i]}`]);
      });
      assert.equal(result.blockCount, blocks.length, 'the one decoded span is cut into exactly the four allocations');
      assert.equal(result.leakSummary().count, 0);
      assert.equal(result.stats.rootBytesScanned, paths.length * w);
    });

    it('only the typed slots of a root are references: other words of it are not', () => {
      const t = Target.of(w, endianness);
      const a = t.alloc(32);
      const b = t.alloc(64); // its own span: the 32 bytes after a stay free
      t.put(STATICS, a);
      t.put(STATICS + BigInt(w), b); // not a slot: padding, or a usize that looks like a pointer
      const root: RootRegion = { kind: 'static', label: 'app::ONE', address: STATICS, size: 2 * w, slots: [{ offset: 0, path: 'ptr' }] };
      const result = t.scan([root]);
      assert.equal(result.owner(blockStartingAt(result, a))?.path, 'app::ONE.ptr');
      assert.equal(result.owner(result.blockAt(b)), undefined);
      assert.ok(result.leakSuspects().some(s => s.address === b));
    });

    it('a span no pointer splits stays whole and says it may hold several allocations', () => {
      const t = Target.of(w, endianness);
      const a = t.alloc(32);
      const b = t.alloc(32); // a's buddy: together one 64-byte span in the free lists' view
      t.put(STATICS, a);
      const result = t.scan([typedStatic('app::ONE', STATICS, ['ptr'], w)]);
      const block = blockStartingAt(result, a);
      assert.equal(result.blockAt(b), block);
      assert.equal(result.size(block), t.blockSize(a) + t.blockSize(b));
      assert.equal(result.confidence(block), 'span-only');
      assert.match(result.inference(block).reason, /one allocation, or several that no pointer tells apart/);
    });

    it('a fat pointer keeps an allocation whole: an interior word on a block boundary inside its length splits nothing', () => {
      const t = Target.of(w, endianness);
      const vec = t.alloc(64);
      const other = t.alloc(64);
      const inside = vec + 32n; // on a 16-byte boundary: alone, it would look like an allocation start
      t.put(STATICS, vec);
      t.put(STATICS + BigInt(w), 48n); // len
      t.put(STATICS + BigInt(2 * w), inside);
      t.put(STATICS + BigInt(3 * w), other);
      const slots = (fat: boolean) => [
        { offset: 0, path: 'NAMES', ...(fat ? { fat: { lengthOffset: w, elementSize: 1 } } : {}) },
        { offset: 2 * w, path: 'CURSOR' },
        { offset: 3 * w, path: 'OTHER' },
      ];
      const withFat = t.scan([{ kind: 'static', label: 'app', address: STATICS, size: 4 * w, slots: slots(true) }]);
      const whole = blockStartingAt(withFat, vec);
      assert.equal(withFat.size(whole), t.blockSize(vec));
      assert.equal(withFat.blockAt(inside), whole);
      assert.deepEqual(withFat.referrers(whole).map(formatReferrer), ['app.NAMES', `app.CURSOR (to +${hex(32)})`]);
      // The same words without the length: the interior word is read as a (likely) allocation start.
      const without = t.scan([{ kind: 'static', label: 'app', address: STATICS, size: 4 * w, slots: slots(false) }]);
      assert.equal(without.address(without.blockAt(inside)), inside);
      assert.equal(without.confidence(without.blockAt(inside)), 'likely');
    });

    it('a chain root → A → B → C: C is owned by the root, with the shortest chain and its word offsets', () => {
      const t = Target.of(w, endianness);
      const [a, b, c] = [t.alloc(64), t.alloc(32), t.alloc(128)];
      t.put(STATICS, a!);
      t.put(a! + BigInt(2 * w), b!);
      t.put(b! + BigInt(w), c!);
      const result = t.scan([typedStatic('app::HEAD', STATICS, [''], w)]);
      const cBlock = blockStartingAt(result, c!);
      assert.equal(result.owner(cBlock)?.path, 'app::HEAD');
      assert.equal(result.reach.depth[cBlock], 3);
      const chain = result.chain(cBlock)!;
      assert.deepEqual(
        chain.steps.map(step => step.address),
        [a, b, c],
      );
      assert.equal(formatChain(chain), `app::HEAD → ${hex(a!)} (+${hex(2 * w)}) → ${hex(b!)} (+${hex(w)}) → this block`);
      assert.deepEqual(result.referrers(cBlock).map(formatReferrer), [`${hex(b!)}+${hex(w)}`]);
    });

    it('the shortest path wins over an earlier root with a longer one; equal lengths go to the earlier root', () => {
      const t = Target.of(w, endianness);
      const [a, b, c] = [t.alloc(64), t.alloc(64), t.alloc(64)];
      t.put(STATICS, a!); // FIRST → a → b → c
      t.put(a!, b!);
      t.put(b!, c!);
      t.put(STATICS + 0x100n, c!); // SECOND → c directly
      t.put(STATICS + 0x200n, b!); // THIRD → b, as short as FIRST → a → b? no: one step, FIRST's is two
      const roots = [
        typedStatic('FIRST', STATICS, ['p'], w),
        typedStatic('SECOND', STATICS + 0x100n, ['p'], w),
        typedStatic('THIRD', STATICS + 0x200n, ['p'], w),
      ];
      const result = t.scan(roots);
      assert.equal(result.owner(blockStartingAt(result, c!))?.path, 'SECOND.p');
      assert.equal(result.owner(blockStartingAt(result, b!))?.path, 'THIRD.p');
      assert.equal(result.owner(blockStartingAt(result, a!))?.path, 'FIRST.p');
      // Now THIRD points at c too: SECOND and THIRD are both one step away, and SECOND comes first.
      t.put(STATICS + 0x200n, c!);
      const tie = t.scan(roots);
      assert.equal(tie.owner(blockStartingAt(tie, c!))?.path, 'SECOND.p');
    });

    it('cycles end: A ↔ B reached from a root are owned, C ↔ D reached from nothing are unreachable suspects', () => {
      const t = Target.of(w, endianness);
      const [a, b, c, d, e] = [t.alloc(32), t.alloc(32), t.alloc(32), t.alloc(32), t.alloc(32)];
      t.put(STATICS, a!);
      t.put(a!, b!);
      t.put(b!, a!);
      t.put(c!, d!);
      t.put(d!, c!);
      const result = t.scan([typedStatic('app::RING', STATICS, [''], w)]);
      assert.equal(result.owner(blockStartingAt(result, a!))?.path, 'app::RING');
      assert.equal(result.owner(blockStartingAt(result, b!))?.path, 'app::RING');
      const suspects = new Map(result.leakSuspects().map(s => [s.address, s.why]));
      assert.equal(suspects.get(c!), 'unreachable');
      assert.equal(suspects.get(d!), 'unreachable');
      assert.equal(suspects.get(e!), 'unreferenced');
      assert.equal(suspects.has(a!) || suspects.has(b!), false);
      const summary = result.leakSummary();
      assert.equal(summary.unreachable, 2);
      assert.equal(
        summary.bytes,
        result.leakSuspects().reduce((sum, s) => sum + s.size, 0),
      );
    });

    it('interior pointers count as references and are marked; off a block boundary they split nothing', () => {
      const t = Target.of(w, endianness);
      const a = t.alloc(64);
      t.put(STATICS, a + 8n); // 8 is inside the 16-byte minimum block
      const result = t.scan([typedStatic('app::FIELD', STATICS, [''], w)]);
      const block = blockStartingAt(result, a);
      assert.equal(result.owner(block)?.path, 'app::FIELD');
      assert.deepEqual(result.referrers(block), [{ kind: 'root', rootIndex: 0, path: 'app::FIELD', interior: 8 }]);
      assert.equal(result.stats.interiorReferences, 1);
      assert.match(formatChain(result.chain(block)!), /this block \(at \+0x8\)$/);
    });

    it('a conservative stack scan reads every aligned word and names the frame and offset', () => {
      const t = Target.of(w, endianness);
      const a = t.alloc(64);
      const b = t.alloc(64);
      const stack = STATICS + 0x800n + 2n; // a region starting off the word boundary
      const firstWord = STATICS + 0x800n + BigInt(w);
      t.put(firstWord, a);
      t.put(firstWord + BigInt(3 * w), b + 16n);
      t.put(firstWord + BigInt(4 * w), 0x1234n); // not an address in the heap
      const root: RootRegion = { kind: 'stack', label: 'thread 1 frame #0 main', address: stack, size: 8 * w };
      const result = t.scan([root]);
      const wordsInRegion = Math.floor((8 * w - (w - 2)) / w);
      assert.equal(result.stats.rootBytesScanned, wordsInRegion * w);
      assert.equal(result.owner(blockStartingAt(result, a))?.path, `thread 1 frame #0 main+${hex(firstWord - stack)}`);
      const bOwner = result.owner(result.blockAt(b + 16n));
      assert.equal(bOwner?.path, `thread 1 frame #0 main+${hex(firstWord + BigInt(3 * w) - stack)}`);
    });

    it('a register holding a heap pointer is a root', () => {
      const t = Target.of(w, endianness);
      const a = t.alloc(128);
      const result = t.scan([{ kind: 'register', label: 'thread 1 r4', value: a }]);
      assert.equal(result.owner(blockStartingAt(result, a))?.path, 'thread 1 r4');
      assert.equal(result.stats.rootBytesScanned, 0);
    });

    it('pointers to free blocks and outside the heap are not references', () => {
      const t = Target.of(w, endianness);
      const a = t.alloc(64);
      const gone = t.alloc(64);
      const record = t.heap.allocationAt(Number(gone - t.heap.layout.base))!;
      assert.ok(t.heap.deallocate(record.offset, record.size, record.align).ok);
      t.put(STATICS, gone);
      t.put(STATICS + BigInt(w), t.heap.layout.base + t.heap.layout.size);
      t.put(a, gone + 8n);
      const result = t.scan([typedStatic('app', STATICS, ['freed', 'past_end'], w)]);
      assert.equal(result.stats.references, 0);
      assert.equal(result.blockAt(gone), -1);
    });
  });
}
