// What the ownership scan cannot see and how it says so: unreadable words, the byte budget, the heap
// arena and struct never being roots, spans the decoder could not classify, bad input.
import * as assert from 'node:assert/strict';
import { decodeHeap } from '../../../core/decoder/decode';
import { hex } from '../../../core/layout';
import { ByteImage } from '../../../core/memory/byteImage';
import { scanOwnership } from '../../../core/ownership/scanOwnership';
import { SegmentedMemory } from '../../../core/ownership/segmentedMemory';
import type { OwnershipInput, RootRegion } from '../../../core/ownership/types';
import { OwnershipInputError } from '../../../core/ownership/validateInput';
import { snapshotOf } from '../decoder/heapFixtures';
import { STATICS, TARGETS, Target, blockStartingAt, typedStatic } from './ownershipFixtures';

/** A copy of the heap's bytes in which the `width` bytes at `hole` (a heap offset) were never read. */
function imageWithHole(t: Target, hole: number): ByteImage {
  const { layout } = t.heap;
  const copy = new ByteImage(t.heap.size, { pointerWidth: layout.pointerWidth, endianness: layout.endianness, unknownUntilWritten: true });
  copy.write(0, t.heap.image.read(0, hole)!);
  const after = hole + layout.pointerWidth;
  copy.write(after, t.heap.image.read(after, t.heap.size - after)!);
  return copy;
}

for (const { pointerWidth: w, endianness } of TARGETS) {
  describe(`ownership: what the scan cannot see (${w}-byte ${endianness}-endian)`, () => {
    it('an unreadable heap word is never a reference: what only it pointed to becomes a suspect, and the bytes are counted', () => {
      const t = Target.of(w, endianness);
      const [a, b] = t.allocApart(64, 64);
      t.put(STATICS, a!);
      t.put(a! + BigInt(w), b!);
      const roots = [typedStatic('app::A', STATICS, [''], w)];
      const readable = t.scan(roots);
      assert.equal(readable.owner(blockStartingAt(readable, b!))?.path, 'app::A');
      const holed = t.scan(roots, {}, imageWithHole(t, Number(a! + BigInt(w) - t.heap.layout.base)));
      assert.equal(holed.stats.spanBytesUnreadable, w);
      assert.equal(holed.owner(holed.blockAt(b!)), undefined);
      assert.ok(holed.leakSuspects().some(s => s.address === b));
      assert.match(holed.leakSummary().caveat, new RegExp(`${w} B of roots and blocks could not be read`));
    });

    it('an unreadable root word is counted and points nowhere', () => {
      const t = Target.of(w, endianness);
      const a = t.alloc(64);
      const unreadAt = STATICS + 0x1000n; // past the statics image: no segment holds it
      const roots: RootRegion[] = [
        { kind: 'static', label: 'app::FAR', address: unreadAt, size: 2 * w, slots: [{ offset: 0, path: 'p' }] },
        { kind: 'stack', label: 'thread 2', address: unreadAt + 0x100n, size: 4 * w },
      ];
      const result = t.scan(roots);
      assert.equal(result.stats.rootBytesUnreadable, 5 * w);
      assert.equal(result.stats.rootBytesScanned, 5 * w);
      assert.equal(result.owner(blockStartingAt(result, a)), undefined);
    });

    it('the byte budget stops the scan where it runs out and says so; what was read still counts', () => {
      const t = Target.of(w, endianness);
      // Address order a, c, b: the budget reads a and part of c, never b, the only one pointing at c.
      const [a, b, c] = t.allocApart(64, 256, 64);
      assert.ok(a! < c! && c! < b!);
      t.put(STATICS, a!);
      t.put(a!, b!);
      t.put(b!, c!);
      const roots = [typedStatic('app::A', STATICS, [''], w)];
      const full = t.scan(roots);
      assert.equal(full.truncated, false);
      const allBytes = full.stats.rootBytesScanned + full.stats.spanBytesScanned;
      // Enough for the root, a's span and part of c's: b is owned (a is read), c is not (b is not read).
      const aSpan = full.size(blockStartingAt(full, a!));
      const cut = t.scan(roots, { maxBytes: w + aSpan + 8 * w });
      assert.equal(cut.truncated, true);
      assert.match(cut.truncatedReason!, /budget of .* ran out/);
      assert.equal(cut.stats.rootBytesScanned + cut.stats.spanBytesScanned, w + aSpan + 8 * w);
      assert.equal(cut.stats.spanBytesUnscanned, allBytes - (w + aSpan + 8 * w));
      assert.equal(cut.owner(blockStartingAt(cut, b!))?.path, 'app::A');
      assert.equal(cut.owner(blockStartingAt(cut, c!)), undefined);
      assert.match(cut.leakSummary().caveat, /cut short/);
      // No budget at all: not even the root is read.
      const none = t.scan(roots, { maxBytes: 0 });
      assert.equal(none.stats.rootBytesScanned, 0);
      assert.match(none.truncatedReason!, /in root app::A/);
    });

    it('the heap arena and the heap struct are never roots, even inside a larger root region', () => {
      const t = Target.of(w, endianness);
      const a = t.alloc(64);
      const { base, size } = t.heap.layout;
      // One memory image for RAM below the heap, the heap itself, and RAM after it.
      const ramStart = base - 0x100n;
      const ram = new ByteImage(Number(size) + 0x200, { pointerWidth: w, endianness, unknownUntilWritten: true });
      ram.write(0, new Uint8Array(0x100));
      ram.write(0x100, t.heap.image.read(0, Number(size))!);
      ram.write(0x100 + Number(size), new Uint8Array(0x100));
      const structAt = 0x10; // a heap struct in the RAM below the arena, holding a pointer to a
      ram.writeWord(structAt + w, a);
      const roots: RootRegion[] = [{ kind: 'symbol', label: '.bss', address: ramStart, size: Number(size) + 0x200 }];
      const input: OwnershipInput = {
        heap: decodeHeap(snapshotOf(t.heap)),
        heapMemory: t.heap.image,
        roots,
        rootMemory: new SegmentedMemory([{ address: ramStart, image: ram }]),
        heapStruct: { address: ramStart + BigInt(structAt), size: 4 * w },
      };
      const result = scanOwnership(input);
      assert.equal(result.stats.rootBytesExcluded, Number(size) + 4 * w);
      assert.equal(result.stats.rootBytesScanned, 0x200 - 4 * w);
      assert.equal(result.owner(blockStartingAt(result, a)), undefined, 'the struct word pointing at a is not a root');
      assert.ok(result.notes.some(note => note.includes('the heap arena') && note.includes('the heap struct')));
      // The same word outside the struct is a root.
      const moved = scanOwnership({ ...input, heapStruct: { address: ramStart + 0x40n, size: 4 * w } });
      assert.equal(moved.owner(blockStartingAt(moved, a))?.path, `.bss+${hex(structAt + w)}`);
    });

    it('spans the decoder could not classify are neither scanned nor owned, and a note says so', () => {
      const t = Target.of(w, endianness);
      const a = t.alloc(64);
      t.alloc(16);
      t.put(STATICS, a);
      const fields = t.heap.structFields();
      const lists = [...fields.freeLists];
      const order = lists.findIndex((head, k) => head !== 0n && k < lists.length - 1);
      // The head of a list points at a word nobody read: the list is truncated, unlisted spans are Unknown.
      const memory = imageWithHole(t, Number(lists[order]! - t.heap.layout.base));
      const view = decodeHeap({ ...snapshotOf(t.heap), memory });
      const result = scanOwnership({
        heap: view,
        heapMemory: memory,
        roots: [typedStatic('app::A', STATICS, [''], w)],
        rootMemory: new SegmentedMemory([{ address: STATICS, image: t.statics }]),
      });
      assert.equal(result.blockCount, 0);
      assert.equal(result.stats.references, 0);
      assert.ok(result.notes.some(note => note.includes('could not be told free or allocated')));
    });
  });
}

