// Runs a CLI command as this process: the exit code once its output is flushed; an internal error
// prints its stack and exits 1.
import * as fs from 'node:fs';
import type { CliIo } from './io';

export function runAsProcess(run: () => Promise<number>, io: CliIo): void {
  void run().then(
    code =>
      io.flush().then(() => {
        // Every byte is out: the CLI's IO writes standard output and error synchronously. Leaving
        // the event loop to end instead would wait for V8's background compiles of the replay's
        // code and tear the heap down first: 10-70 ms between the last write and the exit.
        process.exit(code);
      }),
    (error: unknown) => {
      try {
        fs.writeSync(2, `buddy-heap: internal error: ${error instanceof Error ? error.stack : String(error)}\n`);
      } catch {
        // Standard error is gone: the exit code still says it.
      }
      process.exitCode = 1;
    },
  );
}
