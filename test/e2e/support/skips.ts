// Skipping an e2e suite is allowed only when a toolchain is genuinely missing; the reason goes
// into test-results/e2e.json as the layer's notice.
import { ToolchainMissingError } from './buildTargets';

export const skipNotices = new Set<string>();

/** Runs a suite's setup; a missing tool skips the suite (with a notice), any other error fails it. */
export async function setupOrSkip<T>(context: Mocha.Context, setup: () => Promise<T>): Promise<T> {
  try {
    return await setup();
  } catch (error) {
    if (error instanceof ToolchainMissingError) {
      skipNotices.add(error.message);
      context.skip();
    }
    throw error;
  }
}
