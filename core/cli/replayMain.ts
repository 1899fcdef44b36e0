// The entry of the replay-only bundle (dist/cli/replay.js): `buddy-heap replay` loads this and
// nothing of the other commands, so a replay starts without compiling their code.
import { runAsProcess } from './asProcess';
import { runCommand } from './command';
import { nodeIo } from './io';
import { runReplay } from './replay';

/** `buddy-heap replay <args>` as this process (its own IO: CliError must be this bundle's class). */
export function replayProcess(args: readonly string[]): void {
  const io = nodeIo();
  runAsProcess(() => runCommand(() => runReplay(args, io), io), io);
}

// The bundle's own replay, for the bench to time a replay warm (V8 has optimized it) and cold.
export { replayToJsonLines } from '../trace/streamReplay';
