// A CliIo over in-memory files for running commands in-process. Traces are streamed like real files
// are (a few bytes per read when asked, to cross every buffer boundary), and a file can be made to
// fail after some bytes, as a pipe or a disk can.
import { CliError, type CliIo } from '../../../core/cli/io';

export interface MemoryIoOptions {
  /** Bytes per streamed read (default: as many as asked for). */
  readonly chunk?: number;
  /** A file whose streamed reads fail with EIO once this many of its bytes have been read. */
  readonly failAfter?: { readonly path: string; readonly bytes: number };
}

export function memoryIo(files: Record<string, string | Uint8Array>, options: MemoryIoOptions = {}) {
  const out: Uint8Array[] = [];
  let text = '';
  let stderr = '';
  const bytesOf = (path: string): Uint8Array => {
    const file = files[path];
    if (file === undefined) throw new CliError(`cannot read ${path === '-' ? 'standard input' : `"${path}"`} (ENOENT)`, 1);
    return typeof file === 'string' ? new TextEncoder().encode(file) : file;
  };
  const io: CliIo = {
    out: t => {
      text += t;
    },
    outBytes: b => {
      // The caller reuses its buffer: keep a copy, as the terminal would.
      text += new TextDecoder().decode(b);
      out.push(b.slice());
    },
    err: t => {
      stderr += t;
    },
    readText: async (path, maxBytes = Infinity) => {
      const bytes = bytesOf(path);
      if (bytes.length > maxBytes) throw new CliError(`"${path}" is larger than ${maxBytes} bytes; is it the right file?`, 2);
      return new TextDecoder().decode(bytes);
    },
    readBytes: async path => bytesOf(path),
    streamBytes: path => {
      const bytes = bytesOf(path);
      let done = 0;
      return (into, at) => {
        const failAt = options.failAfter?.path === path ? options.failAfter.bytes : Infinity;
        if (done >= failAt) throw new CliError(`cannot read ${path === '-' ? 'standard input' : `"${path}"`} (EIO)`, 1);
        const n = Math.min(into.length - at, bytes.length - done, options.chunk ?? Infinity, failAt - done);
        into.set(bytes.subarray(done, done + n), at);
        done += n;
        return n;
      };
    },
    flush: async () => undefined,
  };
  return { io, stdout: () => text, stderr: () => stderr };
}
