// A read-only view of a project folder for `msdev init`'s guesses: the names in a folder and the
// start of a text file. The detectors take this view, so tests run them on an in-memory folder.
import { readdirSync, openSync, readSync, closeSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** How much of a file the detectors read: enough for a manifest or a script's head. */
const READ_LIMIT = 256 * 1024;

/** The folder `msdev init` looks at; paths are relative to it, `/`-separated, '' is the folder itself. */
export interface FolderView {
  /** Names in a folder, sorted; sub-folders end in `/`. Empty when it is not a folder. */
  list(dir: string): readonly string[];
  /** The text of a file (its first READ_LIMIT bytes), or undefined when it is not a readable file. */
  read(path: string): string | undefined;
}

/** Folders never looked into. */
const SKIPPED = new Set(['node_modules/', '.git/', '.msdev/', 'dist/', 'build/', 'target/', '.venv/', 'venv/', '__pycache__/']);

/** The FolderView of a folder on disk. */
export function diskFolder(root: string): FolderView {
  return {
    list(dir) {
      try {
        return readdirSync(join(root, dir), { withFileTypes: true })
          .map((e) => (e.isDirectory() ? `${e.name}/` : e.name))
          .filter((n) => !SKIPPED.has(n))
          .sort();
      } catch {
        return [];
      }
    },
    read(path) {
      const full = join(root, path);
      try {
        if (!statSync(full).isFile()) return undefined;
        const fd = openSync(full, 'r');
        try {
          const buf = Buffer.alloc(READ_LIMIT);
          const n = readSync(fd, buf, 0, READ_LIMIT, 0);
          return buf.subarray(0, n).toString('utf8');
        } finally {
          closeSync(fd);
        }
      } catch {
        return undefined;
      }
    },
  };
}

/** `dir` joined with `name` in FolderView spelling. */
export function joinRel(dir: string, name: string): string {
  return dir === '' ? name : `${dir.replace(/\/$/, '')}/${name}`;
}
