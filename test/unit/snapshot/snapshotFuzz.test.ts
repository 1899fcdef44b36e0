// The reader on hostile input: random bytes, and valid files with characters changed, cut or
// JSON values swapped. It returns a file or throws a SnapshotError — never anything else.
/* eslint-disable @typescript-eslint/no-explicit-any -- these tests edit raw, untyped JSON on purpose */
import * as assert from 'node:assert/strict';
import * as fc from 'fast-check';
import { SnapshotError, readSnapshot } from '../../../core/snapshot/readSnapshot';
import { viewAtStep } from '../../../core/snapshot/snapshotSteps';
import { stepCount } from '../../../core/snapshot/format';
import { writeSnapshot } from '../../../core/snapshot/writeSnapshot';
import { liveFile, simulatedFile } from './snapshotFixtures';

const VALID = [writeSnapshot(liveFile()), writeSnapshot(simulatedFile())];

/** Reads, and decodes every step of what was accepted: a file the reader passes must not break the decoder. */
function readOrRefuse(input: Uint8Array | string): void {
  try {
    const file = readSnapshot(input);
    for (let step = 0; step < stepCount(file); step++) viewAtStep(file, step);
  } catch (error) {
    if (!(error instanceof SnapshotError)) throw error;
    assert.ok(error.where.length > 0 && error.problem.length > 0);
  }
}

/** Replaces one JSON value somewhere in the tree by a hostile one. */
function mutateJson(json: unknown, path: number[], replacement: unknown): unknown {
  if (path.length === 0 || json === null || typeof json !== 'object') return replacement;
  const entries = Array.isArray(json) ? json.map((v, i) => [i, v] as const) : Object.entries(json);
  if (entries.length === 0) return replacement;
  const [key, value] = entries[path[0]! % entries.length]!;
  const copy: any = Array.isArray(json) ? [...json] : { ...json };
  copy[key] = mutateJson(value, path.slice(1), replacement);
  return copy;
}

const hostileValue = fc.oneof(
  fc.constantFrom(null, true, -1, 0, 1e308, 2 ** 53, '', '0x', '0xffffffffffffffffff', '0x8000000000000000', 'zz', [], {}),
  fc.jsonValue({ maxDepth: 3 }),
);

describe('snapshot reader fuzz', () => {
  it('random bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2048 }), bytes => readOrRefuse(bytes)),
      { numRuns: 500 },
    );
  });

  it('valid files with characters changed or cut', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...VALID),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 32, max: 126 })), { maxLength: 8 }),
        fc.option(fc.nat()),
        (text, edits, cut) => {
          const chars = [...text];
          for (const [at, code] of edits) chars[at % chars.length] = String.fromCharCode(code);
          const edited = chars.join('');
          readOrRefuse(cut === null ? edited : edited.slice(0, cut % edited.length));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('valid files with a JSON value replaced', () => {
    fc.assert(
      fc.property(fc.constantFrom(...VALID), fc.array(fc.nat(), { maxLength: 7 }), hostileValue, (text, path, value) =>
        readOrRefuse(JSON.stringify(mutateJson(JSON.parse(text), path, value))),
      ),
      { numRuns: 500 },
    );
  });
});
