// The build context as a tar stream of exactly the listed entries (tar-fs, loaded only when a build runs).
import { createRequire } from 'node:module';
import type { Readable } from 'node:stream';
import type { ContextEntry } from './build-context.js';

/** The part of a tar header msdev rewrites. */
interface TarHeader {
  uid?: number;
  gid?: number;
  uname?: string;
  gname?: string;
}

/** The part of tar-fs used here (it ships no types). */
interface TarFs {
  pack(cwd: string, options: { entries: string[]; umask: number; map: (h: TarHeader) => TarHeader }): Readable;
}

/**
 * A tar stream of the entries, read from `context` as they are sent: modes kept (no umask), owner
 * root as `docker build` sends it, symlinks as links. tar-fs is required here, not imported, so the
 * CLI bundle leaves it out and loads it only for a build.
 */
export function contextTar(context: string, entries: readonly ContextEntry[]): Readable {
  const tar = createRequire(import.meta.url)('tar-fs') as TarFs;
  return tar.pack(context, {
    entries: entries.map((e) => e.rel),
    umask: 0,
    map: (h) => Object.assign(h, { uid: 0, gid: 0, uname: '', gname: '' }),
  });
}
