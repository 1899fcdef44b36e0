// Every finding kind the decoder knows, provoked in a raw image and printed by `inspect --json`
// (and the table): the JSON parses, each finding's addresses are "0x…" strings (linkedFrom was a
// BigInt that JSON.stringify refused), and it equals the decoder's own finding. The streamed JSON is
// laid out exactly as JSON.stringify(…, null, 2) lays out the same value.
import * as assert from 'node:assert/strict';
import { main } from '../../../core/cli/main';
import { viewToJson } from '../../../core/cli/inspect';
import { materialized, writePrettyJson } from '../../../core/cli/prettyJson';
import { decodeHeap } from '../../../core/decoder/decode';
import type { DecodedHeapView, Finding, FindingKind, HeapStructFields } from '../../../core/decoder/types';
import { hex } from '../../../core/layout';
import { ByteImage } from '../../../core/memory/byteImage';
import type { BuddyHeap } from '../../../core/model/buddyHeap';
import { BASE, alloc, free, layoutOf, newHeap } from '../decoder/heapFixtures';
import { memoryIo } from './memoryIo';

interface Case {
  readonly heap: BuddyHeap;
  readonly fields?: Partial<HeapStructFields>;
  /** How many of the heap's bytes the image holds (default: all). */
  readonly imageBytes?: number;
  /** A block whose `next` word the finding must name as linkedFrom. */
  readonly linkedFrom?: bigint;
}

/** The 256-byte heap (N = 5, 16-byte blocks, 8-byte pointers) after one 16-byte allocation: lists [16], [32], [64], [128], []. */
function splitHeap(): BuddyHeap {
  const heap = newHeap(layoutOf(256, 5, 8, 'little'));
  alloc(heap, 16);
  return heap;
}

/** Order-0 list [64, 32, 0]. */
function threeEntryHeap(): BuddyHeap {
  const heap = newHeap(layoutOf(256, 5, 8, 'little'));
  const blocks = Array.from({ length: 8 }, () => alloc(heap, 16));
  for (const offset of [blocks[0]!, blocks[2]!, blocks[4]!]) free(heap, offset);
  return heap;
}

function written(heap: BuddyHeap, writes: [number, bigint][]): BuddyHeap {
  for (const [offset, word] of writes) heap.image.writeWord(offset, word);
  return heap;
}

function lists(heap: BuddyHeap, changes: Record<number, bigint>): Partial<HeapStructFields> {
  const freeLists = [...heap.structFields().freeLists];
  for (const [order, head] of Object.entries(changes)) freeLists[Number(order)] = head;
  return { freeLists };
}

/** An image the CLI can read for each kind; WalkLimit and BadOrders are below (no CLI image can reach them); PossibleLeak comes from the ownership scan, not the decoder. */
const CASES: Record<Exclude<FindingKind, 'WalkLimit' | 'BadOrders' | 'PossibleLeak'>, () => Case> = {
  NextOutOfHeap: () => ({ heap: written(splitHeap(), [[16, 0xdead_0000n]]), linkedFrom: BASE + 16n }),
  NextMisaligned: () => ({ heap: written(splitHeap(), [[16, BASE + 40n]]), linkedFrom: BASE + 16n }),
  Cycle: () => ({ heap: written(threeEntryHeap(), [[0, BASE + 32n]]), linkedFrom: BASE }),
  OnTwoLists: () => ({ heap: written(splitHeap(), [[16, BASE + 32n]]) }),
  DuplicateInList: () => ({ heap: written(threeEntryHeap(), [[0, BASE + 64n]]), linkedFrom: BASE }),
  // 16 starts no 32-byte block: the order-1 block at 32 links to it.
  WrongOrder: () => ({ heap: written(splitHeap(), [[32, BASE + 16n]]), linkedFrom: BASE + 32n }),
  Overlap: () => ({ heap: written(splitHeap(), [[16, BASE + 48n]]) }),
  UnmergedBuddies: () => {
    const heap = written(splitHeap(), [[0, BASE + 16n]]);
    return { heap, fields: lists(heap, { 0: BASE }) };
  },
  TopOrderNotSingle: () => {
    const heap = splitHeap();
    return { heap, fields: lists(heap, { 4: BASE }) };
  },
  // The image ends inside the heap: the words past it cannot be read.
  Unreadable: () => ({ heap: splitHeap(), imageBytes: 48 }),
  BadHeapSize: () => ({ heap: splitHeap(), fields: { heapSize: 255n } }),
  BadMinBlockSize: () => ({ heap: splitHeap(), fields: { minBlockSize: 32n } }),
  BadHeapBase: () => ({
    heap: newHeap(layoutOf(256, 5, 8, 'little')),
    fields: { heapBase: BASE + 0x10n, freeLists: [0n, 0n, 0n, 0n, BASE + 0x10n] },
  }),
};