describe('ownership: input checks', () => {
  const t = Target.of(4, 'little');
  const base = (): OwnershipInput => ({
    heap: decodeHeap(snapshotOf(t.heap)),
    heapMemory: t.heap.image,
    roots: [],
    rootMemory: new SegmentedMemory([{ address: STATICS, image: t.statics }]),
  });
  const cases: [string, Partial<OwnershipInput>, RegExp][] = [
    ['an empty label', { roots: [{ kind: 'static', label: '', address: STATICS, size: 4 }] }, /root 0: needs a non-empty label/],
    ['an unknown kind', { roots: [{ kind: 'heap', label: 'x', address: STATICS, size: 4 } as unknown as RootRegion] }, /kind "heap"/],
    [
      'a slot past the end',
      { roots: [{ kind: 'static', label: 'S', address: STATICS, size: 4, slots: [{ offset: 2, path: 'p' }] }] },
      /root 0 \(S\) slot 0 \(p\): offset 2/,
    ],
    [
      'a region past the address space',
      { roots: [{ kind: 'stack', label: 'T', address: 0xffff_fff0n, size: 32 }] },
      /run past the 32-bit address space/,
    ],
    ['a register too wide', { roots: [{ kind: 'register', label: 'r0', value: 1n << 40n }] }, /value must be a bigint from 0 below 2\^32/],
    [
      'a fat pointer of 0-byte elements',
      {
        roots: [
          {
            kind: 'static',
            label: 'V',
            address: STATICS,
            size: 8,
            slots: [{ offset: 0, path: 'v', fat: { lengthOffset: 4, elementSize: 0 } }],
          },
        ],
      },
      /elementSize 0/,
    ],
  ];
  for (const [what, change, message] of cases) {
    it(`refuses ${what}, naming the root and the fix`, () => {
      assert.throws(
        () => scanOwnership({ ...base(), ...change }),
        (error: unknown) => error instanceof OwnershipInputError && message.test(error.message),
      );
    });
  }
  it('refuses a budget that is not a byte count', () => {
    assert.throws(() => scanOwnership(base(), { maxBytes: -1 }), /maxBytes -1/);
  });
});
