// The CLI's input and output, behind an interface so tests run commands in-process.
import * as fs from 'node:fs';
import type { ByteSource } from '../trace/streamReplay';

export interface CliIo {
  out(text: string): void;
  /** Raw output bytes; only valid during the call (the caller reuses its buffer). */
  outBytes(bytes: Uint8Array): void;
  err(text: string): void;
  /** Reads a file, or standard input for "-". */
  readText(path: string): Promise<string>;
  readBytes(path: string): Promise<Uint8Array>;
  /** A file (not "-") read as it is consumed; readBytes serves IOs without it. */
  streamBytes?(path: string): ByteSource;
  flush(): Promise<void>;
}

export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: 1 | 2,
  ) {
    super(message);
  }
}

/** Buffers stdout in large chunks: a million JSON lines written one by one would dominate replay time. */
export function nodeIo(): CliIo {
  let pending: string[] = [];
  let pendingLength = 0;
  const drain = () => {
    if (pending.length === 0) return;
    fs.writeSync(1, pending.join(''));
    pending = [];
    pendingLength = 0;
  };
  const unreadable = (path: string, error: unknown): CliError => {
    const code = (error as NodeJS.ErrnoException).code;
    return new CliError(`cannot read ${path === '-' ? 'standard input' : `"${path}"`}${code ? ` (${code})` : ''}`, 1);
  };
  const read = async (path: string): Promise<Buffer> => {
    try {
      return path === '-' ? fs.readFileSync(0) : await fs.promises.readFile(path);
    } catch (error) {
      throw unreadable(path, error);
    }
  };
  return {
    out(text) {
      pending.push(text);
      pendingLength += text.length;
      if (pendingLength > 1 << 20) drain();
    },
    outBytes(bytes) {
      drain();
      for (let done = 0; done < bytes.length;) done += fs.writeSync(1, bytes, done, bytes.length - done);
    },
    err(text) {
      drain();
      process.stderr.write(text);
    },
    readText: async path => (await read(path)).toString('utf8'),
    // A view, not new Uint8Array(buffer): that copies a Buffer byte by byte (200 ms for 18 MB).
    readBytes: async path => {
      const b = await read(path);
      return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
    },
    streamBytes(path) {
      let fd: number | undefined;
      try {
        fd = fs.openSync(path, 'r');
      } catch (error) {
        throw unreadable(path, error);
      }
      const close = () => {
        if (fd !== undefined) fs.closeSync(fd);
        fd = undefined;
      };
      return (into, at) => {
        if (fd === undefined) return 0;
        try {
          const n = fs.readSync(fd, into, at, into.length - at, null);
          if (n === 0) close();
          return n;
        } catch (error) {
          close();
          throw unreadable(path, error);
        }
      };
    },
    flush: async () => drain(),
  };
}

/** Splits argv into positionals and flags; unknown flags are usage errors. */
export function parseArgs(
  args: readonly string[],
  flags: readonly string[],
  valued: readonly string[] = [],
): { positional: string[]; flags: Set<string>; values: Map<string, string> } {
  const positional: string[] = [];
  const seen = new Set<string>();
  const values = new Map<string, string>();
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (valued.includes(arg)) {
      const value = args[++i];
      if (value === undefined) throw new CliError(`${arg} needs a value`, 2);
      values.set(arg, value);
    } else if (flags.includes(arg)) seen.add(arg);
    else if (arg.startsWith('--')) throw new CliError(`unknown option "${arg}"`, 2);
    else positional.push(arg);
  }
  return { positional, flags: seen, values };
}