function layoutFile(fields: HeapStructFields): string {
  return JSON.stringify({
    imageBase: hex(BASE),
    pointerWidth: 8,
    endianness: 'little',
    fields: {
      heapBase: hex(fields.heapBase),
      heapSize: hex(fields.heapSize),
      freeLists: fields.freeLists.map(hex),
      minBlockSize: Number(fields.minBlockSize),
      minBlockSizeLog2: fields.minBlockSizeLog2,
    },
  });
}

/** What the decoder finds in the same bytes, read from an image of its own. */
function expectedView(image: Uint8Array, fields: HeapStructFields, heapSize: number): DecodedHeapView {
  const memory = new ByteImage(heapSize, { pointerWidth: 8, endianness: 'little', unknownUntilWritten: true });
  const offset = Number(fields.heapBase - BASE);
  if (offset >= 0 && offset < image.length) memory.write(0, image.subarray(offset, Math.min(image.length, offset + heapSize)));
  return decodeHeap({ fields, pointerWidth: 8, endianness: 'little', memory });
}

/** A finding as JSON should carry it: bigints as "0x…", absent fields absent. */
function asJson(finding: Finding): unknown {
  return JSON.parse(JSON.stringify(finding, (_, value: unknown) => (typeof value === 'bigint' ? hex(value) : value)));
}

/** The text writePrettyJson writes for `value`. */
function streamed(value: unknown): string {
  let text = '';
  writePrettyJson(value, piece => (text += piece));
  return text;
}

