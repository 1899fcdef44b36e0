// The `buddy-heap` executable (dist/cli.js): a small dispatcher that loads only the bundle its
// command needs. Node compiles all of a script it loads, and all commands together are ~300 KB:
// for `replay` that was ~15 ms of a run whose whole budget is the native reference's. Each bundle
// makes its own IO, so the errors it throws and catches are of its own classes.
import type { CliIo } from './io';
import type { main as fullMain, mainProcess } from './main';
import type { replayProcess } from './replayMain';

// Sibling bundles (esbuild.mjs builds them and leaves these requires alone), loaded on demand.
/* eslint-disable @typescript-eslint/no-require-imports */
const allCommands = (): { main: typeof fullMain; mainProcess: typeof mainProcess } => require('./cli/all.js');
const replayOnly = (): { replayProcess: typeof replayProcess } => require('./cli/replay.js');
/* eslint-enable @typescript-eslint/no-require-imports */

/** Every command in-process (core/cli/main's main), for scripts that require the bundle. */
export function main(argv: readonly string[], io: CliIo): Promise<number> {
  return allCommands().main(argv, io);
}

if (require.main === module) {
  const argv = process.argv.slice(2);
  if (argv[0] === 'replay') replayOnly().replayProcess(argv.slice(1));
  else allCommands().mainProcess(argv);
}
