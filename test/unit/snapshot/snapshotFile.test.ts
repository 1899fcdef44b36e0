// The snapshot format: writer then reader gives back the same file and the same decoded heaps;
// what the reader refuses, it refuses with the place and the problem.
/* eslint-disable @typescript-eslint/no-explicit-any -- these tests edit raw, untyped JSON on purpose */
import * as assert from 'node:assert/strict';
import { diffViews } from '../../../core/diff/diffViews';
import type { DecodedHeapView } from '../../../core/decoder/types';
import { viewToJson } from '../../../core/cli/inspect';
import { materialized } from '../../../core/cli/prettyJson';
import { BuddyHeap } from '../../../core/model/buddyHeap';
import { type LiveSnapshotFile, SNAPSHOT_LIMITS } from '../../../core/snapshot/format';
import { SnapshotError, looksLikeSnapshot, readSnapshot } from '../../../core/snapshot/readSnapshot';
import { simulatedHeapAt, viewAtStep } from '../../../core/snapshot/snapshotSteps';
import { writeSnapshot } from '../../../core/snapshot/writeSnapshot';
import { decodeHeap } from '../../../core/decoder/decode';
import { LAYOUT, OPERATIONS, liveFile, simulatedFile } from './snapshotFixtures';

function sameView(a: DecodedHeapView, b: DecodedHeapView): void {
  assert.deepEqual(plainView(a), plainView(b));
}

function refusal(text: string): SnapshotError {
  try {
    readSnapshot(text);
  } catch (error) {
    assert.ok(error instanceof SnapshotError, `expected a SnapshotError, got ${String(error)}`);
    return error;
  }
  assert.fail('the reader accepted the file');
}

function edited(edit: (json: Record<string, unknown>) => void, file: object = liveFile()): string {
  const json = JSON.parse(writeSnapshot(file as LiveSnapshotFile)) as Record<string, unknown>;
  edit(json);
  return JSON.stringify(json);
}

/** The view's JSON as a plain value (its arrays are streamed when printed). */
const plainView = (view: Parameters<typeof viewToJson>[0]) => materialized(viewToJson(view)) as Record<string, unknown>;

