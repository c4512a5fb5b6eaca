// The files `msdev init` looks for in the current folder: msdev's own (never overwritten without
// --force) and other tools' (converted when no --from is given), as config discovery names them.
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** The first of `names` that is a file in `dir`, or undefined. */
export function firstFile(dir: string, names: readonly string[]): string | undefined {
  return names.find((n) => {
    const p = join(dir, n);
    return existsSync(p) && statSync(p).isFile();
  });
}
