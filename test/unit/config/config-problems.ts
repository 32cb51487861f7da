import { ConfigValidationError, loadConfig } from '../../../src/config/load-config';

/** The problems loadConfig reports for `env`; fails the test if it accepts it. */
export function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigValidationError) return [...err.problems];
    throw err;
  }
  throw new Error('expected the configuration to be rejected');
}
