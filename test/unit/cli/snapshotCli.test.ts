// `buddy-heap inspect <snapshot>` and `buddy-heap diff`: what they print is computed from the model
// the snapshots were made from (its views and diffs), never pasted.
import * as assert from 'node:assert/strict';
import { main } from '../../../core/cli/main';
import { viewToJson } from '../../../core/cli/inspect';
import { materialized } from '../../../core/cli/prettyJson';
import { CliError, type CliIo } from '../../../core/cli/io';
import { CHANGE_KIND_NAMES, diffViews } from '../../../core/diff/diffViews';
import { hex } from '../../../core/layout';
import { compareLeakSuspects } from '../../../core/ownership/compareLeaks';
import { simulatedHeapAt, stopOwnership, viewAtStep } from '../../../core/snapshot/snapshotSteps';
import { writeSnapshot } from '../../../core/snapshot/writeSnapshot';
import { liveFile, simulatedFile } from '../snapshot/snapshotFixtures';

function run(files: Record<string, string>, argv: string[]) {
  const out = { stdout: '', stderr: '' };
  const cli: CliIo = {
    out: t => void (out.stdout += t),
    outBytes: b => void (out.stdout += new TextDecoder().decode(b)),
    err: t => void (out.stderr += t),
    readText: async p => {
      if (files[p] === undefined) throw new CliError(`cannot read "${p}"`, 1);
      return files[p];
    },
    readBytes: async p => {
      if (files[p] === undefined) throw new CliError(`cannot read "${p}"`, 1);
      return new TextEncoder().encode(files[p]);
    },
    flush: async () => undefined,
  };
  return main(argv, cli).then(code => ({ code, ...out }));
}

const FILES = {
  'board.buddyheap': writeSnapshot(liveFile()),
  'sim.buddyheap': writeSnapshot(simulatedFile(3)),
  // Recognised by content too, whatever the name.
  'attached.json': writeSnapshot(simulatedFile(2)),
};

/** The view's JSON as a plain value (its arrays are streamed when printed). */
const plainView = (view: Parameters<typeof viewToJson>[0]) => materialized(viewToJson(view)) as Record<string, unknown>;

describe('buddy-heap inspect <snapshot>', () => {
  it('decodes the shown step of a live snapshot, as inspect prints an image', async () => {
    const r = await run(FILES, ['inspect', 'board.buddyheap', '--json']);
    assert.equal(r.code, 0, r.stderr);
    const json = JSON.parse(r.stdout) as Record<string, unknown> & { snapshot: { step: number; text: string; program: unknown } };
    const file = liveFile();
    assert.equal(json.snapshot.step, file.shownStep);
    assert.match(json.snapshot.text, new RegExp(`^${file.stops[file.shownStep]!.text}`));
    assert.deepEqual(json.snapshot.program, file.program);
    const expected = plainView(viewAtStep(file, file.shownStep)) as Record<string, unknown>;
    for (const key of Object.keys(expected)) assert.deepEqual(json[key], JSON.parse(JSON.stringify(expected[key])), key);
  });

  it('--step picks another step; a simulated one lists its owners', async () => {
    const r = await run(FILES, ['inspect', 'attached.json', '--step', '3', '--json']);
    assert.equal(r.code, 0, r.stderr);
    const json = JSON.parse(r.stdout) as { owners: { address: string; owner: string }[]; stats: unknown };
    const heap = simulatedHeapAt(simulatedFile(), 3);
    assert.deepEqual(
      json.owners.map(o => [o.address, o.owner]),
      heap
        .liveAllocations()
        .filter(a => a.owner)
        .map(a => [hex(heap.layout.base + BigInt(a.offset)), a.owner]),
    );
    assert.ok(json.owners.length >= 2);
    const text = await run(FILES, ['inspect', 'sim.buddyheap']);
    assert.match(text.stdout, /snapshot "Simulated heap" \(simulated\), step 3 of 0\.\.5/);
    assert.match(text.stdout, /owners:\n.*uart_rx/);
  });

  it('a broken snapshot is a usage error naming the file and the JSON path', async () => {
    const broken = FILES['board.buddyheap'].replace('"version": 1', '"version": 7');
    const r = await run({ 'x.buddyheap': broken }, ['inspect', 'x.buddyheap']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /x\.buddyheap: \$\.version: format version 7 is newer/);
    const step = await run(FILES, ['inspect', 'board.buddyheap', '--step', '99']);
    assert.equal(step.code, 2);
    assert.match(step.stderr, /step 99 does not exist: the snapshot has steps 0 to 4/);
  });
});

