// Watch action `sync`: changed files copied into the running container under its working folder, at the
// same place relative to the watched path (a watched file lands in the working folder itself); deleted ones removed.
import { lstatSync, type Stats } from 'node:fs';
import { basename, dirname, posix, relative, sep } from 'node:path';
import type Docker from 'dockerode';
import type { SyncChange } from '../runtime.js';
import type { ContextEntry } from './build-context.js';
import { contextTar } from './context-tar.js';
import { execArgv } from './container-exec.js';

/** How long removing deleted files in the container may take. */
const REMOVE_TIMEOUT_MS = 10_000;

/** Where each change lands: the folder its tar is read from, its path relative to it, and its path in the container. */
export interface SyncTarget {
  readonly base: string;
  readonly rel: string;
  readonly target: string;
}

/** The place of a change: relative to its watched folder, or (a watched file) its own name; in the container, under workdir. */
export function syncTarget(change: Pick<SyncChange, 'path' | 'root'>, workdir: string, rootIsFile: boolean): SyncTarget {
  const base = rootIsFile ? dirname(change.root) : change.root;
  const rel = (rootIsFile ? basename(change.path) : relative(base, change.path)).split(sep).join('/');
  return { base, rel, target: posix.join(workdir, rel) };
}

/** Copies what changed into the container and removes what was deleted; says what it did (`copied 3 files, removed 1`). Throws with the engine's reason. */
export async function syncIntoContainer(container: Docker.Container, workdir: string, changes: readonly SyncChange[]): Promise<string> {
  const byBase = new Map<string, ContextEntry[]>();
  const removed: string[] = [];
  for (const change of changes) {
    const rootIsFile = change.path === change.root && !isDir(change.root);
    const t = syncTarget(change, workdir, rootIsFile);
    if (t.rel === '' || t.rel.startsWith('..')) continue;
    const stat = change.deleted ? null : lstatOrNull(change.path);
    if (stat === null) {
      removed.push(t.target);
      continue;
    }
    const list = byBase.get(t.base) ?? [];
    list.push({ rel: t.rel, kind: stat.isDirectory() ? 'dir' : stat.isSymbolicLink() ? 'symlink' : 'file', mode: stat.mode & 0o7777, size: stat.size });
    byBase.set(t.base, list);
  }
  let copied = 0;
  for (const [base, entries] of byBase) {
    await container.putArchive(contextTar(base, entries), { path: workdir });
    copied += entries.length;
  }
  if (removed.length > 0) await removeInContainer(container, removed);
  const parts = [copied > 0 ? `copied ${copied} file${copied === 1 ? '' : 's'}` : '', removed.length > 0 ? `removed ${removed.length}` : ''].filter(Boolean);
  return `${parts.join(', ') || 'nothing to copy'} (into ${workdir})`;
}

/** Removes paths in the container with its `rm`, else busybox's (an image may have busybox but no `rm` link); throws saying why not. */
async function removeInContainer(container: Docker.Container, paths: readonly string[]): Promise<void> {
  let last = '';
  for (const rm of [['rm'], ['busybox', 'rm']]) {
    const r = await execArgv(container, [...rm, '-rf', '--', ...paths], REMOVE_TIMEOUT_MS);
    if (r.ok) return;
    last = r.reason;
    // 126/127: no such program here; anything else is rm's own failure.
    if (!/^exit code 12[67]\b/.test(r.reason)) break;
  }
  throw new Error(`removing ${paths.length} file(s) in the container failed: ${last}`);
}

function lstatOrNull(path: string): Stats | null {
  try {
    return lstatSync(path);
  } catch {
    return null;
  }
}

function isDir(path: string): boolean {
  return lstatOrNull(path)?.isDirectory() ?? false;
}
