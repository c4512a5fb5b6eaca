// Starting a child the way msdev starts everything (services and exec probes): its own session, piped
// output, and a fresh mark in its environment; and one last-resort hook that kills what is left at exit.
import { spawn, type ChildProcessByStdio } from 'node:child_process';
import type { Readable } from 'node:stream';
import { selfIdentity, startTime } from './process-identity.js';
import { MARK_VAR, newMark } from './process-mark.js';
import type { MarkQuery } from './process-tree.js';

/** A child started by spawnMarked, and what finds the processes it leaves behind. */
export interface MarkedChild {
  readonly child: ChildProcessByStdio<null, Readable, Readable>;
  readonly marked: MarkQuery;
}

/** What spawnMarked needs besides the command. */
export interface MarkedSpawnOptions {
  readonly cwd?: string;
  readonly env: NodeJS.ProcessEnv;
  /** The service whose processes carry the mark (none for a probe). */
  readonly service?: string;
}

/** Spawns file with args in a new session, stdout and stderr piped, carrying a fresh MSDEV_RUN mark. */
export function spawnMarked(file: string, args: readonly string[], options: MarkedSpawnOptions): MarkedChild {
  const mark = newMark(options.service);
  const child = spawn(file, args, {
    cwd: options.cwd,
    env: { ...options.env, [MARK_VAR]: mark },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  // What it starts is younger than it: older processes are never searched for its mark.
  const since = (child.pid !== undefined ? startTime(child.pid) : null) ?? selfIdentity().start;
  return { child, marked: { mark, since } };
}

/** Kills to run when msdev exits, whatever state its own bookkeeping is in: child pid → kill. */
const atExit = new Map<number, () => void>();
let hooked = false;

/** Runs `kill` if msdev exits while the child `pid` (or what it left) may still be running. */
export function killAtExit(pid: number, kill: () => void): void {
  if (!hooked) {
    hooked = true;
    process.on('exit', () => {
      for (const k of atExit.values()) k();
    });
  }
  atExit.set(pid, kill);
}

/** Forgets the exit kill of `pid` (it is gone with everything it started). */
export function forgetAtExit(pid: number): void {
  atExit.delete(pid);
}
