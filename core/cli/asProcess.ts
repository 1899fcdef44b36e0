// Runs a CLI command as this process: output flushed, then the exit code set (never process.exit,
// which could cut standard error short); an internal error prints its stack and exits 1.
import type { CliIo } from './io';

export function runAsProcess(run: () => Promise<number>, io: CliIo): void {
  void run().then(
    code =>
      io.flush().then(() => {
        process.exitCode = code;
      }),
    (error: unknown) => {
      process.stderr.write(`buddy-heap: internal error: ${error instanceof Error ? error.stack : String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
