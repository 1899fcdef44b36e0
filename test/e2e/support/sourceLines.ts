// Where a line breakpoint must go in a built program: the source file its debug info names (the
// targets' builds in .cache/ are shared by every checkout on the machine, so the ELF may come from
// another checkout's copy of the source) and the line, within a function, that starts with the
// given text. Asked of gdb, which reads the program the way the debug session will.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';

function gdbBatch(gdb: string, elf: string, commands: readonly string[]): string {
  const args = ['-batch', '-nx', '-iex', 'set auto-load no', '-iex', 'set debuginfod enabled off'];
  for (const command of commands) args.push('-ex', command);
  const run = spawnSync(gdb, [...args, elf], { encoding: 'utf8', timeout: 60_000 });
  if (run.error) throw new Error(`${gdb} could not run: ${run.error.message}`);
  return `${run.stdout}${run.stderr}`;
}

/** The 0-based line of `text` (trimmed line start) in the function matching `functionRegex`, in the file the program was built from. */
export function lineInProgramSource(gdb: string, elf: string, functionRegex: string, text: string): { file: string; line: number } {
  const listing = gdbBatch(gdb, elf, [`info functions ${functionRegex}`]);
  const match = /^File (.+):\n(\d+):/m.exec(listing);
  if (!match) throw new Error(`gdb finds no function matching ${functionRegex} in ${elf}:\n${listing}`);
  const [, recorded, declared] = match;
  const source = gdbBatch(gdb, elf, [`list ${recorded}:${declared}`, 'info source']);
  const file = /^Located in (.+)$/m.exec(source)?.[1]?.trim() ?? recorded!;
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  const at = lines.findIndex((line, i) => i >= Number(declared) - 1 && line.trim().startsWith(text));
  if (at < 0) throw new Error(`no line starting "${text}" after ${file}:${declared}`);
  return { file, line: at };
}
