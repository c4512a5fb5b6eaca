// The files `msdev init` looks for in the current folder: what it must not overwrite, and what it converts.
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** msdev's own config files, which init never overwrites without --force. */
export const OWN_FILES = ['msdev.yaml', 'services.yaml'] as const;

/** Files of other tools init converts when no --from is given, in the order msdev discovers them. */
export const FOREIGN_FILES = ['compose.yaml', 'compose.yml', 'docker-compose.yaml', 'docker-compose.yml', 'process-compose.yaml', 'process-compose.yml', 'Procfile'] as const;

/** The first of `names` that is a file in `dir`, or undefined. */
export function firstFile(dir: string, names: readonly string[]): string | undefined {
  return names.find((n) => {
    const p = join(dir, n);
    return existsSync(p) && statSync(p).isFile();
  });
}
