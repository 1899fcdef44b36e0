// The CLI in-process, through its IO interface: exit codes, JSON lines, tables and messages.
import * as assert from 'node:assert/strict';
import { main } from '../../../core/cli/main';
import type { CliIo } from '../../../core/cli/io';
import { CliError } from '../../../core/cli/io';

function fakeIo(files: Record<string, string | Uint8Array>): CliIo & { stdout: string; stderr: string } {
  const io = {
    stdout: '',
    stderr: '',
    out(text: string) {
      io.stdout += text;
    },
    outBytes(bytes: Uint8Array) {
      io.stdout += new TextDecoder().decode(bytes);
    },
    err(text: string) {
      io.stderr += text;
    },
    async readText(path: string) {
      const f = files[path];
      if (f === undefined) throw new CliError(`cannot read "${path}" (ENOENT)`, 1);
      return typeof f === 'string' ? f : new TextDecoder().decode(f);
    },
    async readBytes(path: string) {
      const f = files[path];
      if (f === undefined) throw new CliError(`cannot read "${path}" (ENOENT)`, 1);
      return typeof f === 'string' ? new TextEncoder().encode(f) : f;
    },
    async flush() {
      /* nothing buffered */
    },
  };
  return io;
}

describe('buddy-heap CLI', () => {
  const trace = 'heap 256 orders=5\nalloc 8 8\nalloc 256 4096\nalloc 17 1\ndump\nfree 0x20000000 8 8\nfree 0x20000004 8 8\n';

  it('replay --json prints one object per operation line in the documented shapes', async () => {
    const io = fakeIo({ 't.trace': trace });
    assert.equal(await main(['replay', 't.trace', '--json'], io), 0);
    assert.deepEqual(
      io.stdout
        .trim()
        .split('\n')
        .map(line => JSON.parse(line)),
      [
        { op: 'heap', ok: true },
        { op: 'alloc', ok: true, address: '0x20000000' },
        { op: 'alloc', ok: false, error: 'InvalidSize(TooLarge)' },
        { op: 'alloc', ok: true, address: '0x20000020' },
        { op: 'dump', freeLists: [['0x20000010'], [], ['0x20000040'], ['0x20000080'], []] },
        { op: 'free', ok: true },
        {
          op: 'free',
          ok: false,
          error: 'NotAllocated: 0x20000004 is not the start of an allocated block: it lies in the free 32 B block at 0x20000000',
        },
      ],
    );
  });

  it('replay --json keeps the bare error names of rejected heaps and allocations', async () => {
    const io = fakeIo({
      't.trace':
        'heap 0x10000 orders=12 base=0xffff8000\nalloc 8 8\nheap 0x3000 orders=4\nheap 256 orders=5\nalloc 8 3\nalloc 512 8\nalloc 256 1\nalloc 8 8\n',
    });
    assert.equal(await main(['replay', 't.trace', '--json'], io), 0);
    assert.deepEqual(
      io.stdout
        .trim()
        .split('\n')
        .map(line => JSON.parse(line)),
      [
        { op: 'heap', ok: false, error: 'AddressOverflow' },
        { op: 'alloc', ok: false, error: 'NoHeap' },
        { op: 'heap', ok: false, error: 'BadSizeAlignment' },
        { op: 'heap', ok: true },
        { op: 'alloc', ok: false, error: 'InvalidSize(BadAlignment)' },
        { op: 'alloc', ok: false, error: 'InvalidSize(TooLarge)' },
        { op: 'alloc', ok: true, address: '0x20000000' },
        { op: 'alloc', ok: false, error: 'HeapExhausted' },
      ],
    );
  });

  it('replay without --json explains each error name and what to change', async () => {
    const io = fakeIo({
      't.trace':
        'heap 0x10000 orders=12 base=0xffff8000\nalloc 8 8\nheap 0x3000 orders=4\nheap 256 orders=5 base=0x1004\nheap 8 orders=3\nheap 256 orders=5\nalloc 8 3\nalloc 512 8\nalloc 256 1\nalloc 8 8\n',
    });
    assert.equal(await main(['replay', 't.trace'], io), 0);
    const rows = io.stdout.split('\n');
    const row = (line: number) => rows.find(r => r.startsWith(String(line).padStart(4) + ' ')) ?? '';
    assert.match(
      row(1),
      /error AddressOverflow: the heap 0xffff8000\.\.0x100008000 runs past 0xffffffff, the last 32-bit address; lower the base or the size, or use ptr=8$/,
    );
    assert.match(row(2), /error NoHeap: there is no heap to act on/);
    assert.match(row(3), /error BadSizeAlignment: the heap size must be a power of two/);
    assert.match(row(4), /error BadBaseAlignment: the heap base must be aligned to 4096 bytes/);
    assert.match(row(5), /error MinBlockTooSmall: the minimum block .* is smaller than a pointer/);
    assert.match(row(7), /error InvalidSize\(BadAlignment\): the alignment must be a power of two of at most 4096/);
    assert.match(row(8), /error InvalidSize\(TooLarge\): the request, rounded up .* is larger than the whole heap/);
    assert.match(row(10), /error HeapExhausted: no free block is large enough/);
  });

  it('replays heaps of any valid size and N, up to 2^63 bytes and N = 32, and goes on after them', async () => {
    const trace = [
      'heap 0x8000000000000000 orders=32 base=0x8000000000000000 ptr=8',
      'alloc 8 8',
      'alloc 0x4000000000000000 4096',
      'free 0x8000000000000001 8 8',
      'free 0x10 8 8',
      'free 0x8000000000000000 8 8',
      'dump',
      'heap 0x400000000 orders=32 ptr=8',
      'alloc 1 1',
      'free 0x20000000 1 1',
      'heap 0x1000000000000 orders=20 ptr=8 base=0x1000',
      'alloc 1 1',
      'heap 0x8000000000000000 orders=32 ptr=8 base=0x8000000000001000',
      'heap 256 orders=5',
      'alloc 8 8',
    ].join('\n');
    const io = fakeIo({ 'huge.trace': trace });
    assert.equal(await main(['replay', 'huge.trace', '--json'], io), 0);
    const results = io.stdout
      .trim()
      .split('\n')
      .map(line => JSON.parse(line) as { op: string; ok?: boolean; error?: string; address?: string; freeLists?: string[][] });
    assert.deepEqual(results.slice(0, 6), [
      { op: 'heap', ok: true },
      { op: 'alloc', ok: true, address: '0x8000000000000000' },
      { op: 'alloc', ok: true, address: '0xc000000000000000' },
      {
        op: 'free',
        ok: false,
        error:
          'NotAllocated: 0x8000000000000001 is not the start of an allocated block: it lies inside the 4 GiB block allocated at 0x8000000000000000 (size 8 align 8); free 0x8000000000000000 instead',
      },
      { op: 'free', ok: false, error: 'OutOfHeap: 0x10 is outside the heap 0x8000000000000000..0x10000000000000000' },
      { op: 'free', ok: true },
    ]);
    assert.deepEqual(
      results[6]!.freeLists!.map(list => list.length),
      [...Array<number>(30).fill(0), 1, 0],
      'everything below the upper half merged back',
    );
    assert.deepEqual(results[6]!.freeLists![30], ['0x8000000000000000']);
    assert.deepEqual(results.slice(7), [
      { op: 'heap', ok: true },
      { op: 'alloc', ok: true, address: '0x20000000' },
      { op: 'free', ok: true },
      { op: 'heap', ok: true },
      { op: 'alloc', ok: true, address: '0x1000' },
      { op: 'heap', ok: false, error: 'AddressOverflow' },
      { op: 'heap', ok: true },
      { op: 'alloc', ok: true, address: '0x20000000' },
    ]);
    assert.equal(io.stderr, '');
  });

  it('replay without --json prints a readable table', async () => {
    const io = fakeIo({ 't.trace': trace });
    assert.equal(await main(['replay', 't.trace'], io), 0);
    assert.match(io.stdout, /^line +operation +result/);
    assert.match(io.stdout, /alloc 256 align 4096 +error InvalidSize\(TooLarge\)/);
    assert.match(io.stdout, /order 2 \(64 B\): 0x20000040/);
  });

  it('stops at a malformed line with exit code 2 naming the line', async () => {
    const io = fakeIo({ 'bad.trace': 'heap 256 orders=5\nalloc 8 8\nalloc x 8\ndump\n' });
    assert.equal(await main(['replay', 'bad.trace', '--json'], io), 2);
    assert.match(io.stderr, /bad\.trace: line 3: "alloc x 8": expected alloc <size> <align>/);
  });

  it('reports usage errors and unreadable files', async () => {
    assert.equal(await main([], fakeIo({})), 2);
    assert.equal(await main(['frobnicate'], fakeIo({})), 2);
    assert.equal(await main(['replay', 't', '--yaml'], fakeIo({ t: trace })), 2);
    const io = fakeIo({});
    assert.equal(await main(['replay', 'missing.trace'], io), 1);
    assert.match(io.stderr, /cannot read "missing.trace"/);
  });

  it('stats prints fragmentation after each operation', async () => {
    const io = fakeIo({ 't.trace': trace });
    assert.equal(await main(['stats', 't.trace', '--json'], io), 0);
    const rows = io.stdout
      .trim()
      .split('\n')
      .map(line => JSON.parse(line) as { line: number; freeBytes: number; largestFreeBlock: number; fragmentation: number });
    assert.deepEqual(
      rows.map(r => r.line),
      [1, 2, 3, 4, 6, 7],
    );
    assert.deepEqual(rows[1], {
      line: 2,
      op: 'alloc',
      ok: true,
      freeBytes: 240,
      usedBytes: 16,
      largestFreeBlock: 128,
      fragmentation: 1 - 128 / 240,
      freeBlocks: 4,
    });
  });
});
