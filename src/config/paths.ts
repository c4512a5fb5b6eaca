// Paths in services.yaml: relative to the config file's folder; `~/` is the home folder.
import { isAbsolute, join, relative, resolve } from 'node:path';

/** The absolute path of `p` written in a config file that lives in `dir`. */
export function resolvePath(dir: string, p: string, env: NodeJS.ProcessEnv = {}): string {
  if ((p === '~' || p.startsWith('~/')) && env.HOME) return join(env.HOME, p.slice(1));
  return resolve(dir, p);
}

/** How to show an absolute path to a user in `cwd`: relative when that is shorter. */
export function showPath(file: string, cwd: string): string {
  if (!isAbsolute(file)) return file;
  const rel = relative(cwd, file);
  return rel !== '' && rel.length < file.length ? rel : file;
}
