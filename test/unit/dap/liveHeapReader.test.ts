// The live reader against a fake gdb adapter: offsets found whatever the field order, chunked and
// sparse reads, unknown bytes for short and failed reads, clear errors, cancellation.
import * as assert from 'node:assert/strict';
import { LiveHeapReader } from '../../../extension/dap/liveHeapReader';
import { LiveReadError } from '../../../extension/dap/liveErrors';
import { isFixedAddress } from '../../../extension/dap/locateHeap';
import type { ByteImage } from '../../../core/memory/byteImage';
import { decodeHeap } from '../../../core/decoder/decode';
import { C_OFFSETS, RUST_OFFSETS, makeFixture } from './heapFixture';

async function rejectsWith(promise: Promise<unknown>, kind: string, pattern: RegExp): Promise<void> {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(error instanceof LiveReadError, `not a LiveReadError: ${String(error)}`);
    assert.equal(error.kind, kind, error.message);
    assert.match(error.message, pattern);
    return true;
  });
}

describe('live heap reader', () => {
  it('finds C fields in declaration order and decodes the struct', async () => {
    const { heap, session, structAddress } = makeFixture('c');
    const read = await new LiveHeapReader(session, { kind: 'expression', expression: 'HEAP' }).read({ threadId: 1 });
    assert.deepEqual(read.location.offsets, C_OFFSETS);
    assert.equal(read.location.address, structAddress);
    assert.equal(read.location.orders, 12);
    assert.equal(read.location.pointerWidth, 4);
    assert.deepEqual(read.snapshot.fields, heap.structFields());
  });

  it('finds reordered Rust fields from the debugger, not from declaration order', async () => {
    const { heap, session } = makeFixture('rust', 1 << 20);
    const read = await new LiveHeapReader(
      session,
      { kind: 'expression', expression: 'prog::ALLOCATOR.inner.value' },
      { mode: 'sparse' },
    ).read({ threadId: 1 });
    assert.deepEqual(read.location.offsets, RUST_OFFSETS);
    assert.equal(read.location.orders, 16);
    assert.equal(read.location.pointerWidth, 8);
    assert.deepEqual(read.snapshot.fields, heap.structFields());
  });

  it('reads the whole heap in chunks of at most 4 KiB (or the configured size) with the same bytes', async () => {
    const { heap, session } = makeFixture('c');
    const read = await new LiveHeapReader(session, { kind: 'expression', expression: 'HEAP' }, { mode: 'full' }).read({ threadId: 1 });
    const heapReads = session.readRequests().slice(1);
    assert.equal(heapReads.length, 16);
    assert.ok(heapReads.every(r => Number(r.args.count) <= 4096));
    assert.equal(read.stats.readMemoryRequests, 17);
    assert.equal(read.stats.bytesRead, 61 + 65536, 'the struct up to min_block_size_log2, then the heap');
    // One copy of the target's bytes, not one per word (16 Ki copies of 64 KiB made this test time out on a loaded machine).
    const target = Buffer.from(session.regions[1]!.bytes);
    for (let offset = 0; offset < 65536; offset += 4) {
      assert.equal(read.snapshot.memory.readWord(offset), BigInt(target.readUInt32LE(offset)), `word at ${offset}`);
    }
    for (const list of heap.freeLists())
      for (const offset of list) assert.equal(read.snapshot.memory.readWord(offset), heap.image.readWord(offset));
    session.requests.length = 0;
    await new LiveHeapReader(session, { kind: 'expression', expression: 'HEAP' }, { mode: 'full', maxChunkBytes: 1024 }).read({
      threadId: 1,
    });
    assert.equal(session.readRequests().length, 1 + 64);
  });

  it("sparse mode reads only free-list words, and every listed block's next word is known", async () => {
    const { heap, session } = makeFixture('c');
    const read = await new LiveHeapReader(
      session,
      { kind: 'expression', expression: 'HEAP' },
      { mode: 'sparse', gapBytes: 0, windowBytes: 4 },
    ).read({ threadId: 1 });
    assert.equal(read.stats.mode, 'sparse');
    assert.ok(read.stats.bytesRead < 4096, `read ${read.stats.bytesRead} bytes`);
    assert.ok(read.stats.rounds >= 1);
    for (const list of heap.freeLists()) {
      for (const offset of list) assert.equal(read.snapshot.memory.readWord(offset), heap.image.readWord(offset));
    }
    for (const allocated of heap.liveAllocations()) {
      assert.equal(read.snapshot.memory.readWord(allocated.offset + 8), undefined, 'allocated bytes are not read, so unknown');
    }
    const words = heap.freeLists().reduce((n, list) => n + list.length, 0);
    assert.equal(read.stats.bytesRead, 61 + words * 4, 'the struct and one word per listed block');
    session.requests.length = 0;
    const batched = await new LiveHeapReader(session, { kind: 'expression', expression: 'HEAP' }, { mode: 'sparse' }).read({ threadId: 1 });
    assert.ok(batched.stats.readMemoryRequests < read.stats.readMemoryRequests, 'nearby words share a request');
  });

  it('auto mode reads small heaps whole and large ones sparsely', async () => {
    const small = makeFixture('c');
    assert.equal(
      (await new LiveHeapReader(small.session, { kind: 'expression', expression: 'HEAP' }).read({ threadId: 1 })).stats.mode,
      'full',
    );
    const large = makeFixture('rust', 1 << 20);
    assert.equal(
      (await new LiveHeapReader(large.session, { kind: 'expression', expression: 'prog::ALLOCATOR.inner.value' }).read({ threadId: 1 }))
        .stats.mode,
      'sparse',
    );
  });

  it('a short read leaves the missing bytes unknown, never zero', async () => {
    const { session } = makeFixture('c');
    const region = session.regions[1]!;
    region.bytes = region.bytes.subarray(0, 65536 - 1000);
    const read = await new LiveHeapReader(session, { kind: 'expression', expression: 'HEAP' }, { mode: 'full' }).read({ threadId: 1 });
    assert.equal(read.stats.shortReads, 1);
    // The last word the adapter returned holds the target's bytes; the words after it are unknown.
    assert.equal(read.snapshot.memory.readWord(65536 - 1004), BigInt(Buffer.from(region.bytes).readUInt32LE(65536 - 1004)));
    assert.equal(read.snapshot.memory.readWord(65536 - 1000), undefined);
    assert.equal(read.snapshot.memory.readWord(65532), undefined);
  });

  for (const padded of [false, true]) {
    it(`bytes the adapter flags in unreadableBytes stay unknown (${padded ? 'data padded with zeros' : 'short data, as lldb-dap answers'})`, async () => {
      const { heap, session } = makeFixture('c');
      session.padUnreadable = padded;
      // A free block's next word lies in the unreadable bytes: its list cannot be followed past it.
      const offset = heap
        .freeLists()
        .flat()
        .find(o => o >= 8192 && o < 12288 - 64)!;
      assert.notEqual(offset, undefined, 'the fixture has a free block in the third 4 KiB');
      session.unreadable.push({ start: 0x2000_1000n + BigInt(offset), end: 0x2000_1000n + BigInt(offset) + 64n });
      const read = await new LiveHeapReader(session, { kind: 'expression', expression: 'HEAP' }, { mode: 'full' }).read({ threadId: 1 });
      assert.equal(read.stats.shortReads, 1);
      assert.equal(read.stats.failedReads, 0);
      assert.equal(read.snapshot.memory.readWord(offset), undefined, 'not a zero (an end of list)');
      assert.equal(read.snapshot.memory.readWord(12284), undefined, 'the rest of the chunk was not read');
      assert.equal(read.snapshot.memory.readWord(offset - 4), BigInt(Buffer.from(session.regions[1]!.bytes).readUInt32LE(offset - 4)));
      assert.equal(read.stats.bytesRead, 61 + 65536 - (12288 - offset));
      const view = decodeHeap(read.snapshot);
      assert.ok(
        view.findings.some(f => f.kind === 'Unreadable'),
        view.findings.map(f => f.kind).join(', '),
      );
    });
  }

  it('a struct the adapter pads with zeros for unreadable bytes is an error, not a heap of zeros', async () => {
    const { session, structAddress } = makeFixture('c');
    session.padUnreadable = true;
    session.unreadable.push({ start: structAddress + 8n, end: structAddress + 64n });
    await rejectsWith(
      new LiveHeapReader(session, { kind: 'expression', expression: 'HEAP' }).read({ threadId: 1 }),
      'unreadable',
      /HEAP.*0x20000004 could be read only in part \(8 of 61 bytes.*marked 53 bytes unreadable/,
    );
  });

  it('a failed chunk leaves its bytes unknown and the other chunks are still read', async () => {
    const { session } = makeFixture('c');
    session.failing.push({ start: 0x2000_1000n + 8192n, end: 0x2000_1000n + 12288n });
    const read = await new LiveHeapReader(session, { kind: 'expression', expression: 'HEAP' }, { mode: 'full' }).read({ threadId: 1 });
    assert.equal(read.stats.failedReads, 1);
    assert.match(read.stats.firstFailure ?? '', /0x20003000.*Unable to read memory/);
    assert.equal(read.snapshot.memory.readWord(8192), undefined);
    assert.equal(read.snapshot.memory.readWord(12284), undefined);
    assert.notEqual(read.snapshot.memory.readWord(12288), undefined);
    assert.notEqual(read.snapshot.memory.readWord(8188), undefined);
  });

  describe('N and the pointer width when the debugger cannot tell them', () => {
    /** A debugger with no sizeof whose free_lists type carries no length (lldb's C++ evaluator on Rust, say). */
    const mute = () => {
      const f = makeFixture('c');
      f.session.sizeofFails = true;
      f.session.freeListsType = 'FreeBlock **';
      return f;
    };

    it('without a fallback: not a heap, with the setting that fixes it', async () => {
      await rejectsWith(
        new LiveHeapReader(mute().session, { kind: 'expression', expression: 'HEAP' }).read({ threadId: 1 }),
        'notAHeap',
        /pointer width cannot be told\. If this debugger cannot evaluate sizeof, add "pointerWidth": 4 or 8 to the heap entry \(or set buddyHeap\.live\.pointerWidth\)/,
      );
      await rejectsWith(
        new LiveHeapReader(mute().session, { kind: 'expression', expression: 'HEAP', pointerWidth: 4 }).read({ threadId: 1 }),
        'notAHeap',
        /free_lists is not an array.*\(type FreeBlock \*\*, \? entries\)\. If this debugger cannot tell array lengths, add "orders" \(N\) to the heap entry \(or set buddyHeap\.live\.orders\)/,
      );
    });

    it("the heap entry's orders and pointerWidth, said in the notes", async () => {
      const { heap, session } = mute();
      const read = await new LiveHeapReader(session, { kind: 'expression', expression: 'HEAP', orders: 12, pointerWidth: 4 }).read({
        threadId: 1,
      });
      assert.deepEqual([read.location.orders, read.location.pointerWidth, read.location.offsets], [12, 4, C_OFFSETS]);
      assert.deepEqual(read.snapshot.fields, heap.structFields());
      assert.deepEqual(
        read.notes.map(n => [n.level, n.message]),
        [
          ['info', 'pointer width 4 from the heap entry (the debugger gave no sizeof of heap_size)'],
          ['info', 'N = 12 from the heap entry (the debugger gave neither the free_lists array type nor its sizeof)'],
        ],
      );
    });

    it("else the settings'; the notes come with the read that located the heap only", async () => {
      const { heap, session } = mute();
      const reader = new LiveHeapReader(session, { kind: 'expression', expression: 'HEAP' }, { orders: 12, pointerWidth: 4 });
      const read = await reader.read({ threadId: 1 });
      assert.deepEqual(read.snapshot.fields, heap.structFields());
      assert.match(
        read.notes.map(n => n.message).join('\n'),
        /pointer width 4 from buddyHeap\.live\.pointerWidth.*\nN = 12 from buddyHeap\.live\.orders/,
      );
      assert.deepEqual((await reader.read({ threadId: 1 })).notes, [], 'not again at the next stop');
    });

    it("what the debugger tells wins over a fallback, and a free-list slot's sizeof tells the width", async () => {
      const f = makeFixture('c');
      f.session.sizeofFails = ['heap_size'];
      const read = await new LiveHeapReader(f.session, { kind: 'expression', expression: 'HEAP', orders: 16, pointerWidth: 8 }).read({
        threadId: 1,
      });
      assert.deepEqual([read.location.orders, read.location.pointerWidth], [12, 4]);
      assert.deepEqual(
        read.notes.map(n => n.message),
        [
          'the debugger reports 4-byte pointers, not the configured 8; using 4',
          'the debugger reports N = 12, not the configured 16; using 12',
        ],
      );
    });
  });

  describe('byte order read from the target', () => {
    for (const endianness of ['little', 'big'] as const) {
      it(`a ${endianness}-endian target is read as such whatever the setting says, and a contradicted setting is said once`, async () => {
        const { heap, session } = makeFixture('c', 64 * 1024, endianness);
        const other = endianness === 'little' ? 'big' : 'little';
        const reader = new LiveHeapReader(session, { kind: 'expression', expression: 'HEAP' }, { mode: 'full', endianness: other });
        const read = await reader.read({ threadId: 1 });
        assert.equal(read.location.endianness, endianness);
        assert.equal(read.snapshot.endianness, endianness);
        assert.deepEqual(read.snapshot.fields, heap.structFields());
        for (const list of heap.freeLists())
          for (const offset of list) assert.equal(read.snapshot.memory.readWord(offset), heap.image.readWord(offset));
        assert.deepEqual(
          read.notes.map(n => n.level),
          ['warning'],
        );
        assert.match(
          read.notes[0]!.message,
          new RegExp(
            `^The target is ${endianness}-endian \\(heap_size evaluates to 65536 and its bytes read ${endianness === 'little' ? '00 00 01 00' : '00 01 00 00'}\\), but buddyHeap\\.live\\.endianness says ${other}; reading it as ${endianness}-endian\\. Set buddyHeap\\.live\\.endianness to "${endianness}"`,
          ),
        );
        const again = await reader.read({ threadId: 1 });
        assert.deepEqual([again.notes, again.location.endianness], [[], endianness], 'settled: no note at the next stop');
        // Agreeing with the setting: nothing to say.
        const agreeing = await new LiveHeapReader(session, { kind: 'expression', expression: 'HEAP', endianness }).read({ threadId: 1 });
        assert.deepEqual([agreeing.notes, agreeing.location.endianness], [[], endianness]);
      });
    }

    it("an address heap (no value to compare) takes the order in which the struct is consistent, naming the entry's setting", async () => {
      const { heap, session, structAddress } = makeFixture('c', 64 * 1024, 'big');
      const read = await new LiveHeapReader(session, {
        kind: 'address',
        address: structAddress,
        offsets: C_OFFSETS,
        orders: 12,
        pointerWidth: 4,
        endianness: 'little',
      }).read({});
      assert.equal(read.location.endianness, 'big');
      assert.deepEqual(read.snapshot.fields, heap.structFields());
      assert.match(
        read.notes[0]!.message,
        /big-endian \(only big-endian reads heap_size, min_block_size and min_block_size_log2 consistently\), but the heap entry's "endianness" says little.*Set "endianness": "big" in the heap entry\./,
      );
    });

    it('undetectable (no value, an inconsistent struct): the setting is used, silently', async () => {
      const { session, structAddress } = makeFixture('c', 64 * 1024, 'big');
      session.heapSizeResult = 'Error: could not evaluate expression';
      // min_block_size no longer agrees with heap_size in either order.
      session.regions.find(r => r.start === structAddress)!.bytes[C_OFFSETS.minBlockSize + 3] = 0x07;
      const read = await new LiveHeapReader(session, { kind: 'expression', expression: 'HEAP' }, { endianness: 'little' }).read({
        threadId: 1,
      });
      assert.deepEqual([read.location.endianness, read.notes], ['little', []]);
    });

    it('a value the bytes cannot give in either order is said: the memory read is not what the debugger sees', async () => {
      const { session } = makeFixture('c');
      session.heapSizeResult = '131072';
      const read = await new LiveHeapReader(session, { kind: 'expression', expression: 'HEAP' }).read({ threadId: 1 });
      assert.equal(read.location.endianness, 'little', 'the struct itself still tells');
      assert.match(
        read.notes[0]!.message,
        /^heap_size evaluates to 131072, but its bytes at 0x20000008 read 00 00 01 00 in either byte order: the memory the adapter returns is not what the debugger sees/,
      );
    });

    it('a struct of zeros the debugger says is set up: the zeros come from the adapter, not from the program', async () => {
      const { session, structAddress } = makeFixture('c');
      session.heapSizeResult = '65536';
      session.regions.find(r => r.start === structAddress)!.bytes.fill(0);
      await rejectsWith(
        new LiveHeapReader(session, { kind: 'expression', expression: 'HEAP' }).read({ threadId: 1 }),
        'zeroed',
        /reads as zeros \(heap_size 0, no free lists\), yet the debugger evaluates heap_size as 65536: the adapter reports memory it cannot read as zeros/,
      );
    });
  });

  it('an expression that does not evaluate says so, with the expression and a fix', async () => {
    const { session } = makeFixture('c');
    await rejectsWith(
      new LiveHeapReader(session, { kind: 'expression', expression: 'HEAP2' }).read({ threadId: 1 }),
      'expression',
      /"HEAP2" does not evaluate.*could not evaluate expression.*Point the heap setting/,
    );
  });

  it("a lock() in the heap expression is never evaluated: the lock's data field is read instead", async () => {
    const { heap, session } = makeFixture('rust', 1 << 20);
    // A RefCell-like wrapper: the value sits at `.value.value`, the second spelling tried.
    session.struct = { ...session.struct!, expression: 'ALLOCATOR.0.value.value' };
    const reader = new LiveHeapReader(session, { kind: 'expression', expression: 'ALLOCATOR.0.lock().data' }, { mode: 'sparse' });
    const read = await reader.read({ threadId: 1 });
    assert.deepEqual(read.snapshot.fields, heap.structFields());
    assert.equal(read.location.label, 'ALLOCATOR.0.value.value');
    assert.ok(
      read.notes.some(n => /calls target code, so it is read as "ALLOCATOR\.0\.value\.value"/.test(n.message)),
      JSON.stringify(read.notes),
    );
    const evaluated = session.requests.filter(r => r.command === 'evaluate').map(r => String(r.args.expression));
    assert.ok(evaluated.length > 0 && evaluated.every(e => !e.includes('lock(')), `no call was evaluated: ${evaluated.join(' | ')}`);
    // The next stop re-checks the struct by the expression that found it, with no call either.
    await reader.read({ threadId: 1 });
    assert.ok(session.requests.filter(r => r.command === 'evaluate').every(r => !String(r.args.expression).includes('lock(')));
  });

  it('a heap expression calling anything else is refused before any request, with a fix', async () => {
    const { session } = makeFixture('c');
    await rejectsWith(
      new LiveHeapReader(session, { kind: 'expression', expression: 'get_heap()' }).read({ threadId: 1 }),
      'expression',
      /"get_heap\(\)" calls get_heap\(\) on the target.*never changes target memory/,
    );
    assert.equal(session.requests.filter(r => r.command === 'evaluate').length, 0);
  });

  it('evaluate is sent the printed parse, never the text as typed', async () => {
    const { heap, session } = makeFixture('c');
    const read = await new LiveHeapReader(session, { kind: 'expression', expression: '\t HEAP\r\n' }).read({ threadId: 1 });
    assert.deepEqual(read.snapshot.fields, heap.structFields());
    assert.equal(read.location.label, 'HEAP');
    const evaluated = session.requests.filter(r => r.command === 'evaluate').map(r => String(r.args.expression));
    assert.ok(evaluated.includes('&(HEAP)') && evaluated.every(e => !/[\t\r\n]|\s\s/.test(e)), evaluated.join(' | '));
    await rejectsWith(
      new LiveHeapReader(session, { kind: 'expression', expression: 'HEAP\n-exec set var x=1' }).read({ threadId: 1 }),
      'expression',
      /refused at "set" \(column 12\)/,
    );
  });

  it("when no spelling of the lock's data is a heap, the error names what was tried", async () => {
    const { session } = makeFixture('c');
    await rejectsWith(
      new LiveHeapReader(session, { kind: 'expression', expression: 'HEAP.lock()' }).read({ threadId: 1 }),
      'expression',
      /"HEAP\.data\.value" does not evaluate.*"HEAP\.lock\(\)" calls target code, which this extension never runs; tried "HEAP\.data\.value", "HEAP\.value\.value", "HEAP\.inner\.data\.value", "HEAP\.inner\.value" instead/,
    );
  });

  it('something that is not a Heap<N> is named with its type and what it lacks', async () => {
    const { session } = makeFixture('rust', 1 << 20);
    session.others.push({ expression: 'prog::ALLOCATOR', address: 0x5555_556b_0008n, typeName: 'prog::Locked<prog::Heap<16>>' });
    await rejectsWith(
      new LiveHeapReader(session, { kind: 'expression', expression: 'prog::ALLOCATOR' }).read({ threadId: 1 }),
      'notAHeap',
      /"prog::ALLOCATOR" \(type prog::Locked<prog::Heap<16>>\) is not a buddyalloc Heap<N>: it has none of the fields \(There is no member named heap_base\.\).*inner\.value/,
    );
  });

  it('a running target and a vanished adapter give their own kinds', async () => {
    const running = makeFixture('c');
    running.session.running = true;
    await rejectsWith(
      new LiveHeapReader(running.session, { kind: 'expression', expression: 'HEAP' }).read({ threadId: 1 }),
      'notStopped',
      /running/,
    );
    const gone = makeFixture('c');
    const reader = new LiveHeapReader(gone.session, { kind: 'expression', expression: 'HEAP' }, { mode: 'full' });
    gone.session.onRequest = r => {
      if (r.command === 'readMemory' && gone.session.readRequests().length === 3) gone.session.gone = true;
    };
    await rejectsWith(reader.read({ threadId: 1 }), 'disconnected', /session ended/);
  });

  it('a busy adapter ends the refresh with its own kind instead of leaving chunks unknown', async () => {
    const { session } = makeFixture('c');
    const reader = new LiveHeapReader(session, { kind: 'expression', expression: 'HEAP' }, { mode: 'full', concurrency: 1 });
    session.onRequest = r => {
      if (r.command === 'readMemory' && session.readRequests().length === 3) session.busy = 'Target is busy';
    };
    await rejectsWith(reader.read({ threadId: 1 }), 'busy', /debug adapter is busy \(readMemory: Target is busy\)/);
    assert.equal(session.readRequests().length, 3, 'no read after the busy answer');
  });

  it('an unreadable struct is an error, not a heap of zeros', async () => {
    const { session } = makeFixture('c');
    session.failing.push({ start: 0x2000_0000n, end: 0x2000_0100n });
    await rejectsWith(
      new LiveHeapReader(session, { kind: 'expression', expression: 'HEAP' }).read({ threadId: 1 }),
      'unreadable',
      /HEAP.*0x20000004.*cannot be read/,
    );
  });

  it('a struct that reads as all zeros is reported as such, not decoded as a heap', async () => {
    const { session, structAddress } = makeFixture('c');
    session.regions.find(r => r.start === structAddress)!.bytes.fill(0);
    await rejectsWith(
      new LiveHeapReader(session, { kind: 'expression', expression: 'HEAP' }).read({ threadId: 1 }),
      'zeroed',
      /"HEAP" at 0x20000004 reads as zeros \(heap_size 0, no free lists\): not initialised yet, or unmapped memory the adapter reports as zeros/,
    );
  });

  it('an address source reads with no evaluate at all', async () => {
    const { heap, session, structAddress } = makeFixture('c');
    const read = await new LiveHeapReader(session, {
      kind: 'address',
      address: structAddress,
      offsets: C_OFFSETS,
      orders: 12,
      pointerWidth: 4,
    }).read({});
    assert.deepEqual(read.snapshot.fields, heap.structFields());
    assert.ok(session.requests.every(r => r.command === 'readMemory'));
  });

  it('a static heap is located once: later stops send no evaluate or stackTrace, only the two reads at once', async () => {
    const { session } = makeFixture('c');
    const reader = new LiveHeapReader(session, { kind: 'expression', expression: 'HEAP' }, { mode: 'full', maxChunkBytes: 64 * 1024 });
    await reader.read({ threadId: 1 });
    assert.equal(
      session.requests.filter(r => r.command === 'evaluate').length,
      11,
      '&(E), five field addresses, heap_size and four sizeofs',
    );
    assert.equal(reader.location?.fixed, true);
    session.requests.length = 0;
    let inFlight = 0;
    let most = 0;
    session.delay = 1;
    session.onRequest = () => {
      most = Math.max(most, ++inFlight);
      setTimeout(() => inFlight--, 1);
    };
    const read = await reader.read({ threadId: 1 });
    assert.deepEqual(
      session.requests.map(r => r.command),
      ['readMemory', 'readMemory'],
    );
    assert.equal(most, 2, 'the struct and the heap are read concurrently');
    assert.equal(read.stats.requests, 2);
    // forgetLocation (a reloaded program, a manual refresh) finds it again.
    reader.forgetLocation();
    session.requests.length = 0;
    await reader.read({ threadId: 1 });
    assert.equal(
      session.requests.filter(r => r.command === 'evaluate').length,
      11,
      '&(E), five field addresses, heap_size and four sizeofs',
    );
  });

  it('a static whose heap region moved: the early read is dropped and the new region is read', async () => {
    const f = makeFixture('c');
    const reader = new LiveHeapReader(f.session, { kind: 'expression', expression: 'HEAP' }, { mode: 'full' });
    const first = await reader.read({ threadId: 1 });
    const oldBase = first.snapshot.fields.heapBase;
    // Move the heap: same bytes at a new base, and the struct's heap_base says so.
    const newBase = oldBase + 0x10000n;
    const heapBytes = f.session.regions.find(r => r.start === oldBase)!.bytes;
    f.session.map(newBase, heapBytes.slice());
    const structRegion = f.session.regions.find(r => r.start === f.structAddress)!;
    new DataView(structRegion.bytes.buffer, structRegion.bytes.byteOffset).setUint32(C_OFFSETS.heapBase, Number(newBase), true);
    f.session.requests.length = 0;
    const moved = await reader.read({ threadId: 1 });
    assert.equal(moved.snapshot.fields.heapBase, newBase);
    const reads = f.session.readRequests().map(r => BigInt(String(r.args.memoryReference)));
    assert.ok(reads.includes(newBase), 'the new region is read');
    assert.equal((moved.snapshot.memory as ByteImage).read(0, 16)?.join(','), heapBytes.subarray(0, 16).join(','));
  });

  it('a local (no symbol) is re-checked at each stop with one evaluate, and followed when it moves', async () => {
    const f = makeFixture('c');
    f.session.struct = { ...f.session.struct!, local: true };
    const reader = new LiveHeapReader(f.session, { kind: 'expression', expression: 'HEAP' }, { mode: 'sparse' });
    await reader.read({ threadId: 1 });
    assert.equal(reader.location?.fixed, undefined);
    f.session.requests.length = 0;
    await reader.read({ threadId: 1 });
    assert.equal(f.session.requests.filter(r => r.command === 'evaluate').length, 1);
    // The same struct bytes at another address: the reader must follow.
    const struct = f.session.regions.find(r => r.start === f.structAddress)!;
    const elsewhere = f.structAddress + 0x100n;
    f.session.map(elsewhere, struct.bytes.slice());
    f.session.struct = { ...f.session.struct, address: elsewhere };
    const moved = await reader.read({ threadId: 1 });
    assert.equal(moved.location.address, elsewhere);
  });

  it('only a plain path with a symbol counts as a static address', () => {
    assert.ok(isFixedAddress('HEAP', '0x20000004 <HEAP>'));
    assert.ok(isFixedAddress('prog::ALLOCATOR.inner.value', '0x5555556af000 <prog::ALLOCATOR::hd29b+0>'));
    assert.ok(!isFixedAddress('heap', '0x20003ff0'), 'a stack address has no symbol');
    assert.ok(!isFixedAddress('*HEAP_PTR', '0x20001040 <heap_mem+64>'), 'through a pointer it can move');
    assert.ok(!isFixedAddress('ALLOCATOR.0.lock().data', '0x20000004 <ALLOCATOR>'), 'a call can return anything');
    assert.ok(!isFixedAddress('heaps[i]', '0x20000004 <heaps>'), 'an index can change');
  });

  it('an abort stops the refresh at once and sends no more requests', async () => {
    const { session } = makeFixture('c');
    session.delay = 2;
    const controller = new AbortController();
    session.onRequest = () => {
      if (session.readRequests().length === 4) controller.abort();
    };
    const reader = new LiveHeapReader(session, { kind: 'expression', expression: 'HEAP' }, { mode: 'full', concurrency: 1 });
    await rejectsWith(reader.read({ threadId: 1 }, controller.signal), 'cancelled', /overtaken/);
    await new Promise(resolve => setTimeout(resolve, 20));
    assert.equal(session.readRequests().length, 4);
  });

  it('never writes target memory', async () => {
    const { session } = makeFixture('c');
    await new LiveHeapReader(session, { kind: 'expression', expression: 'HEAP' }).read({ threadId: 1 });
    assert.ok(session.requests.every(r => ['threads', 'stackTrace', 'evaluate', 'readMemory'].includes(r.command)));
  });
});
