// Problems found in a config file, reported all at once as `file:line:col: key.path: message`.
import { escapeControls, MESSAGE_MAX, shorten } from './quote.js';

/** One problem in the config file. */
export interface ConfigProblem {
  /** Path of the file as given to the user (relative to cwd where shorter). */
  readonly file: string;
  /** 1-based line and column of the offending node; 0 when the problem has no position (e.g. unreadable file). */
  readonly line: number;
  readonly col: number;
  /** Dotted key path, e.g. `services.api.depends_on`; empty for file-level problems. */
  readonly path: string;
  readonly message: string;
}

/** Thrown by loadConfig when the file cannot be used; carries every problem found. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(readonly problems: readonly ConfigProblem[]) {
    super(problems.map(formatProblem).join('\n'));
  }
}

/** Formats one problem as SPEC §1 shows: `services.yaml:12:5: services.api.depends_on: unknown service "dbb"`. */
export function formatProblem(p: ConfigProblem): string {
  // Always one line, of bounded length, whatever user text got into the parts.
  const file = escapeControls(p.file);
  const where = p.line > 0 ? `${file}:${p.line}:${p.col}` : file;
  const message = escapeControls(shorten(p.message, MESSAGE_MAX));
  return p.path ? `${where}: ${escapeControls(shorten(p.path, MESSAGE_MAX))}: ${message}` : `${where}: ${message}`;
}
