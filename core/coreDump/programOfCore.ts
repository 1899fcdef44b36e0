// Where the program a core was dumped from may be: the path the core's NT_FILE note maps at the
// entry point (valid on the machine that dumped it), else a file beside the core named like the
// executable, like the process (NT_PRPSINFO), or like the core without its `.core` suffix.
import type { CoreFile } from '../elf/coreFile';

export interface ProgramCandidates {
  /** Absolute paths the core names, best first. */
  readonly paths: readonly string[];
  /** File names to look for in the core's folder, best first. */
  readonly besideCore: readonly string[];
}

export function programCandidates(core: CoreFile, coreFileName: string): ProgramCandidates {
  const executable = core.executablePath;
  const paths = executable && executable.startsWith('/') ? [executable] : [];
  const names: string[] = [];
  const add = (name: string | undefined): void => {
    if (name && name !== coreFileName && !names.includes(name) && !name.includes('/')) names.push(name);
  };
  if (executable) add(baseName(executable));
  add(core.processName);
  const stem = /^(.+)\.core$/.exec(coreFileName)?.[1];
  add(stem);
  return { paths, besideCore: names };
}

function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}
