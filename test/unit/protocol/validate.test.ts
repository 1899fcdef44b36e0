// The protocol's runtime validators: every message type in both directions is accepted when well
// formed and rejected, with a reason naming the field, when not.
import * as assert from 'node:assert/strict';
import type { InitMessage } from '../../../core/protocol/messages';
import { MAX_WEBVIEW_ERROR_LENGTH, validateFromWebview, validateToWebview } from '../../../core/protocol/validate';
import { PanelController } from '../../../extension/panel/panelController';
import { SimulatedHeap } from '../../../extension/simulation/simulatedHeap';

function initMessage(): InitMessage {
  const created = SimulatedHeap.create({ base: 0x2000_0000n, size: 0x1_0000n, orders: 12, pointerWidth: 4, endianness: 'little' });
  assert.ok(created.ok);
  created.simulated.allocate(64n, 8n, 'net/rx');
  created.simulated.allocate(100n, 4n);
  const sent: unknown[] = [];
  const controller = new PanelController(created.simulated, { post: m => sent.push(m), log: () => undefined, runCommand: () => undefined });
  controller.receive({ type: 'ready', protocol: 1 });
  return sent[0] as InitMessage;
}

function rejected(value: unknown): string {
  const result = validateToWebview(value);
  assert.equal(result.ok, false, 'should be rejected');
  return result.ok ? '' : result.error;
}

describe('protocol validation: host → webview', () => {
  it('accepts the init message the host sends, and updates with any subset of parts', () => {
    const init = initMessage();
    assert.equal(validateToWebview(init).ok, true);
    assert.equal(validateToWebview({ type: 'update', revision: 3 }).ok, true);
    assert.equal(validateToWebview({ type: 'update', revision: 4, view: init.view, notice: null, selection: 64 }).ok, true);
  });

  it('rejects unknown types, non-objects and missing fields', () => {
    assert.match(rejected(null), /unknown type/);
    assert.match(rejected('init'), /unknown type/);
    assert.match(rejected({ type: 'explode' }), /unknown type "explode"/);
    const { source: _source, ...noSource } = initMessage();
    assert.match(rejected(noSource), /init\.source: missing/);
  });

  it('rejects typed arrays of the wrong kind or length', () => {
    const init = initMessage();
    assert.match(
      rejected({ ...init, view: { ...init.view, blocks: { ...init.view.blocks, codes: Array.from(init.view.blocks.codes) } } }),
      /blocks\.codes: expected a Uint8Array/,
    );
    assert.match(
      rejected({ ...init, view: { ...init.view, blocks: { ...init.view.blocks, owners: new Uint16Array(1) } } }),
      /blocks\.owners: has 1 items/,
    );
  });

  it('rejects blocks that do not tile the heap, bad orders and unknown owners', () => {
    const init = initMessage();
    const codes = init.view.blocks.codes.slice();
    codes[0] = codes[0]! + 1; // one order larger: the blocks overrun the heap
    assert.match(
      rejected({ ...init, view: { ...init.view, blocks: { ...init.view.blocks, codes } } }),
      /cover \d+ bytes, not the heap's 65536|bad order/,
    );
    const tooHigh = init.view.blocks.codes.slice();
    tooHigh[0] = 12;
    assert.match(
      rejected({ ...init, view: { ...init.view, blocks: { ...init.view.blocks, codes: tooHigh } } }),
      /blocks: block 0 has a bad order, state or owner/,
    );
    const owners = init.view.blocks.owners.slice();
    owners[0] = 9;
    assert.match(
      rejected({ ...init, view: { ...init.view, blocks: { ...init.view.blocks, owners } } }),
      /blocks: block 0 has a bad order, state or owner/,
    );
    // The one bad block is named wherever it is: a state past "unknown", the last block's owner.
    const last = init.view.blocks.count - 1;
    const badState = init.view.blocks.codes.slice();
    badState[last] = (badState[last]! & 31) | (3 << 5);
    assert.match(
      rejected({ ...init, view: { ...init.view, blocks: { ...init.view.blocks, codes: badState } } }),
      new RegExp(`blocks: block ${last} has a bad order, state or owner`),
    );
    const lastOwner = init.view.blocks.owners.slice();
    lastOwner[last] = init.view.ownerLabels.length + 1;
    assert.match(
      rejected({ ...init, view: { ...init.view, blocks: { ...init.view.blocks, owners: lastOwner } } }),
      new RegExp(`blocks: block ${last} has a bad order, state or owner`),
    );
  });

  it('rejects an allocation that names a block past the table', () => {
    const init = initMessage();
    const blocks = init.view.allocations.blocks.slice();
    blocks[1] = init.view.blocks.count;
    assert.match(
      rejected({ ...init, view: { ...init.view, allocations: { ...init.view.allocations, blocks } } }),
      /view\.allocations\.blocks\[1\]: no such block/,
    );
  });

  it('rejects addresses that are not lowercase hex, and a current step past the history', () => {
    const init = initMessage();
    assert.match(
      rejected({ ...init, view: { ...init.view, layout: { ...init.view.layout, base: '536870912' } } }),
      /layout\.base: expected lowercase 0x hex/,
    );
    assert.match(rejected({ ...init, history: { ...init.history, current: 99 } }), /history\.current: step 99 is past/);
  });

  it('rejects a diff with an unknown change kind', () => {
    const init = initMessage();
    const diff = {
      fromStep: 0,
      toStep: 1,
      count: 1,
      offsets: Float64Array.of(0),
      orders: Uint8Array.of(0),
      kinds: Uint8Array.of(7),
      summary: '',
    };
    assert.match(rejected({ type: 'update', revision: 1, diff }), /kinds\[0\]: no such change kind/);
    assert.equal(validateToWebview({ type: 'update', revision: 1, diff: { ...diff, kinds: Uint8Array.of(4) } }).ok, true);
    void init;
  });

  it('accepts a refused view (no blocks, size 0) so its findings can still be shown', () => {
    const init = initMessage();
    const refused = {
      ...init.view,
      layout: { ...init.view.layout, size: 0, orders: 0, minBlockSize: 0 },
      blocks: { count: 0, codes: new Uint8Array(0), owners: new Uint16Array(0) },
      freeLists: [],
      allocations: { count: 0, blocks: new Uint32Array(0), sizes: new Float64Array(0), alignLog2: new Uint8Array(0) },
      findings: [{ kind: 'BadHeapSize', severity: 'error' as const, message: 'heap_size 3 is not a power of two' }],
    };
    assert.equal(validateToWebview({ ...init, view: refused }).ok, true);
  });
});

