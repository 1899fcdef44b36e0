// Open Core Dump in the extension host: the native Rust program is run under gdb to a checkpoint
// and dumped with gcore; the command (given the core only) finds the program from the core, and
// the panel's source must show the heap as the program's own op log replayed on the model says,
// with the free-list heads gdb reads, and the owners, leak suspects and findings the CLI's
// `inspect --core --json` prints for the same files. Wrong files get clear errors, no dialogs.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { nodeIo } from '../../../core/cli/io';
import { main } from '../../../core/cli/main';
import { hex } from '../../../core/layout';
import type { CoreDumpSource } from '../../../extension/coreDump/coreDumpSource';
import type { BuddyHeapApi } from '../../../extension/main';
import { dumpCore } from '../support/coreDumps';
import { assertViewMatchesModel, parseLog, replayLog } from '../support/heapModel';
import { rustHeapLayout } from '../support/rustOpLog';
import { extensionApi, rustProgramOrSkip, waitFor } from './support/hostDebug';

/** The checkpoint dumped: step 6 leaves every other small block free (fragmented, with live allocations). */
const STEP = 6;

interface JsonHeap {
  path: string;
  address: string;
  freeLists: string[][];
  blocks: { address: string; size: number; owner: string | null; referencedBy: string[] }[];
  leakSuspects: string[];
  findings: { kind: string; message: string }[];
  problem?: string;
}

interface OpenResult {
  ok: boolean;
  error?: string;
  message?: string;
  program?: string;
  programFound?: string;
  heaps?: { path: string; address: string }[];
}

async function cliJson(core: string, program: string): Promise<JsonHeap[]> {
  let stdout = '';
  let stderr = '';
  const io = nodeIo();
  const code = await main(['inspect', '--core', core, '--elf', program, '--json'], {
    ...io,
    out: t => void (stdout += t),
    err: t => void (stderr += t),
  });
  assert.equal(code, 0, stderr);
  return (JSON.parse(stdout) as { heaps: JsonHeap[] }).heaps;
}

/** Answers the window's open dialogs in order (the extension host's window is shared with the extension). */
function stubOpenDialogs(answers: (vscode.Uri[] | undefined)[]): { titles: string[]; restore(): void } {
  const window = vscode.window as { showOpenDialog: typeof vscode.window.showOpenDialog };
  const original = window.showOpenDialog;
  const titles: string[] = [];
  window.showOpenDialog = async options => {
    titles.push(options?.title ?? '');
    return answers.shift();
  };
  return { titles, restore: () => void (window.showOpenDialog = original) };
}

const openCore = (args: Record<string, string>) => vscode.commands.executeCommand<OpenResult>('buddyHeap.openCoreDump', args);

