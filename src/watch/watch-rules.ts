// Which paths a service's hot reload watches and which it ignores: the always-ignored names, the
// `.msdevignore` next to the config file (gitignore syntax, via the `ignore` package) and the service's
// own `watch.ignore` globs; glob `paths` are split into a static base folder (watched) and a pattern
// (picomatch, filtering what changes under it). Pure: no file-system access except readMsdevignore.
import { readFileSync } from 'node:fs';
import { basename, join, sep } from 'node:path';
import ignore, { type Ignore } from 'ignore';
import picomatch from 'picomatch';
import { fsReason } from '../core/fs-reason.js';
import { below, normalized } from './path-below.js';

/**
 * Gitignore-syntax patterns that are never watched, at any depth below a watched path. A path named
 * in `watch.paths` itself is still watched (`paths: [dist]` watches dist's contents).
 */
export const ALWAYS_IGNORED: readonly string[] = [
  '.git', // version control internals: change on every commit, checkout, fetch
  '.hg', // Mercurial's
  '.svn', // Subversion's
  'node_modules', // installed packages: huge, changed by npm, not by editing
  'dist', // build output: a watcher that rebuilds into it must not retrigger itself
  '.msdev', // msdev's own logs, state file and control socket
  '__pycache__', // Python's bytecode cache, written whenever a module is imported
  '*.swp', // Vim swap file (`.app.js.swp`), rewritten as you type
  '*.swo', // Vim's second swap file when the first is taken
  '*.swn', // Vim's third
  '*.swx', // Vim's probe that the folder is writable
  '*~', // backup copies: Vim (`backup`), Emacs, gedit, Kate
  '4913', // Vim's probe file, created and deleted before each save
  '.#*', // Emacs lock files (symlinks named `.#app.js`)
  '\\#*#', // Emacs auto-save files (`#app.js#`); `\#` because a leading `#` is a comment
  '*___jb_tmp___', // JetBrains IDEs' "safe write": the new content, renamed over the file
  '*___jb_old___', // JetBrains IDEs' "safe write": the old content, deleted after the rename
  '*.tmp', // Sublime Text's atomic save (`.subl1a2b.tmp`) and other temp-then-rename writers
  '.goutputstream-*', // gedit/GIO's temp file, renamed over the file on save
  '*.kate-swp', // Kate's swap file
  '.DS_Store', // macOS Finder's folder metadata, written when a folder is opened
];

/** What a service watches: folders and files for chokidar, and the tests of what changed under them. */
export interface WatchRules {
  /** Absolute folders and files to watch: a folder, a file, or a glob path's static base folder. */
  readonly roots: readonly string[];
  /**
   * True when the path is not watched: under an always-ignored name, a `.msdevignore` pattern or a
   * service `ignore` glob. A folder that is ignored is ignored whole, so it is never descended into;
   * a root and the folders above it are never ignored.
   */
  ignored(absPath: string, isDir: boolean): boolean;
  /** Whether a changed path is one the service watches (inside a watched folder, a watched file, or matching a glob) and not ignored. */
  matches(absPath: string, isDir?: boolean): boolean;
}

/** One entry of `watch.paths`: a base path and, for a glob, the test for paths relative to that base. */
interface PathSpec {
  readonly base: string;
  readonly glob: ((rel: string) => boolean) | null;
}

/** Gitignore rules compare case-insensitively where the file system usually does. */
const IGNORE_CASE = process.platform === 'darwin' || process.platform === 'win32';
/** The `ignore` package caches every path it has tested: start afresh after this many, to bound memory. */
const CACHE_LIMIT = 50_000;

/** A `watch.paths` entry split into its static base and its glob (relative to the base), if any. */
function pathSpec(root: string, p: string): PathSpec {
  // Scan only the part below the config folder, so glob characters in the folder's own name are literal.
  const rel = below(root, normalized(p));
  const scanned = picomatch.scan(rel ?? p);
  if (!scanned.isGlob) return { base: normalized(p), glob: null };
  const base = normalized(rel === null ? scanned.base || sep : join(root, scanned.base));
  return { base, glob: picomatch(scanned.glob, { dot: true }) };
}

/** Whether the gitignore rules ignore rel (relative, non-empty), as a folder when isDir. */
function test(rules: Ignore, rel: string, isDir: boolean): boolean {
  const path = sep === '/' ? rel : rel.split(sep).join('/');
  return rules.ignores(isDir ? `${path}/` : path);
}

/** The rules of one service's watch: which roots to watch, what is ignored, what counts as a change. */
export function createWatchRules(o: {
  /** The config file's folder: `.msdevignore` and the ignore globs are relative to it. */
  readonly root: string;
  /** Absolute paths as the config model gives them; may contain glob characters. */
  readonly paths: readonly string[];
  /** The service's ignore globs, in gitignore semantics (`**\/*.test.ts`, `*.log`, `tmp/`). */
  readonly ignore: readonly string[];
  /** The text of `.msdevignore` next to the config, or null. */
  readonly msdevignore: string | null;
}): WatchRules {
  const root = normalized(o.root);
  const specs = o.paths.map((p) => pathSpec(root, p));
  const roots = [...new Set(specs.map((s) => s.base))];
  const globs = o.ignore.filter((g) => g.trim() !== '');
  const makeAlways = (): Ignore => ignore({ ignorecase: IGNORE_CASE }).add(ALWAYS_IGNORED);
  // The .msdevignore text first (add() splits it into lines), then the globs: its negations cannot undo them.
  const makeUser = (): Ignore | null =>
    o.msdevignore === null && globs.length === 0 ? null : ignore({ ignorecase: IGNORE_CASE }).add(o.msdevignore ?? '').add(globs);
  let always = makeAlways();
  let user = makeUser();
  let tested = 0;
  const fresh = (): void => {
    if (++tested < CACHE_LIMIT) return;
    tested = 0;
    always = makeAlways();
    user = makeUser();
  };

  /** The path of p relative to the deepest root that contains it, or null. */
  const belowRoot = (p: string): string | null => {
    let best: string | null = null;
    for (const r of roots) {
      const rel = below(r, p);
      if (rel !== null && (best === null || rel.length < best.length)) best = rel;
    }
    return best;
  };
  const ignored = (absPath: string, isDir: boolean): boolean => {
    const p = normalized(absPath);
    // A root and the folders above it are walked through, whatever the patterns say.
    if (roots.some((r) => below(p, r) !== null)) return false;
    fresh();
    const own = belowRoot(p);
    const inRoot = below(root, p);
    const alwaysRel = own ?? inRoot ?? basename(p);
    if (alwaysRel !== '' && test(always, alwaysRel, isDir)) return true;
    // `ignore` throws on `../` paths: a path outside the config folder is matched from its own root.
    const userRel = inRoot ?? own;
    return user !== null && userRel !== null && userRel !== '' && test(user, userRel, isDir);
  };
  const matches = (absPath: string, isDir = false): boolean => {
    const p = normalized(absPath);
    if (ignored(p, isDir)) return false;
    return specs.some((s) => {
      const rel = below(s.base, p);
      if (rel === null) return false;
      return s.glob === null || (rel !== '' && s.glob(rel));
    });
  };
  return { roots, ignored, matches };
}

/** The text of `.msdevignore` in root, or null when there is none; any other read error is thrown naming the file. */
export function readMsdevignore(root: string): string | null {
  const file = join(root, '.msdevignore');
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new Error(`${file}: cannot read it: ${fsReason(err)}`);
  }
}
