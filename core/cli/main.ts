// `buddy-heap`: replay traces, print fragmentation over time, decode raw memory images, snapshots
// and core dumps, list the heaps a program declares, compare two snapshots.
// Exit codes: 0 done (failed allocations are results, not errors), 2 bad usage or a malformed
// trace line / layout, 1 an input that could not be read.
import { runDiff } from './diff';
import { runHeaps } from './heaps';
import { runInspect } from './inspect';
import { runInspectCore } from './inspectCore';
import { runReplay } from './replay';
import { runStats } from './stats';
import { quoteText } from '../util/quote';
import { runAsProcess } from './asProcess';
import { runCommand } from './command';
import { type CliIo, nodeIo } from './io';

const USAGE = `usage:
  buddy-heap replay <trace|-> [--json]      replay a trace; --json prints one JSON object per operation
  buddy-heap stats <trace|-> [--json]       free bytes, largest free block and fragmentation after each operation
  buddy-heap inspect <image.bin> --layout <layout.json> [--json]
                                            decode a raw memory image of a heap and list integrity findings
  buddy-heap inspect --core <core> [--elf <program>] [--json]
                                            a core dump's heaps: free lists, findings, owners, leak suspects
  buddy-heap heaps <program.elf> [--json]   list the buddy heaps a program's debug info declares
  buddy-heap inspect <file.buddyheap> [--step N] [--json]
                                            decode a step of a saved heap snapshot (the shown step by default)
  buddy-heap diff <a.buddyheap> <b.buddyheap> [--from-step N] [--to-step N] [--json]
                                            allocated, freed, split and merged blocks between two snapshot steps
  buddy-heap --help`;

export function main(argv: readonly string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv;
  return runCommand(async () => {
    switch (command) {
      case 'replay':
        return await runReplay(rest, io);
      case 'stats':
        return await runStats(rest, io);
      case 'inspect':
        return rest.includes('--core') ? await runInspectCore(rest, io) : await runInspect(rest, io);
      case 'heaps':
        return await runHeaps(rest, io);
      case 'diff':
        return await runDiff(rest, io);
      case '--help':
      case '-h':
      case 'help':
        io.out(USAGE + '\n');
        return 0;
      default:
        io.err(`${command === undefined ? 'no command given' : `unknown command ${quoteText(command, 40)}`}\n${USAGE}\n`);
        return 2;
    }
  }, io);
}

/** `buddy-heap <argv>` as this process. */
export function mainProcess(argv: readonly string[]): void {
  const io = nodeIo();
  runAsProcess(() => main(argv, io), io);
}

// Run as a script from the per-file transpile (tests); the shipped executable is bin.ts.
if (require.main === module) mainProcess(process.argv.slice(2));
