// Finds every process a service started (its session and its descendants) by reading /proc.
import { readdirSync, readFileSync } from 'node:fs';

/** One row of /proc/PID/stat that matters here. */
interface ProcInfo {
  readonly pid: number;
  readonly ppid: number;
  readonly pgrp: number;
  readonly session: number;
  readonly zombie: boolean;
}

/** Reads the stat line of one process; null when it is gone. */
function readProc(pid: number): ProcInfo | null {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
  } catch {
    return null;
  }
  // The command name is in parentheses and may hold spaces: split after the last ')'.
  const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return {
    pid,
    zombie: rest[0] === 'Z' || rest[0] === 'X',
    ppid: Number(rest[1]),
    pgrp: Number(rest[2]),
    session: Number(rest[3]),
  };
}

/** The latest scan, shared by every caller until the event loop moves on (50 services stopping read /proc once). */
let snapshot: ProcInfo[] | null | undefined;

/** Every live process on the machine, or null where /proc is not there (not Linux); scanned once per tick. */
function listProcs(): ProcInfo[] | null {
  if (snapshot === undefined) {
    snapshot = scanProcs();
    setImmediate(() => (snapshot = undefined));
  }
  return snapshot;
}

/** Reads /proc. */
function scanProcs(): ProcInfo[] | null {
  let names: string[];
  try {
    names = readdirSync('/proc');
  } catch {
    return null;
  }
  const out: ProcInfo[] = [];
  for (const name of names) {
    const c = name.charCodeAt(0);
    if (c < 48 || c > 57) continue;
    const info = readProc(Number(name));
    if (info && !info.zombie) out.push(info);
  }
  return out;
}

/**
 * The pids of every live process that belongs to the service started as `leader` in its own session:
 * members of its session or process group, and descendants of any of them (even those that called setsid).
 */
export function serviceProcesses(leader: number): number[] {
  const procs = listProcs();
  if (!procs) return isAlive(leader) ? [leader] : [];
  const found = new Set<number>();
  for (const p of procs) if (p.session === leader || p.pgrp === leader || p.pid === leader) found.add(p.pid);
  // Descendants of anything found, to a fixed point (a child that made its own session).
  let grew = true;
  while (grew) {
    grew = false;
    for (const p of procs) {
      if (!found.has(p.pid) && found.has(p.ppid)) {
        found.add(p.pid);
        grew = true;
      }
    }
  }
  return [...found];
}

/** Whether a process exists and is not a zombie. */
export function isAlive(pid: number): boolean {
  const info = readProc(pid);
  if (info) return !info.zombie;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Sends `signal` to the process group `leader` leads and to each pid; never throws. */
export function signalAll(leader: number, pids: readonly number[], signal: NodeJS.Signals): void {
  try {
    process.kill(-leader, signal);
  } catch {
    // the group may be gone already
  }
  for (const pid of pids) {
    try {
      process.kill(pid, signal);
    } catch {
      // gone
    }
  }
}
