// Peak memory of every CLI path on inputs far larger than the test's: 300 MB traces piped to
// standard input (replay --json, the replay table, stats, stats --json) and a fully fragmented
// 16 MiB heap image (a million blocks, 148 MB of JSON) through inspect, each under the same JS heap
// cap as the memory-bound test. The peaks should match the test's, whatever the input's size.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { OLD_SPACE_MB, fragmentedImage, generatedTrace, runBounded } from '../support/boundedCli';
import { REPO_ROOT } from '../support/reference';

const TRACE_BYTES = 300 * 2 ** 20;
const IMAGE_BYTES = 16 * 2 ** 20;

const mib = (bytes: number | undefined) => (bytes === undefined ? -1 : Number((bytes / 2 ** 20).toFixed(1)));

export async function benchMemory(): Promise<Record<string, number | string>> {
  const result: Record<string, number | string> = { memoryTraceMiB: TRACE_BYTES / 2 ** 20, memoryOldSpaceMiB: OLD_SPACE_MB };
  const runs: [string, string[]][] = [
    ['ReplayJson', ['replay', '-', '--json']],
    ['ReplayTable', ['replay', '-']],
    ['Stats', ['stats', '-']],
    ['StatsJson', ['stats', '-', '--json']],
  ];
  for (const [name, args] of runs) {
    const trace = generatedTrace(TRACE_BYTES);
    const run = await runBounded(args, { maxOldSpaceMb: OLD_SPACE_MB, input: trace.next });
    if (run.code !== 0) throw new Error(`${args.join(' ')} failed (${run.signal ?? run.code}): ${run.stderr}`);
    result[`memory${name}MaxRssMiB`] = mib(run.maxRssBytes);
    result[`memory${name}Seconds`] = Number(run.seconds.toFixed(1));
  }
  const dir = path.join(REPO_ROOT, '.cache', 'bench');
  fs.mkdirSync(dir, { recursive: true });
  const { image, layout, blocks } = fragmentedImage(IMAGE_BYTES, 16);
  const imagePath = path.join(dir, 'fragmented-16m.bin');
  const layoutPath = path.join(dir, 'fragmented-16m.layout.json');
  fs.writeFileSync(imagePath, image);
  fs.writeFileSync(layoutPath, layout);
  result.memoryInspectBlocks = blocks;
  for (const [name, extra] of [
    ['InspectJson', ['--json']],
    ['InspectTable', []],
  ] as const) {
    const run = await runBounded(['inspect', imagePath, '--layout', layoutPath, ...extra], { maxOldSpaceMb: OLD_SPACE_MB });
    if (run.code !== 0) throw new Error(`inspect ${extra.join(' ')} failed (${run.signal ?? run.code}): ${run.stderr}`);
    result[`memory${name}MaxRssMiB`] = mib(run.maxRssBytes);
    result[`memory${name}OutputMiB`] = mib(run.stdoutBytes);
    result[`memory${name}Seconds`] = Number(run.seconds.toFixed(1));
  }
  return result;
}
