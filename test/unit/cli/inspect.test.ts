// `buddy-heap inspect` on raw images the model produces: struct located by offsets, struct given
// as values, corruption reported as findings, and bad layout files named with their fix.
import * as assert from 'node:assert/strict';
import { main } from '../../../core/cli/main';
import { CliError, type CliIo } from '../../../core/cli/io';
import { encodeWord } from '../../../core/memory/byteImage';
import { BuddyHeap } from '../../../core/model/buddyHeap';

const HEAP_BASE = 0x2000_1000n;
const C_OFFSETS = { heapBase: 0, heapSize: 4, freeLists: 8, minBlockSize: 56, minBlockSizeLog2: 60 };

/** RAM from 0x20000000: the C struct at 0x20000004, the heap at 0x20001000 (as the E2E firmware lays it out). */
function ramImage(heap: BuddyHeap): Uint8Array {
  const ram = new Uint8Array(0x1000 + heap.size);
  const f = heap.structFields();
  const put = (offset: number, value: bigint) => ram.set(encodeWord(value, 4, true), 4 + offset);
  put(C_OFFSETS.heapBase, f.heapBase);
  put(C_OFFSETS.heapSize, f.heapSize);
  f.freeLists.forEach((head, k) => put(C_OFFSETS.freeLists + 4 * k, head));
  put(C_OFFSETS.minBlockSize, f.minBlockSize);
  ram[4 + C_OFFSETS.minBlockSizeLog2] = f.minBlockSizeLog2;
  ram.set(heap.image.read(0, heap.size)!, 0x1000);
  return ram;
}

function busyHeap(): BuddyHeap {
  const created = BuddyHeap.create({ base: HEAP_BASE, size: 0x1_0000n, orders: 12, pointerWidth: 4, endianness: 'little' });
  assert.ok(created.ok);
  const heap = created.heap;
  const a = heap.allocate(100, 8);
  heap.allocate(32, 32);
  heap.allocate(4096, 4096);
  assert.ok(a.ok && heap.deallocate(a.offset, 100, 8).ok);
  return heap;
}

function io(files: Record<string, string | Uint8Array>) {
  const out = { stdout: '', stderr: '' };
  const cli: CliIo = {
    out: t => {
      out.stdout += t;
    },
    outBytes: b => {
      out.stdout += new TextDecoder().decode(b);
    },
    err: t => {
      out.stderr += t;
    },
    readText: async p => {
      const f = files[p];
      if (f === undefined) throw new CliError(`cannot read "${p}"`, 1);
      return String(f);
    },
    readBytes: async p => {
      const f = files[p];
      if (!(f instanceof Uint8Array)) throw new CliError(`cannot read "${p}"`, 1);
      return f;
    },
    flush: async () => undefined,
  };
  return { cli, out };
}

describe('buddy-heap inspect', () => {
  it('finds the struct in the image by field offsets and decodes the same lists as the model', async () => {
    const heap = busyHeap();
    const layout = JSON.stringify({
      imageBase: '0x20000000',
      pointerWidth: 4,
      struct: { address: '0x20000004', orders: 12, offsets: C_OFFSETS },
    });
    const { cli, out } = io({ 'ram.bin': ramImage(heap), 'layout.json': layout });
    assert.equal(await main(['inspect', 'ram.bin', '--layout', 'layout.json', '--json'], cli), 0, out.stderr);
    const json = JSON.parse(out.stdout) as {
      freeLists: { entries: { address: string }[] }[];
      findings: unknown[];
      stats: { freeBytes: number };
    };
    assert.deepEqual(
      json.freeLists.map(l => l.entries.map(e => BigInt(e.address) - HEAP_BASE)),
      heap.freeLists().map(l => l.map(BigInt)),
    );
    assert.deepEqual(json.findings, []);
    assert.equal(json.stats.freeBytes, heap.freeBytes());
  });

  it('takes the struct as values, prints a readable view, and reports corruption as findings', async () => {
    const heap = busyHeap();
    const image = heap.image.read(0, heap.size)!;
    const victim = heap.freeList(0)[0]!;
    image.set(encodeWord(0x3000_0000n, 4, true), victim); // a next pointer far outside the heap
    const f = heap.structFields();
    const layout = JSON.stringify({
      fields: {
        heapBase: '0x20001000',
        heapSize: 65536,
        freeLists: f.freeLists.map(h => '0x' + h.toString(16)),
        minBlockSize: 32,
        minBlockSizeLog2: 5,
      },
    });
    const { cli, out } = io({ 'heap.bin': image, 'layout.json': layout });
    assert.equal(await main(['inspect', 'heap.bin', '--layout', 'layout.json'], cli), 0, out.stderr);
    assert.match(out.stdout, /heap 0x20001000: 64 KiB, 12 orders, min block 32 B/);
    assert.ok(out.stdout.includes(`order  0 (    32 B): 0x${(HEAP_BASE + BigInt(victim)).toString(16)}  [broken]`), out.stdout);
    assert.match(out.stdout, /allocated 0 B, unknown 4\.0 KiB/, 'a broken list makes the unlisted spans unknown, never allocated');
    assert.match(out.stdout, /error +NextOutOfHeap: .*0x30000000/);
  });

  it('names what is wrong in a layout file', async () => {
    const cases: [unknown, RegExp][] = [
      [{}, /needs "fields" .* or "struct"/],
      [{ pointerWidth: 2, fields: {} }, /"pointerWidth" must be 4 or 8/],
      [{ struct: { address: 4, orders: 12, offsets: C_OFFSETS } }, /"imageBase" is needed with "struct"/],
      [
        { fields: { heapBase: 'zero', heapSize: 1, freeLists: ['0'], minBlockSize: 1, minBlockSizeLog2: 0 } },
        /"fields.heapBase" must be a non-negative number/,
      ],
      [{ imageBase: 0, struct: { address: '0x10000000', orders: 4, offsets: C_OFFSETS } }, /lies outside the image/],
    ];
    for (const [layout, expected] of cases) {
      const { cli, out } = io({ 'x.bin': new Uint8Array(64), 'l.json': JSON.stringify(layout) });
      assert.equal(await main(['inspect', 'x.bin', '--layout', 'l.json'], cli), 2);
      assert.match(out.stderr, expected);
    }
    const { cli, out } = io({ 'x.bin': new Uint8Array(64), 'l.json': '{oops' });
    assert.equal(await main(['inspect', 'x.bin', '--layout', 'l.json'], cli), 2);
    assert.match(out.stderr, /l\.json: the layout file is not JSON/);
  });
});