describe('e2e host: Open Core Dump of the native Rust program', function () {
  let api: BuddyHeapApi;
  let program: string;
  let dir: string;
  let core: string;
  let printed: string;

  before(async function () {
    program = await rustProgramOrSkip(this);
    api = await extensionApi();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'buddy-core-dump-'));
    core = path.join(dir, 'core');
    printed = dumpCore(program, core, {
      breakAt: 'checkpoint',
      continues: STEP,
      commands: [
        'set max-value-size unlimited',
        'print step',
        'print/x prog::ALLOCATOR.inner.value.free_lists',
        'print prog::OP_COUNT',
        `dump binary value ${path.join(dir, 'oplog.bin')} prog::OP_LOG`,
      ],
    });
  });
  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('finds the program from the core and shows its heap as the op log, gdb and the CLI say', async () => {
    assert.match(printed, new RegExp(`\\$1 = ${STEP}\\b`), 'gdb stopped at the checkpoint dumped');
    const result = await openCore({ core });
    assert.equal(result.ok, true, JSON.stringify(result));
    assert.equal(result.programFound, 'found', 'no program was given: the core named it');
    assert.equal(result.program, fs.realpathSync(program));

    const source = api.app.sources.active as CoreDumpSource;
    assert.ok(source.heaps?.length > 0, 'the panel shows the core dump');
    assert.ok(api.app.panel, 'the panel is open');
    const cli = await cliJson(core, program);
    const decoded = cli.filter(h => h.problem === undefined);
    assert.deepEqual(
      source.heaps.map(h => [h.path, hex(h.address)]),
      decoded.map(h => [h.path, h.address]),
      'every heap the CLI decodes, in order',
    );
    const history = source.state.history;
    assert.equal(history.total, decoded.length);

    const index = source.heaps.findIndex(h => h.path.endsWith('ALLOCATOR.inner.value'));
    assert.ok(index >= 0, `the allocator's heap among ${source.heaps.map(h => h.path).join(', ')}`);
    assert.equal(source.stepTo(index), true);
    const heap = source.heaps[index]!;
    assert.equal(source.state.shown.view, heap.view, 'the panel shows the heap stepped to');
    const view = heap.view;
    assert.match(source.state.source.label, /core dump/);
    assert.equal(history.entry(index).text.startsWith(heap.path), true);

    // The program's own log, replayed on the model: the truth about every block.
    const count = Number(/\$3 = (\d+)/.exec(printed)![1]);
    const log = parseLog(fs.readFileSync(path.join(dir, 'oplog.bin')).subarray(0, count * 32), count, 8);
    assertViewMatchesModel(view, replayLog(rustHeapLayout(view.heapBase), log), `core at step ${STEP}`);

    // gdb's reading of the live process: each free list's head.
    const heads = /\$2 = \[([^\]]*)\]/
      .exec(printed)![1]!
      .split(',')
      .map(s => BigInt(s.trim()));
    assert.deepEqual(
      view.freeLists.map(list => (list.entries[0] ? view.heapBase + BigInt(list.entries[0].offset) : 0n)),
      heads,
    );

    // The CLI on the same files: free lists, owners, leak suspects and findings.
    const expected = decoded[index]!;
    assert.deepEqual(
      view.freeLists.map(list => list.entries.map(e => hex(view.heapBase + BigInt(e.offset)))),
      expected.freeLists,
    );
    const ownership = heap.ownership;
    assert.deepEqual(
      Array.from({ length: ownership.blockCount }, (_, b) => hex(ownership.address(b))),
      expected.blocks.map(b => b.address),
    );
    assert.deepEqual(
      ownership.leakSuspects().map(s => hex(s.address)),
      expected.leakSuspects,
    );
    // What the panel got: the decoder's findings with the scan's leak suspects, and the scan itself.
    assert.equal(source.state.shown.ownership?.result, ownership, 'the ownership scan is handed to the panel');
    const sent = await waitFor('the panel to get the heap', () => {
      const held = api.app.panel!.controller.heldView();
      return held?.layout.base === hex(view.heapBase) ? held : undefined;
    });
    assert.deepEqual(
      sent.findings.map(f => [f.kind, f.message]),
      expected.findings.map(f => [f.kind, f.message]),
    );
    assert.equal(sent.ownership?.summary.leakCount, expected.leakSuspects.length);
    assert.ok(
      expected.blocks.some(b => b.owner !== null),
      'the scan found owners',
    );
  });

  it('takes the program as an argument, and says what is wrong with wrong files', async () => {
    const given = await openCore({ core, elf: program });
    assert.equal(given.ok, true, JSON.stringify(given));
    assert.equal(given.programFound, 'given');

    const notCore = await openCore({ core: program });
    assert.deepEqual([notCore.ok, notCore.error], [false, 'NotACore']);
    assert.match(notCore.message!, /is not a usable ELF core file: this ELF file is not a core file/);

    const wrong = await openCore({ core, elf: '/bin/true' });
    assert.deepEqual([wrong.ok, wrong.error], [false, 'WrongProgram']);
    assert.match(wrong.message!, /cannot be read as the program of .*core: not the program this core was dumped from/);

    // The same program rebuilt (another build-id, same layout) is refused, not decoded wrongly.
    const bytes = fs.readFileSync(program);
    const id = /Build ID: ([0-9a-f]+)/.exec(spawnSync('readelf', ['-n', program], { encoding: 'utf8' }).stdout)![1]!;
    const at = bytes.indexOf(Buffer.from(id, 'hex'));
    assert.ok(at > 0, 'the build-id is in the program file');
    bytes[at]! ^= 0xff;
    const rebuilt = path.join(dir, 'rebuilt');
    fs.writeFileSync(rebuilt, bytes);
    const stale = await openCore({ core, elf: rebuilt });
    assert.deepEqual([stale.ok, stale.error], [false, 'WrongProgram']);
    assert.match(stale.message!, new RegExp(`another build \\(build-id [0-9a-f]+; the process ran ${id}\\)`));

    const swapped = await openCore({ core, elf: core });
    assert.deepEqual([swapped.ok, swapped.error], [false, 'WrongProgram']);
    assert.match(swapped.message!, /this is a core file, not the program/);
  });

  it('says when the program cannot be found (and asks for it from the palette), and when it has no heap', async () => {
    // A copy of the program, dumped, then deleted: the core names a file that is gone.
    const copy = path.join(dir, 'gone', 'prog-copy');
    fs.mkdirSync(path.dirname(copy));
    fs.copyFileSync(program, copy);
    fs.chmodSync(copy, 0o755);
    const orphan = path.join(dir, 'orphan', 'core');
    dumpCore(copy, orphan, { breakAt: 'checkpoint' });
    fs.rmSync(copy);
    const missing = await openCore({ core: orphan });
    assert.deepEqual([missing.ok, missing.error], [false, 'NoProgram']);
    assert.match(missing.message!, /prog-copy: not found.*Pass its path as "elf"/);

    // From the palette: the core is picked, then (not found) the program, each in an open dialog.
    const dialogs = stubOpenDialogs([[vscode.Uri.file(orphan)], [vscode.Uri.file(program)]]);
    let picked: OpenResult;
    try {
      picked = (await vscode.commands.executeCommand<OpenResult>('buddyHeap.openCoreDump'))!;
    } finally {
      dialogs.restore();
    }
    assert.equal(picked.ok, true, JSON.stringify(picked));
    assert.equal(picked.programFound, 'picked');
    assert.deepEqual(
      dialogs.titles.map(t => /pick (an ELF core file|the program)/.exec(t)?.[1]),
      ['an ELF core file', 'the program'],
    );
    assert.ok((api.app.sources.active as CoreDumpSource).heaps.length > 0);
    const cancelled = stubOpenDialogs([undefined]);
    try {
      assert.equal((await vscode.commands.executeCommand<OpenResult>('buddyHeap.openCoreDump'))?.error, 'Cancelled');
    } finally {
      cancelled.restore();
    }

    // A program without debug info (so without a heap the panel could find): the system's `true`.
    const plain = path.join(dir, 'true', 'core');
    dumpCore(fs.realpathSync('/bin/true'), plain);
    const noHeap = await openCore({ core: plain });
    assert.deepEqual([noHeap.ok, noHeap.error], [false, 'NoHeap'], JSON.stringify(noHeap));
    assert.match(noHeap.message!, /true/);
  });
});