describe('buddy-heap inspect --json: every finding kind', () => {
  for (const [kind, make] of Object.entries(CASES) as [FindingKind, () => Case][]) {
    it(`${kind}: printed as JSON with its addresses as hex, equal to the decoder's finding`, async () => {
      const { heap, fields: changed = {}, imageBytes = heap.size, linkedFrom } = make();
      const fields = { ...heap.structFields(), ...changed };
      const image = heap.image.read(0, imageBytes)!;
      const files = { 'ram.bin': image, 'layout.json': layoutFile(fields) };
      const json = memoryIo(files);
      assert.equal(await main(['inspect', 'ram.bin', '--layout', 'layout.json', '--json'], json.io), 0, json.stderr());
      const printed = JSON.parse(json.stdout()) as { findings: Record<string, unknown>[] };
      const expected = expectedView(image, fields, heap.size);
      assert.ok(
        expected.findings.some(f => f.kind === kind),
        `the image provokes ${kind}: ${expected.findings.map(f => f.kind).join(', ')}`,
      );
      assert.deepEqual(printed.findings, expected.findings.map(asJson));
      const mine = printed.findings.find(f => f.kind === kind)!;
      if (linkedFrom !== undefined) assert.equal(mine.linkedFrom, hex(linkedFrom), 'linkedFrom as a hex string');
      for (const finding of printed.findings)
        for (const key of ['address', 'linkedFrom'])
          if (key in finding) assert.match(String(finding[key]), /^0x[0-9a-f]+$/, `${finding.kind}.${key}`);
      assert.equal(json.stdout(), streamed(viewToJson(expected)) + '\n', 'the same view, the same text');
      assert.equal(json.stdout(), JSON.stringify(materialized(viewToJson(expected)), null, 2) + '\n', "JSON.stringify's layout");

      const table = memoryIo(files);
      assert.equal(await main(['inspect', 'ram.bin', '--layout', 'layout.json'], table.io), 0, table.stderr());
      assert.match(table.stdout(), new RegExp(`(error|warning) +${kind}: `));
    });
  }

  it('WalkLimit: a walk stopped by its budget serialises like any finding (no image small enough reaches the 2^23-entry budget)', () => {
    const heap = threeEntryHeap();
    const view = decodeHeap(
      { fields: heap.structFields(), pointerWidth: 8, endianness: 'little', memory: heap.image },
      { maxFreeBlocks: 2 },
    );
    assert.ok(view.findings.some(f => f.kind === 'WalkLimit'));
    const text = streamed(viewToJson(view));
    assert.deepEqual((JSON.parse(text) as { findings: unknown[] }).findings, view.findings.map(asJson));
    assert.equal(text, JSON.stringify(materialized(viewToJson(view)), null, 2));
  });

  it('BadOrders: the layout file cannot give such a struct (1 to 32 lists), and the decoder finding serialises', async () => {
    const heap = splitHeap();
    for (const freeLists of [[], new Array<bigint>(33).fill(0n)]) {
      const files = { 'ram.bin': heap.image.read(0, heap.size)!, 'layout.json': layoutFile({ ...heap.structFields(), freeLists }) };
      const run = memoryIo(files);
      assert.equal(await main(['inspect', 'ram.bin', '--layout', 'layout.json', '--json'], run.io), 2);
      assert.match(run.stderr(), /"fields\.freeLists" must be an array of 1 to 32 addresses/);
    }
    const view = decodeHeap({
      fields: { ...heap.structFields(), freeLists: new Array<bigint>(33).fill(0n) },
      pointerWidth: 8,
      endianness: 'little',
      memory: heap.image,
    });
    assert.ok(view.findings.some(f => f.kind === 'BadOrders'));
    assert.deepEqual((JSON.parse(streamed(viewToJson(view))) as { findings: unknown[] }).findings, view.findings.map(asJson));
  });

  it('a healthy busy heap prints the same text as JSON.stringify of the same value', async () => {
    const heap = newHeap(layoutOf(1 << 16, 12, 4, 'little'));
    const offsets = Array.from({ length: 200 }, (_, i) => alloc(heap, 16 << (i % 4)));
    offsets.filter((_, i) => i % 3 === 0).forEach(offset => free(heap, offset));
    const fields = heap.structFields();
    const layout = JSON.stringify({ pointerWidth: 4, fields: { ...JSON.parse(layoutFile(fields)).fields } });
    const run = memoryIo({ 'heap.bin': heap.image.read(0, heap.size)!, 'layout.json': layout });
    assert.equal(await main(['inspect', 'heap.bin', '--layout', 'layout.json', '--json'], run.io), 0, run.stderr());
    const memory = new ByteImage(heap.size, { pointerWidth: 4, endianness: 'little' });
    memory.write(0, heap.image.read(0, heap.size)!);
    const view = decodeHeap({ fields, pointerWidth: 4, endianness: 'little', memory });
    assert.equal(run.stdout(), JSON.stringify(materialized(viewToJson(view)), null, 2) + '\n');
    const printed = JSON.parse(run.stdout()) as { freeLists: { entries: { address: string }[] }[]; blocks: unknown[] };
    assert.deepEqual(
      printed.freeLists.map(list => list.entries.map(e => Number(BigInt(e.address) - BASE))),
      heap.freeLists(),
    );
    assert.equal(printed.blocks.length, view.blocks.count);
  });
});
