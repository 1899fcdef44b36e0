// `buddy-heap inspect <file.buddyheap> [--step N] [--json]`: one step of a saved snapshot, decoded
// and printed as `inspect` prints a raw image, with where the step came from.
import { hex } from '../layout';
import { stepCount } from '../snapshot/format';
import { simulatedHeapAt } from '../snapshot/snapshotSteps';
import { type CliIo, parseArgs } from './io';
import { writePrettyJson } from './prettyJson';
import { viewToJson, writeTable } from './viewText';
import { parseSnapshot, parseStepOption, snapshotStep } from './snapshotInput';

export function runInspectSnapshot(args: readonly string[], path: string, bytes: Uint8Array, io: CliIo): number {
  const { flags, values } = parseArgs(args, ['--json'], ['--step']);
  const file = parseSnapshot(path, bytes);
  const { step, view, text } = snapshotStep(path, file, parseStepOption(values.get('--step'), '--step'));
  const owners =
    file.kind === 'simulated'
      ? simulatedHeapAt(file, step)
          .liveAllocations()
          .filter(a => a.owner !== undefined)
          .map(a => ({ address: hex(file.layout.base + BigInt(a.offset)), order: a.order, owner: a.owner! }))
      : [];
  const about = {
    name: file.name,
    kind: file.kind,
    step,
    steps: stepCount(file),
    text,
    savedAt: file.savedAt,
    ...(file.program ? { program: file.program } : {}),
  };
  if (flags.has('--json')) {
    writePrettyJson({ snapshot: about, ...viewToJson(view), owners }, text => io.out(text));
    io.out('\n');
    return 0;
  }
  const program = file.program
    ? ` · program ${file.program.path ?? '?'}${file.program.buildId ? ` (build-id ${file.program.buildId})` : ''}`
    : '';
  io.out(`snapshot "${file.name}" (${file.kind}), step ${step} of 0..${about.steps - 1}: ${text}${program}\n\n`);
  writeTable(view, text => io.out(text));
  if (owners.length > 0)
    io.out(`\nowners:\n${owners.map(o => `  ${o.address}  order ${String(o.order).padStart(2)}  ${o.owner}`).join('\n')}\n`);
  return 0;
}
