// The files of a build context that docker would send: a walk of the folder filtered by its .dockerignore.
import dockerignore from '@balena/dockerignore';
import { lstat, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

/** One entry sent with the build context. */
export interface ContextEntry {
  /** Path relative to the context, `/`-separated. */
  readonly rel: string;
  /** A directory is listed only when it is empty on disk (its files list the rest). */
  readonly kind: 'file' | 'symlink' | 'dir';
  /** Permission bits (mode & 0o7777). */
  readonly mode: number;
  readonly size: number;
}

/** Which relative paths a .dockerignore leaves out, by Docker's rules. */
export interface ContextFilter {
  ignores(rel: string): boolean;
  /** The file has `!` exceptions: an ignored folder may still hold files that are sent. */
  readonly hasExceptions: boolean;
}

/** The filter of a .dockerignore's text (empty text: nothing is ignored). */
export function contextFilter(dockerignoreText: string): ContextFilter {
  const rules = dockerignore.default({ ignorecase: false }).add(dockerignoreText.split(/\r?\n/));
  return {
    ignores: (rel) => rules.ignores(rel),
    hasExceptions: dockerignoreText.split(/\r?\n/).some((l) => l.trim().startsWith('!')),
  };
}

/** Sorts by path, code unit order (not locale), so the order never depends on the machine. */
export function byPath(a: ContextEntry, b: ContextEntry): number {
  return a.rel < b.rel ? -1 : a.rel > b.rel ? 1 : 0;
}

/**
 * Lists what docker would send for a build: every file and symlink (not followed) and every empty
 * folder under `context` that its .dockerignore does not leave out, plus the Dockerfile (`dockerfileRel`)
 * and .dockerignore always. Sorted by path. An ignored folder is not walked unless exceptions may re-add files.
 */
export async function listContext(context: string, dockerfileRel: string): Promise<ContextEntry[]> {
  const ignoreText = await readFile(join(context, '.dockerignore'), 'utf8').catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return '';
    throw err;
  });
  const filter = contextFilter(ignoreText);
  const always = new Set([dockerfileRel, '.dockerignore']);
  const out: ContextEntry[] = [];

  async function walk(dirRel: string): Promise<void> {
    const names = (await readdir(dirRel === '' ? context : join(context, dirRel))).sort();
    if (names.length === 0 && dirRel !== '' && !filter.ignores(dirRel)) {
      const st = await lstat(join(context, dirRel));
      out.push({ rel: dirRel, kind: 'dir', mode: st.mode & 0o7777, size: 0 });
    }
    for (const name of names) {
      const rel = dirRel === '' ? name : `${dirRel}/${name}`;
      const st = await lstat(join(context, rel));
      const ignored = !always.has(rel) && filter.ignores(rel);
      if (st.isDirectory()) {
        if (!ignored || filter.hasExceptions) await walk(rel);
      } else if (!ignored && (st.isFile() || st.isSymbolicLink())) {
        out.push({ rel, kind: st.isFile() ? 'file' : 'symlink', mode: st.mode & 0o7777, size: st.isFile() ? st.size : 0 });
      }
    }
  }

  await walk('');
  // An ignored folder that was not walked may hold the Dockerfile: it is sent all the same.
  for (const rel of always) {
    if (out.some((e) => e.rel === rel)) continue;
    const st = await lstat(join(context, rel)).catch(() => null);
    if (st?.isFile()) out.push({ rel, kind: 'file', mode: st.mode & 0o7777, size: st.size });
  }
  return out.sort(byPath);
}