describe('protocol validation: webview → host', () => {
  const good = [
    { type: 'ready', protocol: 1 },
    { type: 'selectBlock', offset: 64 },
    { type: 'selectBlock', offset: null },
    { type: 'stepTo', step: 3 },
    { type: 'compareWith', step: null },
    { type: 'compareWith', step: 2 },
    { type: 'freeBlock', offset: 128 },
    { type: 'runCommand', command: 'simulateAllocation' },
    { type: 'dismissNotice' },
    { type: 'rendered', revision: 2, step: 1, blocks: 10, freeBlocks: 4, findings: 0, selection: null, notice: null },
    { type: 'webviewError', message: 'boom' },
  ];
  for (const message of good) {
    it(`accepts ${JSON.stringify(message)}`, () => assert.deepEqual(validateFromWebview(message), { ok: true, value: message }));
  }

  const bad: [unknown, RegExp][] = [
    [undefined, /expected an object with a string "type"/],
    [{ type: 'ready' }, /ready\.protocol: missing/],
    [{ type: 'selectBlock', offset: -1 }, /below 0/],
    [{ type: 'selectBlock', offset: 1.5 }, /whole number/],
    [{ type: 'stepTo', step: '3' }, /expected a finite number/],
    [{ type: 'freeBlock', offset: Infinity }, /finite number/],
    [{ type: 'runCommand', command: 'workbench.action.quit' }, /expected one of simulateAllocation/],
    [{ type: 'toString' }, /unknown type "toString"/],
    [{ type: '__proto__' }, /unknown type/],
  ];
  for (const [message, reason] of bad) {
    it(`rejects ${JSON.stringify(message) ?? 'undefined'}`, () => {
      const result = validateFromWebview(message);
      assert.equal(result.ok, false);
      assert.match(result.ok ? '' : result.error, reason);
    });
  }
});

describe('protocol validation: bounds of webview input', () => {
  const heap = { heapSize: 0x1_0000, minBlockSize: 32 };
  const bounds = () => heap;

  it('takes a block offset only on a block boundary inside the heap shown', () => {
    for (const offset of [0, 32, 64, heap.heapSize - heap.minBlockSize, null]) {
      assert.equal(validateFromWebview({ type: 'selectBlock', offset }, bounds).ok, true, String(offset));
    }
    const refusals: [number, RegExp][] = [
      [heap.heapSize, /65536 is past the end of the 65536-byte heap/],
      [2 ** 52, /past the end/],
      [Number.MAX_SAFE_INTEGER, /past the end/],
      [33, /33 is not on a 32-byte block boundary/],
    ];
    for (const [offset, reason] of refusals) {
      const result = validateFromWebview({ type: 'selectBlock', offset }, bounds);
      assert.equal(result.ok, false, String(offset));
      assert.match(result.ok ? '' : result.error, reason);
      assert.equal(validateFromWebview({ type: 'freeBlock', offset }, bounds).ok, false, `freeBlock ${offset}`);
    }
    const refused = validateFromWebview({ type: 'selectBlock', offset: 0 }, () => ({ heapSize: 0, minBlockSize: 0 }));
    assert.match(refused.ok ? '' : refused.error, /the heap shown has no blocks/);
  });

  it('bounds a webview error message', () => {
    const longest = 'e'.repeat(MAX_WEBVIEW_ERROR_LENGTH);
    assert.equal(validateFromWebview({ type: 'webviewError', message: longest }).ok, true);
    const flood = validateFromWebview({ type: 'webviewError', message: 'e'.repeat(10 << 20) });
    assert.equal(flood.ok, false);
    const error = flood.ok ? '' : flood.error;
    assert.match(error, /webviewError\.message: 10485760 characters, more than 8192/);
    assert.ok(error.length < 200, 'the rejection itself is short');
  });

  it('the panel checks offsets against the heap it shows, and logs a bounded line for a flood', () => {
    const created = SimulatedHeap.create({ base: 0x2000_0000n, size: 0x1_0000n, orders: 12, pointerWidth: 4, endianness: 'little' });
    assert.ok(created.ok);
    const logs: string[] = [];
    const controller = new PanelController(created.simulated, {
      post: () => undefined,
      log: m => logs.push(m),
      runCommand: () => undefined,
    });
    controller.receive({ type: 'ready', protocol: 1 });
    controller.receive({ type: 'selectBlock', offset: 64 });
    controller.receive({ type: 'selectBlock', offset: 0x1_0000 });
    assert.equal(controller.selectedOffset, 64, 'an offset past the heap leaves the selection alone');
    assert.match(logs[0]!, /rejected a message from the heap panel: selectBlock\.offset: 65536 is past the end of the 65536-byte heap/);
    controller.receive({ type: 'webviewError', message: 'x'.repeat(1 << 20) });
    assert.equal(logs.length, 2);
    assert.ok(logs[1]!.length < 200, logs[1]!.slice(0, 200));
  });
});
