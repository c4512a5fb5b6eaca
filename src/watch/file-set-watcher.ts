// A few named files (services.yaml and its env files), watched through their folders with Node's own
// fs.watch: native events without loading chokidar, and a save by rename (most editors) is still seen.
import { watch, watchFile, unwatchFile, type FSWatcher } from 'node:fs';
import { basename, dirname } from 'node:path';
import { fsReason } from '../core/fs-reason.js';
import type { FileChange } from './change-debouncer.js';

/** A running watch of a set of files. */
export interface FileSetWatcher {
  close(): void;
}

/** How often a polled file is looked at (MSDEV_WATCH_POLL=1). */
const POLL_MS = 500;

/**
 * Calls onChange for every change of one of `files` (absolute paths): created, written, replaced by a
 * rename, or deleted. Each folder holding one is watched once; events of other files in it are dropped.
 * With `poll`, each file is stat'ed every 500 ms instead. A folder that cannot be watched is said
 * through onError (once), and the others are still watched.
 */
export function watchFileSet(
  files: readonly string[],
  onChange: (change: FileChange) => void,
  options: { readonly poll?: boolean; readonly onError?: (message: string) => void } = {},
): FileSetWatcher {
  const closers: (() => void)[] = [];
  if (options.poll === true) {
    for (const file of new Set(files)) {
      const listener = (): void => onChange({ path: file, kind: 'change' });
      watchFile(file, { interval: POLL_MS, persistent: false }, listener);
      closers.push(() => unwatchFile(file, listener));
    }
    return { close: () => closers.forEach((c) => c()) };
  }
  const byFolder = new Map<string, Map<string, string>>();
  for (const file of files) {
    const names = byFolder.get(dirname(file)) ?? new Map<string, string>();
    names.set(basename(file), file);
    byFolder.set(dirname(file), names);
  }
  for (const [folder, names] of byFolder) {
    let watcher: FSWatcher;
    try {
      watcher = watch(folder, { persistent: false }, (event, name) => {
        const file = name === null ? undefined : names.get(name.toString());
        if (file !== undefined) onChange({ path: file, kind: event === 'rename' ? 'add' : 'change' });
      });
    } catch (err) {
      options.onError?.(`cannot watch ${folder}: ${fsReason(err)}; set MSDEV_WATCH_POLL=1 to poll instead`);
      continue;
    }
    watcher.on('error', (err) => options.onError?.(`watching ${folder}: ${fsReason(err)}`));
    closers.push(() => watcher.close());
  }
  return { close: () => closers.forEach((c) => c()) };
}
