// Reading gdb's result strings and the user's heap settings.
import * as assert from 'node:assert/strict';
import { orderOfValue } from '../../../extension/dap/byteOrder';
import { arrayLengthFromType, leadingAddress, leadingInteger, resultFailure } from '../../../extension/dap/evaluateResult';
import { parseHeapSpec } from '../../../extension/dap/heapSpec';
import { classifyRequestError } from '../../../extension/dap/liveErrors';
import { chunkRanges } from '../../../extension/dap/memoryReader';
import { readablePart } from '../../../extension/dap/readableBytes';
import { groupRanges, wordWindows } from '../../../extension/dap/sparseWalk';

describe('live: parsing', () => {
  it('takes the address before any symbol suffix', () => {
    assert.equal(leadingAddress('0x20000008 <HEAP+4>'), 0x20000008n);
    assert.equal(leadingAddress('0x20001000 <heap_mem> ""'), 0x20001000n);
    assert.equal(leadingAddress('0x0 <vectors>'), 0n);
    assert.equal(leadingAddress('(*mut usize) 0x5555556af088 <prog::ALLOCATOR::hd29b2676a0f074c4+136>'), 0x5555556af088n);
    assert.equal(leadingAddress('{...}'), undefined);
  });

  it('reads integers with a char rendering or a Rust suffix, and N from array types', () => {
    assert.equal(leadingInteger('64'), 64n);
    assert.equal(leadingInteger("5 '\\005'"), 5n);
    assert.equal(leadingInteger('16usize'), 16n);
    assert.equal(leadingInteger('0x10'), 16n);
    assert.equal(leadingInteger('[12]'), undefined);
    assert.equal(arrayLengthFromType('FreeBlock *(*)[12]'), 12);
    assert.equal(arrayLengthFromType('*mut [*mut prog::FreeBlock; 16]'), 16);
    assert.equal(arrayLengthFromType('size_t *'), undefined);
  });

  it("treats gdb's success-with-error results as failures", () => {
    assert.match(resultFailure('Error: could not evaluate expression') ?? '', /could not evaluate/);
    assert.match(resultFailure('') ?? '', /empty/);
    assert.match(resultFailure('<optimized out>') ?? '', /optimized/);
    assert.equal(resultFailure('0x20000004 <HEAP>'), undefined);
  });

  it('classifies adapter errors', () => {
    assert.equal(
      classifyRequestError('readMemory', new Error('Cannot execute this command while the selected thread is running.')).kind,
      'notStopped',
    );
    assert.equal(classifyRequestError('readMemory', new Error('Debug adapter exited (code 1)')).kind, 'disconnected');
    assert.equal(classifyRequestError('readMemory', new Error('Unable to read memory. (@ 0x30000000)')).kind, 'adapter');
    for (const running of [
      'Cannot execute this command while the target is running.',
      'Target not halted',
      'not stopped',
      'Process is running.',
    ]) {
      assert.equal(classifyRequestError('evaluate', new Error(running)).kind, 'notStopped', running);
    }
    // lldb-dap 22 while the process runs (shared notes stacks-and-cores.md §5), and Cortex-Debug's answer to any request then.
    assert.equal(classifyRequestError('readMemory', new Error('notStopped')).kind, 'notStopped');
    assert.equal(classifyRequestError('threads', new Error('notStopped')).kind, 'notStopped');
    assert.equal(classifyRequestError('stackTrace', new Error('invalid thread')).kind, 'notStopped');
    assert.equal(classifyRequestError('evaluate', new Error("can't evaluate expressions when the process is running.")).kind, 'notStopped');
    for (const command of ['evaluate', 'readMemory', 'stackTrace'])
      assert.equal(classifyRequestError(command, new Error('Busy')).kind, 'notStopped');
    // Elsewhere "invalid thread" is the adapter's error, not a running target.
    assert.equal(classifyRequestError('evaluate', new Error('invalid thread')).kind, 'adapter');
    for (const busy of [
      'Target is busy',
      'Device or resource busy (EBUSY)',
      'Adapter busy: another request is in progress',
      'another command is running',
    ]) {
      const error = classifyRequestError('readMemory', new Error(busy));
      assert.equal(error.kind, 'busy', busy);
      assert.match(error.message, /debug adapter is busy \(readMemory: .*\), so the heap was not read at this stop; .*Refresh Live Heap/);
    }
  });

  it('trusts no byte of a readMemory answer that unreadableBytes covers, whether the data stops or is padded', () => {
    const data = new Uint8Array(16).fill(7);
    const part = (address: bigint, length: number, unreadableBytes: number) =>
      readablePart({ address, data: data.subarray(0, length), unreadableBytes }, 0x1000n, 16);
    assert.equal(part(0x1000n, 16, 0).data.length, 16);
    assert.equal(part(0x1000n, 10, 6).data.length, 10, 'lldb-dap: short data, the rest unreadable');
    assert.equal(part(0x1000n, 16, 6).data.length, 10, 'zeros padded in for the unreadable bytes are dropped');
    assert.equal(part(0x1000n, 4, 6).data.length, 4, 'DAP: unreadable bytes after the data, more may follow');
    assert.equal(part(0x1000n, 16, 40).data.length, 0, 'more unreadable than asked: nothing');
    const moved = part(0x1004n, 12, 4);
    assert.deepEqual([moved.address, moved.data.length], [0x1004n, 8], 'a moved start keeps its address; the unreadable tail is still cut');
  });

  it('tells the byte order from a value only when exactly one order gives it', () => {
    assert.equal(orderOfValue(Uint8Array.of(0, 0, 1, 0), 65536n), 'little');
    assert.equal(orderOfValue(Uint8Array.of(0, 1, 0, 0), 65536n), 'big');
    assert.equal(orderOfValue(Uint8Array.of(0, 0, 0, 0, 0, 0, 0x10, 0), 1n << 52n), 'little');
    assert.equal(orderOfValue(Uint8Array.of(0, 0, 0, 0), 0n), undefined, 'zero tells nothing');
    assert.equal(orderOfValue(Uint8Array.of(1, 0, 0, 1), 0x01000001n), undefined, 'a palindrome tells nothing');
    assert.equal(orderOfValue(Uint8Array.of(0, 0, 1, 0), 4096n), 'neither');
  });

  it('parses heap settings and explains bad ones', () => {
    assert.deepEqual(parseHeapSpec('HEAP'), { ok: true, source: { kind: 'expression', expression: 'HEAP' } });
    assert.deepEqual(parseHeapSpec({ expression: ' HEAP ', endianness: 'big' }), {
      ok: true,
      source: { kind: 'expression', expression: 'HEAP', endianness: 'big' },
    });
    const address = parseHeapSpec({
      address: '0x20000004',
      orders: 12,
      pointerWidth: 4,
      offsets: { heapBase: 0, heapSize: 4, freeLists: 8, minBlockSize: '0x38', minBlockSizeLog2: 60 },
    });
    assert.ok(
      address.ok &&
        address.source.kind === 'address' &&
        address.source.address === 0x20000004n &&
        address.source.offsets.minBlockSize === 56,
    );
    const overlap = parseHeapSpec({
      address: 4096,
      orders: 12,
      pointerWidth: 4,
      offsets: { heapBase: 0, heapSize: 4, freeLists: 8, minBlockSize: 40, minBlockSizeLog2: 60 },
    });
    assert.ok(!overlap.ok && /free_lists.*overlaps min_block_size/.test(overlap.message));
    const noOffsets = parseHeapSpec({ address: 4096, orders: 12, pointerWidth: 4 });
    assert.ok(!noOffsets.ok && /offsets/.test(noOffsets.message));
    assert.ok(!parseHeapSpec({ address: 4096, orders: 40, pointerWidth: 4 }).ok);
    assert.ok(!parseHeapSpec({ expression: 'HEAP', endianness: 'middle' }).ok);
    // Calls would run on the target: a lock() is read through its data field later, anything else is refused now.
    assert.ok(parseHeapSpec('ALLOCATOR.0.lock().data').ok);
    const call = parseHeapSpec({ expression: 'heap_for(cpu)' });
    assert.ok(!call.ok && /calls heap_for\(cpu\) on the target/.test(call.message), JSON.stringify(call));
    assert.deepEqual(parseHeapSpec({ expression: 'HEAP', orders: '16', pointerWidth: 8 }), {
      ok: true,
      source: { kind: 'expression', expression: 'HEAP', orders: 16, pointerWidth: 8 },
    });
    const badWidth = parseHeapSpec({ expression: 'HEAP', pointerWidth: 2 });
    assert.ok(!badWidth.ok && badWidth.message === '"pointerWidth" must be 4 or 8, not 2.');
    const badOrders = parseHeapSpec({ expression: 'HEAP', orders: 0 });
    assert.ok(!badOrders.ok && /"orders" \(N, the number of free lists\) must be 1 to 32, not 0/.test(badOrders.message));
    const noOrders = parseHeapSpec({ address: 4096, pointerWidth: 4 });
    assert.ok(!noOrders.ok && /An address heap setting needs "orders"/.test(noOrders.message));
    assert.ok(!parseHeapSpec(42).ok);
  });

  it('chunks never exceed the limit and words close together share a range', () => {
    const chunks = chunkRanges([{ offset: 100, length: 10000 }], 4096);
    assert.deepEqual(
      chunks.map(c => [c.offset, c.length]),
      [
        [100, 3996],
        [4096, 4096],
        [8192, 1908],
      ],
    );
    const words = (offsets: number[]) => offsets.map(offset => ({ offset, length: 4 }));
    assert.deepEqual(groupRanges(words([512, 0, 64, 8192]), { maxChunkBytes: 4096, gapBytes: 256 }), [
      { offset: 0, length: 68 },
      { offset: 512, length: 4 },
      { offset: 8192, length: 4 },
    ]);
    assert.deepEqual(groupRanges(words([0, 4000, 4092]), { maxChunkBytes: 4096, gapBytes: 8192 }), [{ offset: 0, length: 4096 }]);
    assert.deepEqual(groupRanges(words([0, 4096]), { maxChunkBytes: 4096, gapBytes: 8192 }), [
      { offset: 0, length: 4 },
      { offset: 4096, length: 4 },
    ]);
    const windows = { maxChunkBytes: 4096, gapBytes: 0, windowBytes: 256 };
    assert.deepEqual(wordWindows([300, 260, 9000], 4, 65536, windows), [
      { offset: 256, length: 256 },
      { offset: 8960, length: 256 },
    ]);
    assert.deepEqual(wordWindows([510], 4, 65536, windows), [{ offset: 256, length: 258 }], 'a misaligned word crossing the window end');
    assert.deepEqual(wordWindows([65530], 8, 65536, windows), [{ offset: 65280, length: 256 }], 'clipped to the heap');
    assert.deepEqual(wordWindows([8], 4, 65536, { ...windows, windowBytes: 1 }), [{ offset: 8, length: 4 }], 'never less than a word');
  });
});
