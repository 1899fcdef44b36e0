// Core dumps for the tests: a program run under gdb in batch mode to a breakpoint (continued a
// number of times), dumped with gcore, and killed; gdb's own reads of the stopped process are
// printed beside the dump, so the test knows what the core must show. Nothing outlives the call.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

const GDB_BATCH = ['-batch', '-nx', '-iex', 'set auto-load no', '-iex', 'set debuginfod enabled off', '-iex', 'set pagination off'];

export interface CoreDumpRun {
  /** Where to stop (a function name), and how many more hits to continue past. */
  readonly breakAt?: string;
  readonly continues?: number;
  /** gdb commands run at the stop before the dump (print, dump binary value …); their output is returned. */
  readonly commands?: readonly string[];
}

/** Dumps `program` stopped as `run` says into `core`; returns gdb's output. Throws when no core was made. */
export function dumpCore(program: string, core: string, run: CoreDumpRun = {}): string {
  const stop = run.breakAt ? ['-ex', `break ${run.breakAt}`, '-ex', 'run'] : ['-ex', 'starti'];
  const continues = Array.from({ length: run.continues ?? 0 }, () => ['-ex', 'continue']).flat();
  const commands = (run.commands ?? []).flatMap(c => ['-ex', c]);
  fs.mkdirSync(path.dirname(core), { recursive: true });
  const result = spawnSync(
    'gdb',
    [...GDB_BATCH, ...stop, ...continues, ...commands, '-ex', `gcore ${core}`, '-ex', 'kill', '--args', program],
    { encoding: 'utf8', timeout: 180_000, killSignal: 'SIGKILL', cwd: path.dirname(core) },
  );
  if (!fs.existsSync(core)) throw new Error(`gcore made no core of ${program}: ${result.stdout}${result.stderr}`);
  return result.stdout;
}
