// Every Buddy Heap command end to end in a real extension host: arguments and quick inputs
// (answered by the test), invalid inputs, the fragmentation explanation, the panel's rendered
// state, and export → replay reproducing the same heap.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { hex } from '../../../core/layout';
import type { HeapDebugger } from '../../../extension/heapDebugger';
import { activeApp, rendered, run, stubPrompts, useLayout, workspaceUri } from './support';

const REPO_ROOT = path.resolve(__dirname, '..', '..', '..', '..');

function freeLists(app: HeapDebugger): string[][] {
  const heap = app.simulation.heap;
  return heap.freeLists().map(list => list.map(offset => hex(heap.address(offset))));
}

describe('Buddy Heap commands', function () {
  this.timeout(60_000);
  let app: HeapDebugger;

  before(async () => {
    app = await activeApp();
  });

  it('activation picked up the workspace layout file (board.buddyheap.json)', () => {
    assert.deepEqual(app.simulation.layout, { base: 0x2000_0000n, size: 0x8000n, orders: 10, pointerWidth: 4, endianness: 'little' });
  });

  it('Open Heap Panel opens the panel and the webview renders the heap', async () => {
    const result = await run('buddyHeap.openPanel');
    assert.equal(result.ok, true);
    assert.ok(app.panel);
    const r = await rendered(app, x => x.blocks >= 1);
    assert.equal(r.blocks, app.simulation.current().view.blocks.count);
  });

  it('Configure Heap Layout with arguments starts a new heap; an invalid layout is explained', async () => {
    await useLayout({ base: '0x20000000', size: '64k', orders: 12, pointerWidth: 4, endianness: 'little' });
    assert.equal(app.simulation.layout.size, 0x1_0000n);
    const prompts = stubPrompts();
    try {
      const bad = await run<{ field: string }>('buddyHeap.configureLayout', { base: '0x20000010', save: false });
      assert.equal(bad.ok, false);
      assert.equal(bad.error, 'BadBaseAlignment');
      assert.equal(bad.field, 'base');
      assert.match(bad.message!, /aligned to 4096 bytes \(MIN_HEAP_ALIGN\)/);
      assert.match(prompts.recorded.errors[0]!, /The layout is invalid \(BadBaseAlignment\)/);
      const tooSmall = await run('buddyHeap.configureLayout', { size: '256', orders: 8, save: false });
      assert.equal(tooSmall.error, 'MinBlockTooSmall');
      assert.match(tooSmall.message!, /cannot hold its next pointer/);
    } finally {
      prompts.restore();
    }
    assert.equal(app.simulation.layout.size, 0x1_0000n, 'a refused layout changes nothing');
  });

  it('Configure Heap Layout through quick inputs, saved to the settings', async () => {
    const prompts = stubPrompts({
      inputs: ['0x20000000', '4k', '6'],
      picks: [items => items.find(i => i === '8'), items => items.find(i => i === 'big')],
    });
    try {
      const result = await run('buddyHeap.configureLayout');
      assert.equal(result.ok, true, JSON.stringify(result));
      assert.deepEqual(app.simulation.layout, { base: 0x2000_0000n, size: 4096n, orders: 6, pointerWidth: 8, endianness: 'big' });
      // The inputs say why a value is refused while it is typed.
      const base = prompts.recorded.inputs[0]!;
      assert.match(String(await base.validateInput!('0x20000010')), /aligned to 4096/);
      assert.match(String(await base.validateInput!('elsewhere')), /must be a number/);
      // N against the 4 KiB typed before it: no pointer fits 2-byte blocks; 4-byte ones fit only 4-byte pointers.
      const orders = prompts.recorded.inputs[2]!;
      assert.match(String(await orders.validateInput!('12')), /smaller than a pointer.*\(2 B with 12 orders\)/);
      assert.equal(
        ((await orders.validateInput!('11')) as vscode.InputBoxValidationMessage).severity,
        vscode.InputBoxValidationSeverity.Warning,
      );
      assert.equal(
        ((await orders.validateInput!('6')) as vscode.InputBoxValidationMessage).severity,
        vscode.InputBoxValidationSeverity.Info,
      );
      const config = vscode.workspace.getConfiguration('buddyHeap');
      assert.equal(config.get('layout.size'), '0x1000');
      assert.equal(config.get('layout.pointerWidth'), 8);
    } finally {
      prompts.restore();
      const config = vscode.workspace.getConfiguration('buddyHeap');
      for (const field of ['base', 'size', 'orders', 'pointerWidth', 'endianness'])
        await config.update(`layout.${field}`, undefined, vscode.ConfigurationTarget.Workspace);
    }
  });

  it('changed layout settings offer to restart the simulated heap with them', async () => {
    await useLayout({ size: '64k', orders: 12 });
    const offered: string[] = [];
    const prompts = stubPrompts({
      info: (message, actions) => {
        offered.push(message);
        return actions[0];
      },
    });
    const config = vscode.workspace.getConfiguration('buddyHeap');
    try {
      await config.update('layout.size', '0x2000', vscode.ConfigurationTarget.Workspace);
      await config.update('layout.orders', 8, vscode.ConfigurationTarget.Workspace);
      // Two writes are debounced into one offer unless the machine is slow enough to see them
      // apart; either way the last offer names the final layout.
      const deadline = Date.now() + 10_000;
      while ((app.simulation.layout.size !== 0x2000n || app.simulation.layout.orders !== 8) && Date.now() < deadline)
        await new Promise(r => setTimeout(r, 100));
      assert.match(
        offered[offered.length - 1] ?? '',
        /the heap layout in settings \(buddyHeap\.layout\.\*\) changed \(0x2000 bytes at 0x20000000, 8 orders\)/,
      );
      assert.equal(app.simulation.layout.size, 0x2000n);
      assert.equal(app.simulation.layout.orders, 8);
    } finally {
      prompts.restore();
      for (const field of ['size', 'orders']) await config.update(`layout.${field}`, undefined, vscode.ConfigurationTarget.Workspace);
      await new Promise(r => setTimeout(r, 600)); // let the watcher settle (its offer goes unanswered)
    }
  });

  it('Simulate Allocation with arguments: the block, the history and the panel follow', async () => {
    await useLayout({ size: '64k', orders: 12 });
    await run('buddyHeap.openPanel');
    const result = await run<{ address: string; order: number }>('buddyHeap.simulateAllocation', {
      size: '64',
      align: '8',
      owner: 'net/rx',
    });
    assert.deepEqual(result, { ok: true, address: '0x20000000', offset: 0, order: 1 });
    const second = await run<{ address: string }>('buddyHeap.simulateAllocation', { size: '0x40', align: 8, owner: 'net/rx' });
    assert.equal(second.address, '0x20000040');
    const third = await run<{ address: string }>('buddyHeap.simulateAllocation', { size: '1k' });
    assert.equal(third.address, '0x20000400');
    const r = await rendered(app, x => x.step === 3);
    assert.equal(
      r.blocks,
      app.simulation.current().view.blocks.count + 1,
      'the two 64 B allocations shown apart (the decoder sees one span)',
    );
    assert.deepEqual(
      app.simulation.heap.liveAllocations().map(a => a.owner),
      ['net/rx', 'net/rx', undefined],
    );
  });

  it('Simulate Allocation through quick inputs (64, 0x40, 1k spellings), cancel, and input checks', async () => {
    await useLayout({ size: '64k', orders: 12 });
    const prompts = stubPrompts({ inputs: ['1k', '0x40', 'task:logger'] });
    try {
      const result = await run<{ address: string; order: number }>('buddyHeap.simulateAllocation');
      assert.equal(result.ok, true, JSON.stringify(result));
      assert.equal(result.address, '0x20000000');
      assert.equal(app.simulation.heap.liveAllocations()[0]!.owner, 'task:logger');
      assert.equal(app.simulation.heap.liveAllocations()[0]!.size, 1024n);
      const [size, align, owner] = prompts.recorded.inputs;
      assert.match(String(await size!.validateInput!('lots')), /must be a number: 64, 0x40 or 1k/);
      assert.equal(await size!.validateInput!('64'), undefined);
      const warning = (await align!.validateInput!('24')) as vscode.InputBoxValidationMessage;
      assert.equal(warning.severity, vscode.InputBoxValidationSeverity.Warning);
      assert.match(warning.message, /not a power of two/);
      assert.match(String(await owner!.validateInput!('two words')), /cannot contain spaces/);
    } finally {
      prompts.restore();
    }
    const cancel = stubPrompts({ inputs: [undefined] });
    try {
      assert.deepEqual(await run('buddyHeap.simulateAllocation'), { ok: false, error: 'Cancelled' });
    } finally {
      cancel.restore();
    }
  });

  it('Simulate Allocation refuses bad input and explains too large and bad alignment', async () => {
    await useLayout({ size: '64k', orders: 12 });
    await run('buddyHeap.openPanel');
    const prompts = stubPrompts();
    try {
      const notANumber = await run('buddyHeap.simulateAllocation', { size: 'lots', align: '8' });
      assert.deepEqual([notANumber.ok, notANumber.error], [false, 'InvalidInput']);
      const badOwner = await run('buddyHeap.simulateAllocation', { size: '8', owner: 'a b' });
      assert.equal(badOwner.error, 'InvalidInput');
      const tooLarge = await run('buddyHeap.simulateAllocation', { size: '128k', align: '8' });
      assert.equal(tooLarge.error, 'InvalidSize(TooLarge)');
      assert.match(tooLarge.message!, /more than the whole heap \(64 KiB\)/);
      const badAlign = await run('buddyHeap.simulateAllocation', { size: '64', align: '24' });
      assert.equal(badAlign.error, 'InvalidSize(BadAlignment)');
      assert.match(prompts.recorded.errors.join('\n'), /alignment 24 is not a power of two/);
      const r = await rendered(app, x => x.notice === 'InvalidSize(BadAlignment)');
      assert.equal(r.notice, 'InvalidSize(BadAlignment)');
    } finally {
      prompts.restore();
    }
  });

  it('a fragmented heap: the failure says fragmentation, names the blocks in the way, in the panel and a notification', async () => {
    await useLayout({ size: '1k', orders: 5 });
    await run('buddyHeap.openPanel');
    for (let i = 0; i < 16; i++)
      assert.equal((await run('buddyHeap.simulateAllocation', { size: 64, align: 64, owner: i === 8 ? 'dma' : 'pin' })).ok, true);
    for (let i = 1; i < 16; i++) {
      if (i === 8) continue;
      assert.equal((await run('buddyHeap.simulateDeallocation', { address: hex(0x2000_0000 + i * 64) })).ok, true);
    }
    const prompts = stubPrompts();
    try {
      const result = await run('buddyHeap.simulateAllocation', { size: '512', align: '8', owner: 'big' });
      assert.equal(result.ok, false);
      assert.equal(result.error, 'HeapExhausted');
      assert.match(result.message!, /although 896 B is free: the heap is fragmented/);
      assert.match(result.message!, /blocks standing in the way are 0x20000000 \(64 B, pin\)/);
      assert.match(prompts.recorded.errors[0]!, /^HeapExhausted \(fragmentation\): /);
      const r = await rendered(app, x => x.notice === 'HeapExhausted (fragmentation)');
      assert.equal(r.step, 16 + 14 + 1);
    } finally {
      prompts.restore();
    }
  });

  it('Simulate Deallocation from the quick pick (address, size, owner shown), and refusals', async () => {
    await useLayout({ size: '64k', orders: 12 });
    await run('buddyHeap.simulateAllocation', { size: '64', align: '8', owner: 'net/rx' });
    await run('buddyHeap.simulateAllocation', { size: '200', align: '4', owner: 'task:logger' });
    const prompts = stubPrompts({ picks: [items => items.find((i: vscode.QuickPickItem) => i.label === '0x20000100')] });
    try {
      const result = await run('buddyHeap.simulateDeallocation');
      assert.deepEqual(result, { ok: true, address: '0x20000100' });
      const items = prompts.recorded.picks[0]!.items as vscode.QuickPickItem[];
      assert.deepEqual(items.map(i => i.label).sort(), ['0x20000000', '0x20000100']);
      const logger = items.find(i => i.label === '0x20000100')!;
      assert.match(logger.description!, /256 B block \(order 3\) · size 200, align 4/);
      assert.equal(logger.detail, 'owner: task:logger');
      const notAllocated = await run('buddyHeap.simulateDeallocation', { address: '0x20000100' });
      assert.equal(notAllocated.error, 'DoubleFree');
      const mismatch = await run('buddyHeap.simulateDeallocation', { address: '0x20000000', size: '128', align: '8' });
      assert.equal(mismatch.error, 'LayoutMismatch');
      assert.match(mismatch.message!, /allocated with size 64 align 8/);
      assert.equal((await run('buddyHeap.simulateDeallocation', { address: 'nowhere' })).error, 'InvalidInput');
    } finally {
      prompts.restore();
    }
  });

  it('Simulate Deallocation with nothing allocated says so instead of showing an empty pick', async () => {
    await useLayout({ size: '4k', orders: 6 });
    const prompts = stubPrompts();
    try {
      const result = await run('buddyHeap.simulateDeallocation');
      assert.deepEqual(result, { ok: false, error: 'NothingAllocated' });
      assert.equal(prompts.recorded.picks.length, 0, 'no quick pick is shown');
      assert.match(prompts.recorded.infos.join('\n'), /nothing is allocated in the simulated heap/);
      assert.equal(app.simulation.history().total, 1, 'nothing was added to the history');
    } finally {
      prompts.restore();
    }
  });

  it('Reset Heap returns to one free block with an empty history', async () => {
    await run('buddyHeap.simulateAllocation', { size: '64' });
    assert.deepEqual(await run('buddyHeap.resetHeap'), { ok: true });
    assert.equal(app.simulation.history().total, 1);
    const r = await rendered(app, x => x.step === 0 && x.blocks === 1);
    assert.equal(r.freeBlocks, 1);
  });

  it('Export Trace then Replay Trace File reproduces the same heap (and buddy-heap replay agrees)', async () => {
    await useLayout({ size: '64k', orders: 12 });
    const a = await run<{ address: string }>('buddyHeap.simulateAllocation', { size: '64', align: '8', owner: 'net/rx' });
    await run('buddyHeap.simulateAllocation', { size: '3000', align: '16', owner: 'fs' });
    await run('buddyHeap.simulateAllocation', { size: '100', align: '4' });
    await run('buddyHeap.simulateDeallocation', { address: a.address });
    await run('buddyHeap.simulateAllocation', { size: '512', align: '512', owner: 'dma' });
    const expected = freeLists(app);
    const exported = await run<{ path: string; text: string }>('buddyHeap.exportTrace', { path: 'session.trace' });
    assert.equal(exported.ok, true);
    assert.equal(fs.readFileSync(exported.path, 'utf8'), exported.text);
    await run('buddyHeap.resetHeap');
    const replayed = await run<{ freeLists: string[][]; operations: number }>('buddyHeap.replayTrace', {
      path: 'session.trace',
      mode: 'all',
    });
    assert.equal(replayed.ok, true, JSON.stringify(replayed));
    assert.equal(replayed.operations, 5);
    assert.deepEqual(replayed.freeLists, expected);
    assert.deepEqual(
      app.simulation.heap
        .liveAllocations()
        .map(x => x.owner ?? '-')
        .sort(),
      ['-', 'dma', 'fs'],
      'owners come back from the trace',
    );
    // The exported file also replays in the CLI (npm test builds dist/cli.js before this layer).
    const cli = path.join(REPO_ROOT, 'dist', 'cli.js');
    assert.ok(fs.existsSync(cli), `${cli} is missing: run npm run build`);
    const lines = execFileSync(process.execPath, [cli, 'replay', exported.path, '--json'], { encoding: 'utf8' })
      .trim()
      .split('\n')
      .map(l => JSON.parse(l) as { op: string; freeLists?: string[][] });
    assert.deepEqual(lines[lines.length - 1]!.freeLists, expected);
  });

  it('Replay Trace File step by step starts at the fresh heap; the panel steps through it', async () => {
    await run('buddyHeap.openPanel');
    const result = await run<{ step: number; operations: number; failed: number }>('buddyHeap.replayTrace', {
      path: 'traces/fragmentation.trace',
      mode: 'step',
    });
    assert.equal(result.ok, true, JSON.stringify(result));
    assert.deepEqual([result.step, result.operations, result.failed], [0, 31, 1]);
    assert.equal(app.simulation.history().total, 32);
    await rendered(app, x => x.step === 0 && x.blocks === 1);
    // The panel's history controls step through it (the webview's stepTo intent).
    app.panel!.controller.receive({ type: 'stepTo', step: 31 });
    const last = await rendered(app, x => x.step === 31);
    assert.equal(last.freeBlocks, 6);
    assert.match(app.simulation.history().entry(31).detail, /fragmented/);
  });

  it('Replay Trace File through the open dialog and the mode pick; a malformed trace is refused with its line', async () => {
    const prompts = stubPrompts({ open: [workspaceUri('traces', 'fragmentation.trace')], picks: [items => items[0]] });
    try {
      const result = await run<{ step: number }>('buddyHeap.replayTrace');
      assert.equal(result.ok, true, JSON.stringify(result));
      assert.equal(result.step, 31);
      assert.deepEqual(
        (prompts.recorded.picks[0]!.items as vscode.QuickPickItem[]).map(i => i.label),
        ['All at once', 'Step by step'],
      );
      const broken = await run('buddyHeap.replayTrace', { path: 'traces/broken.trace' });
      assert.equal(broken.error, 'SyntaxError');
      assert.match(broken.message!, /line 2/);
      assert.match(prompts.recorded.errors.join('\n'), /line 2/);
    } finally {
      prompts.restore();
    }
  });

  it('Export Trace through the save dialog', async () => {
    const target = workspaceUri('dialog.trace');
    const prompts = stubPrompts({ save: target });
    try {
      const result = await run<{ path: string }>('buddyHeap.exportTrace');
      assert.equal(result.ok, true);
      assert.ok(fs.readFileSync(target.fsPath, 'utf8').includes('heap 1024 orders=5'));
      assert.match(prompts.recorded.infos.join('\n'), /buddy-heap replay dialog\.trace/);
    } finally {
      prompts.restore();
    }
  });

  it('Replay Trace File explains an invalid heap line in words and keeps the current heap', async () => {
    await useLayout({ size: '64k', orders: 12 });
    await run('buddyHeap.simulateAllocation', { size: '64' });
    const before = app.simulation.history().total;
    const prompts = stubPrompts();
    try {
      const result = await run('buddyHeap.replayTrace', {
        text: '# a heap that is not a power of two\nheap 3000 orders=4\nalloc 64 8\n',
        mode: 'all',
      });
      assert.equal(result.ok, false);
      assert.equal(result.error, 'BadSizeAlignment');
      assert.match(result.message!, /trace line 2: the heap is invalid \(BadSizeAlignment\): .*power of two/);
      assert.match(prompts.recorded.errors.join('\n'), /BadSizeAlignment/);
      assert.equal(app.simulation.history().total, before, 'the simulated heap is untouched');
    } finally {
      prompts.restore();
    }
  });

  it('with no layout anywhere, the simulated heap is the default: 64 KiB at 0x20000000, 12 orders, 4-byte little-endian pointers', async () => {
    // A layout file holding only live heaps says nothing about the layout, and no layout setting
    // is set: the default decides. The watcher offers to restart the heap with it; the test accepts.
    const heapsOnly = workspaceUri('no-layout.buddyheap.json');
    await vscode.workspace.fs.writeFile(heapsOnly, new TextEncoder().encode('{ "heaps": [] }'));
    const prompts = stubPrompts({ info: (_message, actions) => actions[0] });
    const config = vscode.workspace.getConfiguration('buddyHeap');
    try {
      await useLayout({ size: '4k', orders: 6 });
      await config.update('layoutFile', 'no-layout.buddyheap.json', vscode.ConfigurationTarget.Workspace);
      const deadline = Date.now() + 10_000;
      while (app.simulation.layout.size !== 0x1_0000n && Date.now() < deadline) await new Promise(r => setTimeout(r, 100));
      assert.deepEqual(app.simulation.layout, { base: 0x2000_0000n, size: 0x1_0000n, orders: 12, pointerWidth: 4, endianness: 'little' });
      assert.match(
        prompts.recorded.infos.join('\n'),
        /no heap layout is configured any more, so the default applies \(0x10000 bytes at 0x20000000, 12 orders\)/,
      );
      await run('buddyHeap.openPanel');
      const r = await rendered(app, x => x.step === 0 && x.blocks === 1);
      assert.equal(r.freeBlocks, 1, 'one free 64 KiB block');
      assert.equal((await run<{ address: string }>('buddyHeap.simulateAllocation', { size: '16' })).address, '0x20000000');
      assert.equal(app.simulation.heap.liveAllocations()[0]!.order, 0, 'the minimum block is 64 KiB >> 11 = 32 B');
    } finally {
      await config.update('layoutFile', undefined, vscode.ConfigurationTarget.Workspace);
      await vscode.workspace.fs.delete(heapsOnly);
      await new Promise(r => setTimeout(r, 800)); // the watcher's offer to go back to the board file is accepted
      prompts.restore();
    }
  });
  it('Configure Heap Layout saves into the layout file buddyHeap.layoutFile names (it outranks the settings), keeping its heaps', async () => {
    const board = workspaceUri('board.buddyheap.json');
    const original = await vscode.workspace.fs.readFile(board);
    const config = vscode.workspace.getConfiguration('buddyHeap');
    const prompts = stubPrompts();
    try {
      const withHeaps = {
        ...(JSON.parse(new TextDecoder().decode(original)) as Record<string, unknown>),
        heaps: [{ name: 'kept', expression: 'HEAP' }],
      };
      await vscode.workspace.fs.writeFile(board, new TextEncoder().encode(JSON.stringify(withHeaps)));
      await config.update('layoutFile', 'board.buddyheap.json', vscode.ConfigurationTarget.Workspace);
      const result = await run<{ savedTo: string }>('buddyHeap.configureLayout', { size: '16k', orders: 9 });
      assert.equal(result.ok, true, JSON.stringify(result));
      assert.equal(result.savedTo, 'board.buddyheap.json');
      const saved = JSON.parse(new TextDecoder().decode(await vscode.workspace.fs.readFile(board))) as Record<string, unknown>;
      assert.deepEqual(saved, {
        base: '0x20000000',
        size: '0x4000',
        orders: 9,
        pointerWidth: 4,
        endianness: 'little',
        heaps: [{ name: 'kept', expression: 'HEAP' }],
      });
      assert.equal(config.inspect('layout.size')?.workspaceValue, undefined, 'the settings are not touched');
      assert.equal(app.simulation.layout.size, 0x4000n);
    } finally {
      await config.update('layoutFile', undefined, vscode.ConfigurationTarget.Workspace);
      await vscode.workspace.fs.writeFile(board, original);
      await new Promise(r => setTimeout(r, 800)); // let the watcher's offer pass unanswered
      prompts.restore();
    }
  });
});
