// Which watched path each changed file is under, and whether it is gone: what a sync needs to place it.
import { sep } from 'node:path';
import type { SyncChange } from '../runtimes/runtime.js';
import type { FileChange } from '../watch/change-debouncer.js';

/** The changes as a sync takes them; a change under no watched path (it cannot be placed) is left out. */
export function syncChanges(changes: readonly FileChange[], roots: readonly string[]): SyncChange[] {
  const out: SyncChange[] = [];
  for (const c of changes) {
    // The deepest watched path that holds it decides where it lands.
    const root = roots.filter((r) => c.path === r || c.path.startsWith(r.endsWith(sep) ? r : r + sep)).sort((a, b) => b.length - a.length)[0];
    if (root === undefined) continue;
    out.push({ path: c.path, root, deleted: c.kind === 'unlink' || c.kind === 'unlinkDir' });
  }
  return out;
}
