// Every CLI path under one memory bound, whatever the input's size: the real `buddy-heap` in a
// child Node whose JS heap is capped (a command that held its input or built its output whole would
// die of it), fed generated traces through a pipe (standard input: no file on disk) and raw images,
// with its peak resident memory checked against a bound far below what holding the input would
// take. `npm run bench` runs the same at 300 MB traces and a fully fragmented 16 MiB heap.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { type BoundedRun, MAX_RSS_BYTES, OLD_SPACE_MB, fragmentedImage, generatedTrace, runBounded } from '../../support/boundedCli';

function assertBounded(run: BoundedRun, what: string): void {
  assert.equal(run.code, 0, `${what} failed (${run.signal ?? 'no signal'}): ${run.stderr}`);
  assert.ok(run.maxRssBytes !== undefined, `${what} reported no peak memory`);
  assert.ok(
    run.maxRssBytes <= MAX_RSS_BYTES,
    `${what}: peak RSS ${(run.maxRssBytes / 2 ** 20).toFixed(1)} MiB is over ${MAX_RSS_BYTES / 2 ** 20} MiB`,
  );
}

describe('CLI memory stays bounded on large inputs', function () {
  // Wall time only: the runs are a few seconds each on an idle machine, more on a busy one.
  this.timeout(180_000);

  const traces: [string[], number, (operations: number) => number][] = [
    // replay --json prints one line per operation; the tables a header and one row per operation.
    [['replay', '-', '--json'], 128, operations => operations],
    [['replay', '-'], 16, operations => operations + 1],
    [['stats', '-'], 16, operations => operations + 1],
  ];
  for (const [args, megabytes, lines] of traces) {
    it(`${args.join(' ')}: a ${megabytes} MB trace piped to standard input`, async () => {
      const trace = generatedTrace(megabytes * 2 ** 20);
      const run = await runBounded(args, { maxOldSpaceMb: OLD_SPACE_MB, input: trace.next });
      assertBounded(run, args.join(' '));
      assert.ok(run.inputBytes >= megabytes * 2 ** 20 * 0.95, `fed ${run.inputBytes} bytes`);
      assert.equal(run.stdoutLines, lines(trace.operations), 'a result for every operation');
    });
  }

  let dir: string;
  before(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'buddy-heap-bound-'))));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  const images: [number, number][] = [
    [4 * 2 ** 20, 16], // 262144 blocks: 37 MB of JSON
    [16 * 2 ** 20, 256], // the 16 MiB image of the issue, 65536 blocks
  ];
  for (const [size, minBlock] of images) {
    for (const json of [true, false]) {
      it(`inspect${json ? ' --json' : ''}: a ${size / 2 ** 20} MiB image of ${size / minBlock} blocks, every other one free`, async () => {
        const { image, layout, freeBlocks, blocks } = fragmentedImage(size, minBlock);
        fs.writeFileSync(path.join(dir, 'ram.bin'), image);
        fs.writeFileSync(path.join(dir, 'layout.json'), layout);
        const run = await runBounded(
          ['inspect', path.join(dir, 'ram.bin'), '--layout', path.join(dir, 'layout.json'), ...(json ? ['--json'] : [])],
          { maxOldSpaceMb: OLD_SPACE_MB },
        );
        assertBounded(run, 'inspect');
        if (json) {
          // Each block is 6 lines, each list entry 4: the whole view came out, ending in no findings.
          assert.ok(run.stdoutLines > blocks * 6 + freeBlocks * 4, `${run.stdoutLines} lines`);
          assert.match(run.stdoutTail, /"findings": \[\]\n\}\n$/);
        } else {
          assert.match(run.stdoutTail, new RegExp(`… ${blocks - 64} more \\(use --json for all\\)[\\s\\S]*no integrity findings\\n$`));
        }
      });
    }
  }
});