describe('buddy-heap diff', () => {
  it('lists what changed between two snapshots, as core/diff computes it', async () => {
    const r = await run(FILES, ['diff', 'attached.json', 'sim.buddyheap', '--json']);
    assert.equal(r.code, 0, r.stderr);
    const expected = diffViews(viewAtStep(simulatedFile(), 2), viewAtStep(simulatedFile(), 3));
    assert.ok(expected.comparable);
    const json = JSON.parse(r.stdout) as { comparable: boolean; summary: string; changes: { kind: string; address: string }[] };
    assert.equal(json.comparable, true);
    assert.equal(json.summary, expected.summary);
    assert.deepEqual(
      json.changes.map(c => c.kind),
      Array.from(expected.changes.kinds, k => CHANGE_KIND_NAMES[k]),
    );
    assert.ok(json.changes.length > 0);
  });

  it('compares two steps of one file, and a live with a simulated step of the same heap', async () => {
    const r = await run(FILES, ['diff', 'board.buddyheap', 'board.buddyheap', '--from-step', '2', '--to-step', '3']);
    assert.equal(r.code, 0, r.stderr);
    const expected = diffViews(viewAtStep(liveFile(), 2), viewAtStep(liveFile(), 3));
    assert.ok(expected.comparable);
    assert.ok(r.stdout.includes(expected.summary));
    assert.match(r.stdout, /freed/);
    const same = await run(FILES, ['diff', 'board.buddyheap', 'sim.buddyheap', '--from-step', '2', '--to-step', '3']);
    // Live stop 3 is the model after three operations: nothing changed.
    assert.match(same.stdout, /no change/);
  });

  it('says how leak suspects moved when both stops were saved with the ownership scan', async () => {
    // Stops 3 and 4 both carry the scan's inputs (the fixture's last stop has them; stop 3 gets a copy).
    const file = liveFile();
    const last = file.stops[4]!;
    const withScan = { ...file, stops: file.stops.map((stop, i) => (i === 3 ? { ...stop, ownership: last.ownership } : stop)) };
    const files = { 'scanned.buddyheap': writeSnapshot(withScan) };
    const r = await run(files, ['diff', 'scanned.buddyheap', 'scanned.buddyheap', '--from-step', '3', '--to-step', '4', '--json']);
    assert.equal(r.code, 0, r.stderr);
    const [a, b] = [3, 4].map(step => stopOwnership(withScan, step, viewAtStep(withScan, step))!);
    const expected = compareLeakSuspects(a!, b!);
    const json = JSON.parse(r.stdout) as { leaks: { summary: string; persisting: { address: string }[]; appeared: { address: string }[] } };
    assert.equal(json.leaks.summary, expected.summary);
    assert.deepEqual(
      json.leaks.persisting.map(p => p.address),
      expected.persisting.map(p => hex(p.suspect.address)),
    );
    assert.deepEqual(
      json.leaks.appeared.map(p => p.address),
      expected.appeared.map(s => hex(s.address)),
    );
    const text = await run(files, ['diff', 'scanned.buddyheap', 'scanned.buddyheap', '--from-step', '3', '--to-step', '4']);
    assert.ok(text.stdout.includes(`leak suspects: ${expected.summary}`));
    // Without the scan's inputs at one of the stops there is nothing to compare.
    const none = await run(FILES, ['diff', 'board.buddyheap', 'board.buddyheap', '--from-step', '3', '--to-step', '4', '--json']);
    assert.equal((JSON.parse(none.stdout) as { leaks?: unknown }).leaks, undefined);
  });

  it('needs two files', async () => {
    const r = await run(FILES, ['diff', 'board.buddyheap']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /two snapshot files are needed/);
  });
});
