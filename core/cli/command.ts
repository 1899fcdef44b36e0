// One CLI command run to its exit code: a CliError (bad usage, unreadable input) becomes its
// message on standard error and its code; anything else is an internal error for the caller.
import { CliError, type CliIo } from './io';

export async function runCommand(command: () => Promise<number>, io: CliIo): Promise<number> {
  try {
    return await command();
  } catch (error) {
    if (error instanceof CliError) {
      io.err(`buddy-heap: ${error.message}\n`);
      return error.exitCode;
    }
    throw error;
  }
}