describe('snapshot file', () => {
  it('a live history round-trips: same fields, bytes, stops and decoded heaps', () => {
    const file = liveFile();
    const text = writeSnapshot(file);
    const back = readSnapshot(new TextEncoder().encode(text));
    assert.deepEqual(back, file);
    assert.equal(writeSnapshot(back), text);
    for (let step = 0; step < file.stops.length; step++) {
      const view = viewAtStep(back, step);
      // The sparse bytes decode to the same heap as the model they were read from.
      sameView(view, viewAtStep(simulatedFile(), step + 1));
      assert.equal(view.stats.unknownBytes, 0);
    }
  });

  it('keeps a sparse read small: only the words read, the rest listed as unknown', () => {
    const file = liveFile();
    const text = writeSnapshot(file);
    const known = file.stops.reduce((n, s) => n + s.memory.reduce((m, [, b]) => m + b.length, 0), 0);
    assert.ok(known < 200, `${known} bytes kept`);
    assert.ok(text.length < 20_000, `${text.length} characters for a 64 KiB heap at 5 stops`);
    const json = JSON.parse(text) as { stops: { imageSize: string; unknown: { length: string }[]; read: { length: number }[] }[] };
    for (const stop of json.stops) {
      // Read and unknown ranges together cover the heap image exactly once.
      const read = stop.read.reduce((n, r) => n + r.length, 0);
      const unknown = stop.unknown.reduce((n, r) => n + Number(r.length), 0);
      assert.equal(read + unknown, Number(stop.imageSize));
    }
  });

  it('a simulation round-trips and replays to the model heap at every step', () => {
    const file = simulatedFile(3);
    const back = readSnapshot(writeSnapshot(file));
    assert.deepEqual(back, file);
    const created = BuddyHeap.create(LAYOUT);
    assert.ok(created.ok);
    for (let step = 0; step <= OPERATIONS.length; step++) {
      const heap = simulatedHeapAt(back, step);
      assert.deepEqual(
        heap.liveAllocations().map(a => a.owner),
        simulatedHeapAt(file, step)
          .liveAllocations()
          .map(a => a.owner),
      );
      sameView(
        viewAtStep(back, step),
        decodeHeap({ fields: heap.structFields(), pointerWidth: 4, endianness: 'little', memory: heap.image }),
      );
    }
    const last = viewAtStep(back, 3);
    const diff = diffViews(viewAtStep(back, 2), last);
    assert.ok(diff.comparable && diff.changes.count > 0);
  });

  it('is recognised by content', () => {
    assert.ok(looksLikeSnapshot(new TextEncoder().encode(writeSnapshot(liveFile()))));
    assert.ok(!looksLikeSnapshot(new Uint8Array([0x7f, 0x45, 0x4c, 0x46])));
    assert.ok(!looksLikeSnapshot(new TextEncoder().encode('{"heap": 1}')));
  });

  it('names a newer version and says to update', () => {
    const e = refusal(edited(j => (j.version = 2)));
    assert.equal(e.where, '$.version');
    assert.match(e.problem, /newer.*update/);
  });

  it('names truncation as not JSON, with the character where it broke', () => {
    const text = writeSnapshot(liveFile());
    const e = refusal(text.slice(0, Math.floor(text.length / 2)));
    assert.match(e.where, /^character \d+$|^\$$/);
    assert.match(e.problem, /not valid JSON/);
  });

  it('names the field that is wrong, by its JSON path', () => {
    const cases: [(j: Record<string, any>) => void, string, RegExp][] = [
      [j => (j.format = 'other'), '$.format', /not a buddy heap snapshot/],
      [j => (j.kind = 'core'), '$.kind', /"live" or "simulated"/],
      [j => (j.stops[1].fields.heapSize = 65536), '$.stops[1].fields.heapSize', /hex number string/],
      [j => (j.stops[0].read[0].bytes[0] = 'zz'), '$.stops[0].read[0].bytes[0]', /hex byte pairs/],
      [j => (j.stops[0].read[0].length += 1), '$.stops[0].read[0].bytes', /holds \d+ bytes/],
      [j => j.stops[2].unknown.pop(), '$.stops[2].unknown', /expected \d+ unknown ranges/],
      [j => (j.stops[0].imageSize = '0x10'), '$.stops[0].read[0]', /past the image/],
      [j => (j.shownStep = 9), '$.shownStep', /0 to 4/],
      [j => (j.stops[0].extra = 1), '$.stops[0].extra', /unknown field/],
      [j => (j.stops[0].time = 'yesterday'), '$.stops[0].time', /ISO 8601/],
      [j => (j.stops.at(-1).ownership.roots[0].slots[0].offset = 99), '$.stops[4].ownership.roots[0].slots[0].offset', /0 to 4/],
      [j => (j.stops.at(-1).ownership.roots[2].kind = 'heap'), '$.stops[4].ownership.roots[2].kind', /static/],
      [
        j => (j.stops.at(-1).ownership.rootMemory[1].address = '0x1000_0000'),
        '$.stops[4].ownership.rootMemory[1].address',
        /hex number string/,
      ],
      [j => (j.stops.at(-1).ownership.rootMemory[1].address = '0x10000000'), '$.stops[4].ownership.rootMemory[1].address', /address order/],
    ];
    for (const [edit, where, problem] of cases) {
      const e = refusal(edited(edit));
      assert.equal(e.where, where, e.message);
      assert.match(e.problem, problem, e.message);
    }
    const overlapping = refusal(
      edited(j => {
        const read = (j as any).stops[1].read;
        read[1].offset = read[0].offset;
      }),
    );
    assert.match(overlapping.message, /\$\.stops\[1\]\.read\[1\]\.offset: read ranges must be in address order/);
  });

  it('refuses a bad simulated layout with the seed error explained', () => {
    const e = refusal(edited(j => ((j.layout as any).base = '0x20001001'), simulatedFile()));
    assert.equal(e.where, '$.layout');
    assert.match(e.problem, /BadBaseAlignment/);
    const owner = refusal(edited(j => ((j.operations as any)[0].owner = 'two words'), simulatedFile()));
    assert.equal(owner.where, '$.operations[0].owner');
  });

  it('refuses deep nesting before parsing it', () => {
    const e = refusal('['.repeat(100_000) + ']'.repeat(100_000));
    assert.equal(e.where, 'character 16');
    assert.match(e.problem, /nested more than 16 levels/);
    // Brackets inside strings are text, not nesting.
    const inText = edited(j => (j.name = '['.repeat(100)));
    assert.equal(readSnapshot(inText).name, '['.repeat(100));
  });

  it('checks sizes before allocating: a huge length is refused from the number alone', () => {
    const e = refusal(
      edited(j => {
        const r = (j as any).stops[0].read[0];
        r.length = SNAPSHOT_LIMITS.maxTotalBytes + 1;
      }),
    );
    assert.equal(e.where, '$.stops[0].read[0].length');
    const big = refusal(
      edited(j => {
        (j as any).stops[0].read[0].length = SNAPSHOT_LIMITS.maxTotalBytes;
        (j as any).stops[0].imageSize = '0x8000000000000000';
      }),
    );
    // Refused by the row count check (one row cannot hold the claimed bytes) before any byte array exists.
    assert.equal(big.where, '$.stops[0].read[0].bytes');
  });
});
