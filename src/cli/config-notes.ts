// What msdev says about the file it read when it is another tool's: which file, and what it ignores in it.
import type { ConfigSource } from '../config/config-source.js';
import { FORMAT_NAMES } from '../config/config-format.js';
import { formatProblem } from '../config/errors.js';

/** A note about the config file, as one of msdev's own messages. */
export interface ConfigNote {
  readonly level: 'info' | 'warn';
  readonly text: string;
}

/** `using compose.yaml (a Compose file, read as it is)` and each warning as `file:line:col: key: what`; none for msdev's own file. */
export function configNotes(source: ConfigSource | undefined): ConfigNote[] {
  if (!source || source.format === 'msdev') return [];
  return [
    { level: 'info', text: `using ${source.file} (${FORMAT_NAMES[source.format]}, read as it is)` },
    ...source.warnings.map((w) => ({ level: 'warn' as const, text: formatProblem(w) })),
  ];
}
