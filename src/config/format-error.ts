// One way for every command to print config problems.
import { ConfigError, formatProblem } from './errors.js';

/** The problems of a ConfigError, one `file:line:col: path: message` line each (no trailing newline); null for any other error. */
export function formatConfigError(err: unknown): string | null {
  if (!(err instanceof ConfigError)) return null;
  return err.problems.map(formatProblem).join('\n');
}
