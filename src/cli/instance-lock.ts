// The exclusive lock on a project's instance: one msdev (up, run or smoke) per project at a time.
import { linkSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fsReason } from '../core/fs-reason.js';
import { isSameProcess, selfIdentity, type ProcessIdentity } from '../process/process-identity.js';

/** `.msdev` (or a file in it) cannot be written: the message names the path and the reason. */
export class InstanceDirError extends Error {
  override readonly name = 'InstanceDirError';
}

/** Whether the lock was taken, or the pid of the live msdev that holds it. */
export type LockResult = { readonly ok: true } | { readonly ok: false; readonly holder: number };

const LOCK_NAME = /^lock\.(\d+)$/;
const TEMP_PREFIX = 'lock.tmp.';
/** How many times a contender re-reads the folder after losing a race before giving up. */
const ATTEMPTS = 50;
/** Temp files of contenders that died between writing and linking are removed after this long. */
const TEMP_MAX_AGE_MS = 60_000;

/**
 * Takes the lock of the instance in `dir` (the `.msdev` folder, created when missing). The lock is a
 * file `lock.N` that holds its holder's identity; the holder is the creator of the highest N. A new
 * holder creates `lock.N+1` with link() (atomic: of two contenders only one creates it), and only when
 * the holder of `lock.N` is gone (identity checked, so a reused pid does not count); a contender that
 * created a lower number than one it then finds loses. The lock is held for the life of the process:
 * whichever way msdev ends, even kill -9, its file then names a process that is gone.
 */
export function acquireInstanceLock(dir: string): LockResult {
  ensureDir(dir);
  const self = selfIdentity();
  const temp = join(dir, `${TEMP_PREFIX}${self.pid}.${self.start}`);
  try {
    writeFileSync(temp, JSON.stringify(self), { mode: 0o600 });
  } catch (err) {
    throw new InstanceDirError(cannotWrite(dir, err));
  }
  try {
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      const max = Math.max(0, ...lockNumbers(dir));
      if (max > 0) {
        const holder = readHolder(join(dir, `lock.${max}`));
        if (holder === 'gone') continue;
        if (holder && holder.pid !== self.pid && isSameProcess(holder)) return { ok: false, holder: holder.pid };
      }
      const mine = join(dir, `lock.${max + 1}`);
      try {
        linkSync(temp, mine);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'EEXIST') continue;
        throw new InstanceDirError(cannotWrite(mine, err));
      }
      if (lockNumbers(dir).some((n) => n > max + 1)) {
        // Late: someone took a higher number meanwhile. Step back and look again.
        rmSync(mine, { force: true });
        continue;
      }
      removeOld(dir, max + 1);
      return { ok: true };
    }
    throw new InstanceDirError(`msdev: could not take the lock in ${dir}: too many msdev runs starting at once; nothing was started, try again.`);
  } finally {
    rmSync(temp, { force: true });
  }
}

/** The numbers of the lock files in dir. */
function lockNumbers(dir: string): number[] {
  const out: number[] = [];
  for (const name of readdirSync(dir)) {
    const m = LOCK_NAME.exec(name);
    if (m) out.push(Number(m[1]));
  }
  return out;
}

/** Who a lock file names; 'gone' when the file went away meanwhile; null when it names no one. */
function readHolder(file: string): ProcessIdentity | 'gone' | null {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'gone' : null;
  }
  try {
    const data = JSON.parse(text) as Partial<ProcessIdentity>;
    return typeof data.pid === 'number' && typeof data.start === 'number' && typeof data.boot === 'string'
      ? { pid: data.pid, start: data.start, boot: data.boot }
      : null;
  } catch {
    return null;
  }
}

/** Removes lock files below `mine` (their holders are gone) and temp files contenders left long ago. */
function removeOld(dir: string, mine: number): void {
  for (const name of readdirSync(dir)) {
    const m = LOCK_NAME.exec(name);
    const file = join(dir, name);
    try {
      if (m && Number(m[1]) < mine) unlinkSync(file);
      else if (name.startsWith(TEMP_PREFIX) && Date.now() - statSync(file).mtimeMs > TEMP_MAX_AGE_MS) unlinkSync(file);
    } catch {
      // removed by someone else
    }
  }
}

/** Makes sure `dir` is a folder msdev can write to; throws InstanceDirError naming the path and the reason. */
function ensureDir(dir: string): void {
  try {
    // Not recursive: the project folder exists, and a recursive mkdir reports ENOENT on a read-only file system.
    mkdirSync(dir);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== 'EEXIST') throw new InstanceDirError(cannotWrite(dir, err));
    let isDir = false;
    try {
      isDir = statSync(dir).isDirectory();
    } catch (statErr) {
      throw new InstanceDirError(cannotWrite(dir, statErr));
    }
    if (!isDir) throw new InstanceDirError(`msdev: cannot use ${dir}: it is a file, not a folder; nothing was started (msdev keeps its state and logs in that folder: move the file away).`);
  }
}

/** "msdev: cannot write PATH: REASON; ..." for a failed write in `.msdev`. */
export function cannotWrite(path: string, err: unknown): string {
  return `msdev: cannot write ${path}: ${fsReason(err)}; nothing was started (msdev keeps its state and logs in .msdev/: make it writable).`;
}

