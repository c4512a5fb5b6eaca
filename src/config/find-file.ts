// Finds the config file: `-f FILE` if given, else msdev.yaml then services.yaml in cwd and its parents; where
// neither exists anywhere up, a compose file, then process-compose.yaml, then a Procfile, the same way.
import { stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { FOREIGN_FILE_NAMES, formatOfPath, type ConfigFormat } from './config-format.js';
import { ConfigError } from './errors.js';
import { showPath } from './paths.js';
import { describeKind } from './read-bounded.js';

/** The names searched for, in order, in each folder. */
export const CONFIG_FILE_NAMES = ['msdev.yaml', 'services.yaml'] as const;

/** A config file: its absolute path and how to show it (as given, or relative to cwd). */
export interface FoundFile {
  readonly path: string;
  readonly shown: string;
  /** Its format, by its name. */
  readonly format: ConfigFormat;
}

/** A regular file, a folder, something else (described in words), or nothing there. */
async function kind(p: string): Promise<'file' | 'dir' | { readonly other: string } | null> {
  try {
    const s = await stat(p);
    return s.isFile() ? 'file' : s.isDirectory() ? 'dir' : { other: describeKind(s) };
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return code === 'ENOENT' || code === 'ENOTDIR' ? null : { other: `cannot be looked at: ${code ?? String(err)}` };
  }
}

async function inFolder(dir: string, names: readonly string[] = CONFIG_FILE_NAMES): Promise<string | null> {
  for (const name of names) {
    const p = join(dir, name);
    if ((await kind(p)) === 'file') return p;
  }
  return null;
}

function fail(file: string, message: string): never {
  throw new ConfigError([{ file, line: 0, col: 0, path: '', message }]);
}

/** Finds the config file to use; throws a ConfigError saying what to do when there is none. */
export async function findConfigFile(cwd: string, file?: string): Promise<FoundFile> {
  if (file !== undefined && file !== '') {
    const p = resolve(cwd, file);
    const k = await kind(p);
    if (k === 'file') return { path: p, shown: file, format: formatOfPath(p) };
    if (k === 'dir') {
      const found = (await inFolder(p)) ?? (await inFolder(p, FOREIGN_FILE_NAMES));
      if (found) return { path: found, shown: join(file, found.slice(p.length + 1)), format: formatOfPath(found) };
      fail(file, `is a folder with no ${CONFIG_FILE_NAMES.join(' or ')} in it; name the file itself with -f`);
    }
    if (k !== null) fail(file, k.other.startsWith('cannot') ? `${k.other}; check the path given to -f/--file` : `is not a regular file (${k.other}); name a YAML file with -f/--file`);
    fail(file, 'file not found; check the path given to -f/--file');
  }
  // msdev's own files win anywhere up; only where there is none are the other tools' files looked for.
  for (const names of [CONFIG_FILE_NAMES, FOREIGN_FILE_NAMES]) {
    let dir = resolve(cwd);
    for (;;) {
      const found = await inFolder(dir, names);
      if (found) return { path: found, shown: showPath(found, cwd), format: formatOfPath(found) };
      const up = dirname(dir);
      if (up === dir) break;
      dir = up;
    }
  }
  fail(
    'msdev',
    `no ${CONFIG_FILE_NAMES.join(' or ')} (nor a compose file, process-compose.yaml or Procfile) in ${resolve(cwd)} or any folder above it; create one (msdev init) or name one with -f FILE`,
  );
}
