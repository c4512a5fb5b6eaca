// Native file-system events for a set of WatchRules, through chokidar (the only importer of it, and
// lazily: chokidar is loaded only when some service watches). Ignored folders are never descended into.
import { statSync, type Stats } from 'node:fs';
import { dirname, join } from 'node:path';
import { fsReason } from '../core/fs-reason.js';
import type { FileChange } from './change-debouncer.js';
import { below, normalized } from './path-below.js';
import type { WatchRules } from './watch-rules.js';

/** A running watcher. */
export interface FileWatcher {
  /** Resolves once the initial scan is done (or the watcher is closed): changes after it are reported. */
  readonly ready: Promise<void>;
  /** Stops watching; no change is reported after it resolves. */
  close(): Promise<void>;
  /** Every folder and file chokidar holds a watch on (absolute), for tests and diagnostics. */
  watchedPaths(): string[];
}

/** Distinct error messages reported per watcher; then one saying there are more. */
const MAX_ERRORS = 10;

const KINDS: ReadonlySet<string> = new Set<FileChange['kind']>(['add', 'change', 'unlink', 'addDir', 'unlinkDir']);

/** What is at p: 'dir', 'file', or null when nothing is (or it cannot be seen). */
function kindOf(p: string): 'dir' | 'file' | null {
  try {
    const st = statSync(p, { throwIfNoEntry: false });
    return st ? (st.isDirectory() ? 'dir' : 'file') : null;
  } catch {
    return null;
  }
}

/**
 * The folder chokidar watches for a root: the folder holding it, when it is a folder (so it is seen again
 * when deleted and created again; a folder right under `/` is watched itself) or a file (so a file
 * replaced by rename, or deleted and created again, is still seen); its nearest existing parent when it
 * does not exist yet (so it is picked up when it is created).
 */
function watchTarget(root: string): string {
  const kind = kindOf(root);
  // A folder is watched from its parent too (its siblings there are not descended into), so that a
  // folder deleted and created again (a branch switch, `rm -rf src && git checkout src`) is seen again.
  if (kind === 'dir') return dirname(root) === root || dirname(dirname(root)) === dirname(root) ? root : dirname(root);
  let p = dirname(root);
  while (kindOf(p) !== 'dir' && dirname(p) !== p) p = dirname(p);
  return p;
}

/** The folders to hand chokidar: one per root, without those inside another (chokidar descends into them). */
function watchTargets(roots: readonly string[]): string[] {
  const targets = [...new Set(roots.map(watchTarget))].sort((a, b) => a.length - b.length);
  return targets.filter((t, i) => !targets.slice(0, i).some((outer) => below(outer, t) !== null));
}

/** A chokidar error in words, saying what to do about the usual ones. */
export function watchErrorMessage(err: unknown): string {
  const code = (err as NodeJS.ErrnoException | null)?.code;
  const poll = 'or set MSDEV_WATCH_POLL=1 to poll instead';
  if (code === 'ENOSPC') {
    return `watching files: the system limit on inotify watches is reached (ENOSPC): raise it (sudo sysctl fs.inotify.max_user_watches=524288), ignore big folders in .msdevignore, ${poll}`;
  }
  if (code === 'EMFILE' || code === 'ENFILE') {
    return `watching files: too many open files or inotify instances (${code}): raise \`ulimit -n\` or fs.inotify.max_user_instances, ignore big folders in .msdevignore, ${poll}`;
  }
  const path = (err as NodeJS.ErrnoException | null)?.path;
  return `watching files${path ? ` (${path})` : ''}: ${fsReason(err)}`;
}

/**
 * Watches the rules' roots and reports each change to a path the rules match (ignoreInitial: files
 * already there are not reported). Native events unless `poll` (the caller passes MSDEV_WATCH_POLL=1);
 * editors' atomic writes (unlink + add) come as one `change`. A root that does not exist yet is looked
 * for from its nearest existing parent folder, whose other contents are not descended into. chokidar's
 * errors (ENOSPC, EMFILE) go to `onError`, each distinct message once, and are never thrown; only a
 * failure to load chokidar rejects the returned promise. No roots: nothing is watched, ready at once.
 */
export async function watchFiles(
  rules: WatchRules,
  onChange: (change: FileChange) => void,
  options?: { readonly poll?: boolean; readonly onError?: (message: string) => void },
): Promise<FileWatcher> {
  const roots = rules.roots.map(normalized);
  // Nothing to watch (`paths: []`): chokidar would never say ready.
  if (roots.length === 0) return { ready: Promise.resolve(), close: () => Promise.resolve(), watchedPaths: () => [] };
  const { watch } = await import('chokidar');
  /** Inside or equal to a root, or (a folder) on the way down to one. */
  const inScope = (p: string, mayBeDir: boolean): boolean =>
    roots.some((r) => below(r, p) !== null || (mayBeDir && below(p, r) !== null));
  const ignored = (path: string, stats?: Stats): boolean => {
    const p = normalized(path);
    // chokidar asks first without stats, then again with them: without, guess generously (it then stats).
    if (!stats || stats.isSymbolicLink()) return !inScope(p, true) || (rules.ignored(p, false) && rules.ignored(p, true));
    const isDir = stats.isDirectory();
    if (!inScope(p, isDir)) return true;
    // A file that no change of would be reported needs no watch of its own.
    return isDir ? rules.ignored(p, true) : !rules.matches(p, false);
  };
  const watcher = watch(watchTargets(roots), {
    ignoreInitial: true,
    ignored,
    usePolling: options?.poll === true,
    atomic: true,
    ignorePermissionErrors: true,
  });
  const reported = new Set<string>();
  watcher.on('error', (err: unknown) => {
    const message = watchErrorMessage(err);
    if (reported.has(message) || reported.size > MAX_ERRORS) return;
    reported.add(message);
    options?.onError?.(reported.size > MAX_ERRORS ? 'watching files: more errors, not shown' : message);
  });
  watcher.on('all', (event, path) => {
    if (!KINDS.has(event)) return;
    const kind = event as FileChange['kind'];
    if (rules.matches(path, kind === 'addDir' || kind === 'unlinkDir')) onChange({ path, kind });
  });
  let markReady: () => void = () => {};
  const ready = new Promise<void>((resolve) => {
    markReady = resolve;
    watcher.once('ready', () => resolve());
  });
  let closing: Promise<void> | null = null;
  return {
    ready,
    close(): Promise<void> {
      closing ??= watcher.close().finally(() => markReady());
      // close() drops every listener; an fs.watch error arriving later must not become an uncaught 'error'.
      watcher.on('error', () => {});
      return closing;
    },
    watchedPaths(): string[] {
      const all = new Set<string>();
      for (const [dir, names] of Object.entries(watcher.getWatched())) {
        all.add(dir);
        for (const name of names) all.add(join(dir, name));
      }
      return [...all].sort();
    },
  };
}
