// The CLI's input and output, behind an interface so tests run commands in-process. Every input is
// read a bounded piece at a time (traces as streams, images by position, layout files capped), so
// memory does not grow with the input.
import * as fs from 'node:fs';
import type { ByteSource } from '../trace/streamReplay';
import { escapeText, quoteText } from '../util/quote';

/** A file read by position: what `inspect` needs of an image (a few words and the heap's pages). */
export interface RandomAccessFile {
  readonly size: number;
  /** Fills `into` from byte `position` on as far as the file goes; returns how many bytes. */
  read(into: Uint8Array, position: number): number;
  close(): void;
}

export interface CliIo {
  out(text: string): void;
  /** Raw output bytes; only valid during the call (the caller reuses its buffer). */
  outBytes(bytes: Uint8Array): void;
  err(text: string): void;
  /** Reads a file, or standard input for "-", as text; refuses one over `maxBytes`. */
  readText(path: string, maxBytes?: number): Promise<string>;
  /** Reads a whole file (kept for IOs without streamBytes/openFile: tests with in-memory files). */
  readBytes(path: string): Promise<Uint8Array>;
  /** A file, or standard input for "-", read as it is consumed. */
  streamBytes?(path: string): ByteSource;
  /** A file opened for reads by position. */
  openFile?(path: string): RandomAccessFile;
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

/** The trace of `path` as a source: streamed when the IO can, else read whole first. */
export async function traceSource(io: CliIo, path: string): Promise<ByteSource | Uint8Array> {
  return io.streamBytes ? io.streamBytes(path) : await io.readBytes(path);
}

/** `path` for reads by position: the IO's own, else the whole file read into memory. */
export async function randomAccess(io: CliIo, path: string): Promise<RandomAccessFile> {
  if (io.openFile) return io.openFile(path);
  const bytes = await io.readBytes(path);
  return {
    size: bytes.length,
    read(into, position) {
      const n = Math.max(0, Math.min(into.length, bytes.length - position));
      into.set(bytes.subarray(position, position + n));
      return n;
    },
    close: () => undefined,
  };
}

/** A path as messages name it: "-" is standard input; control characters are escaped. */
export const describePath = (path: string) => (path === '-' ? 'standard input' : quoteText(path, 200));

/** The prefix of a message about a line of `path`. */
export const inputName = (path: string) => (path === '-' ? 'stdin' : escapeText(path));

function unreadable(path: string, error: unknown): CliError {
  const code = (error as NodeJS.ErrnoException).code;
  return new CliError(`cannot read ${describePath(path)}${code ? ` (${code})` : ''}`, 1);
}

/** Blocks the thread for `ms` (a pipe or terminal in non-blocking mode said "try again"). */
function pause(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

const isAgain = (error: unknown) => (error as NodeJS.ErrnoException).code === 'EAGAIN';

/** Reads into `into` from `at`, waiting out EAGAIN (stdin may be a non-blocking pipe); 0 at the end. */
function readSome(fd: number, into: Uint8Array, at: number, position: number | null): number {
  for (;;) {
    try {
      return fs.readSync(fd, into, at, into.length - at, position);
    } catch (error) {
      if (!isAgain(error)) throw error;
      pause(1);
    }
  }
}

/** Writes all of `bytes`, waiting out EAGAIN (a pipe another process made non-blocking). */
function writeAll(fd: number, bytes: Uint8Array): void {
  for (let done = 0; done < bytes.length;) {
    try {
      done += fs.writeSync(fd, bytes, done, bytes.length - done);
    } catch (error) {
      if (!isAgain(error)) {
        const code = (error as NodeJS.ErrnoException).code;
        throw new CliError(
          code === 'EPIPE' ? 'standard output was closed (EPIPE); stopped' : `cannot write the output${code ? ` (${code})` : ''}`,
          1,
        );
      }
      pause(1);
    }
  }
}

/** Buffers stdout in large chunks: a million JSON lines written one by one would dominate replay time. */
export function nodeIo(): CliIo {
  // Concatenated, not pushed and joined: millions of short pieces (inspect's blocks) as an array of
  // strings cost more in garbage collection than the writing itself.
  let pending = '';
  const drain = () => {
    if (pending.length === 0) return;
    const text = pending;
    pending = '';
    writeAll(1, Buffer.from(text));
  };
  const open = (path: string): number => {
    try {
      return fs.openSync(path, 'r');
    } catch (error) {
      throw unreadable(path, error);
    }
  };
  return {
    out(text) {
      pending += text;
      if (pending.length > 1 << 20) drain();
    },
    outBytes(bytes) {
      drain();
      writeAll(1, bytes);
    },
    err(text) {
      try {
        drain();
      } catch {
        // Standard output is gone (a closed pipe): the message still goes to standard error.
      }
      // Written through before returning, as standard output is: the process may exit right after.
      try {
        writeAll(2, Buffer.from(text));
      } catch {
        // Standard error is gone too: there is no one left to tell.
      }
    },
    async readText(path, maxBytes = Number.MAX_SAFE_INTEGER) {
      const fd = path === '-' ? 0 : open(path);
      const chunks: Buffer[] = [];
      let total = 0;
      try {
        for (;;) {
          const chunk = Buffer.allocUnsafe(1 << 16);
          const n = readSome(fd, chunk, 0, null);
          if (n === 0) break;
          total += n;
          if (total > maxBytes) throw new CliError(`${describePath(path)} is larger than ${maxBytes} bytes; is it the right file?`, 2);
          chunks.push(chunk.subarray(0, n));
        }
      } catch (error) {
        throw error instanceof CliError ? error : unreadable(path, error);
      } finally {
        if (fd !== 0) fs.closeSync(fd);
      }
      return Buffer.concat(chunks).toString('utf8');
    },
    // A view, not new Uint8Array(buffer): that copies a Buffer byte by byte (200 ms for 18 MB).
    async readBytes(path) {
      try {
        const b = path === '-' ? fs.readFileSync(0) : await fs.promises.readFile(path);
        return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
      } catch (error) {
        throw unreadable(path, error);
      }
    },
    streamBytes(path) {
      const stdin = path === '-';
      let fd: number | undefined = stdin ? 0 : open(path);
      const close = () => {
        if (fd !== undefined && !stdin) fs.closeSync(fd);
        fd = undefined;
      };
      return (into, at) => {
        if (fd === undefined) return 0;
        try {
          const n = readSome(fd, into, at, null);
          if (n === 0) close();
          return n;
        } catch (error) {
          close();
          throw unreadable(path, error);
        }
      };
    },
    openFile(path) {
      if (path === '-')
        throw new CliError(
          'the image must be a file: inspect reads the parts of it the heap needs; save standard input to a file first',
          2,
        );
      const fd = open(path);
      let size: number;
      try {
        const stat = fs.fstatSync(fd);
        if (!stat.isFile()) throw new CliError(`${describePath(path)} is not a regular file: inspect reads the image by position`, 2);
        size = stat.size;
      } catch (error) {
        fs.closeSync(fd);
        throw error instanceof CliError ? error : unreadable(path, error);
      }
      return {
        size,
        read(into, position) {
          let done = 0;
          try {
            while (done < into.length) {
              const n = readSome(fd, into, done, position + done);
              if (n === 0) break;
              done += n;
            }
          } catch (error) {
            throw unreadable(path, error);
          }
          return done;
        },
        close: () => fs.closeSync(fd),
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
    else if (arg.startsWith('--')) throw new CliError(`unknown option ${quoteText(arg, 40)}`, 2);
    else positional.push(arg);
  }
  return { positional, flags: seen, values };
}
