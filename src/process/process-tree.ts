// Finds every process a service started (its session, its group, their descendants, whatever carries its
// mark, and whatever unmarked process holds its output pipes) by reading /proc.
import { readdirSync, readFileSync } from 'node:fs';
import type { PipeWatch } from './pipe-holders.js';
import { statFields } from './process-identity.js';
import { readMark } from './process-mark.js';

/** One row of /proc/PID/stat that matters here. */
interface ProcInfo {
  readonly pid: number;
  readonly ppid: number;
  readonly pgrp: number;
  readonly session: number;
  /** Start time, clock ticks after boot. */
  readonly start: number;
  readonly zombie: boolean;
}

/** What else belongs to a service besides its session, group and their descendants. */
export interface MarkQuery {
  /** The value of MSDEV_RUN its processes carry. */
  readonly mark: string;
  /** Only processes started at or after this tick are looked at (nothing older can carry the mark or the pipes). */
  readonly since: number;
  /**
   * The service's output pipes (`socket:[INODE]` / `pipe:[INODE]`, see pipe-holders.ts): a process with
   * no mark that holds one (a daemon that cleared its environment) belongs too. Null or absent: not
   * looked for (the pipes are known closed, so nothing holds them: no process's fds are read).
   */
  readonly pipes?: PipeQuery | null;
}

/** The output pipes of a service, and the watch that has them (it reads each process's fds once). */
export interface PipeQuery {
  readonly links: ReadonlySet<string>;
  readonly watch: PipeWatch;
}

/** Reads the stat line of one process; null when it is gone. */
function readProc(pid: number): ProcInfo | null {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
  } catch {
    return null;
  }
  const rest = statFields(stat);
  return {
    pid,
    zombie: rest[0] === 'Z' || rest[0] === 'X',
    ppid: Number(rest[1]),
    pgrp: Number(rest[2]),
    session: Number(rest[3]),
    start: Number(rest[19]),
  };
}

/** The latest scan, shared by every caller until the event loop moves on (50 services stopping read /proc once). */
let snapshot: ProcInfo[] | null | undefined;
/** Marks read during the latest scan (environ is read at most once per process per scan). */
const marks = new Map<number, string | null>();

/** Every live process on the machine, or null where /proc is not there (not Linux); scanned once per tick. */
function listProcs(): ProcInfo[] | null {
  if (snapshot === undefined) {
    snapshot = scanProcs();
    setImmediate(() => {
      snapshot = undefined;
      marks.clear();
    });
  }
  return snapshot;
}

/** The mark of a process, read once per scan. */
function markOf(pid: number): string | null {
  let mark = marks.get(pid);
  if (mark === undefined) {
    mark = readMark(pid);
    marks.set(pid, mark);
  }
  return mark;
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
    // A zombie whose threads are still exiting may still hold files: it counts until it is done.
    if (info && (!info.zombie || threadsExiting(info.pid))) out.push(info);
  }
  return out;
}

/**
 * The pids of every live process that belongs to the service started as `leader` in its own session:
 * members of its session or process group, processes carrying its mark (a daemon that left the session
 * and was reparented), processes with no mark that hold one of its output pipes (a daemon that also
 * cleared its environment), and descendants of any of them. A null leader looks for the mark and pipes only.
 * Only processes started since the service are looked at; the fds of a process are read only when it
 * carries no mark at all (a marked process belongs to the launch whose mark it carries), once in its life.
 */
export function serviceProcesses(leader: number | null, marked?: MarkQuery | null): number[] {
  const procs = listProcs();
  if (!procs) return leader !== null && isAlive(leader) ? [leader] : [];
  const found = new Map<number, true>();
  const pipes = marked?.pipes;
  for (const p of procs) {
    if (leader !== null && (p.session === leader || p.pgrp === leader || p.pid === leader)) found.set(p.pid, true);
    else if (marked && p.start >= marked.since && p.pid !== process.pid) {
      const mark = markOf(p.pid);
      if (mark === marked.mark || (mark === null && pipes && pipes.watch.holdsAny(p.pid, p.start, pipes.links))) found.set(p.pid, true);
    }
  }
  addDescendants(procs, found);
  return [...found.keys()];
}

/**
 * Every live process carrying a mark that starts with `prefix` (everything one msdev started), among
 * processes started at or after `since`, with their descendants: pid → mark (a descendant gets its
 * ancestor's mark).
 */
export function markedProcesses(prefix: string, since: number): Map<number, string> {
  const found = new Map<number, string>();
  const procs = listProcs();
  if (!procs) return found;
  for (const p of procs) {
    if (p.start < since || p.pid === process.pid) continue;
    const mark = markOf(p.pid);
    if (mark !== null && mark.startsWith(prefix)) found.set(p.pid, mark);
  }
  addDescendants(procs, found);
  return found;
}

/**
 * Adds every descendant of the processes in `found` (to any depth, even one that made its own session),
 * each with its ancestor's value; msdev itself is never added.
 */
function addDescendants<T>(procs: readonly ProcInfo[], found: Map<number, T>): void {
  const children = new Map<number, number[]>();
  for (const p of procs) {
    if (p.pid === process.pid) continue;
    const list = children.get(p.ppid);
    if (list) list.push(p.pid);
    else children.set(p.ppid, [p.pid]);
  }
  const todo = [...found.keys()];
  while (todo.length > 0) {
    const pid = todo.pop()!;
    const value = found.get(pid)!;
    for (const child of children.get(pid) ?? []) {
      if (found.has(child)) continue;
      found.set(child, value);
      todo.push(child);
    }
  }
}

/** At most this many pids are looked at one by one after a short-lived command, before a full scan is cheaper. */
const RANGE_LIMIT = 512;

let pidMax: number | undefined;

/** The highest pid plus one (/proc/sys/kernel/pid_max); 0 when unknown. */
function readPidMax(): number {
  if (pidMax === undefined) {
    try {
      pidMax = Number(readFileSync('/proc/sys/kernel/pid_max', 'latin1').trim()) || 0;
    } catch {
      pidMax = 0;
    }
  }
  return pidMax;
}

/** The pid the kernel handed out last (last field of /proc/loadavg); null when unknown. */
function lastPid(): number | null {
  try {
    const last = Number(readFileSync('/proc/loadavg', 'latin1').trim().split(' ').pop());
    return Number.isInteger(last) && last > 0 ? last : null;
  } catch {
    return null;
  }
}

/**
 * What a short-lived command started as `leader` in its own session left running: its session, its
 * group, whatever carries its mark, and their descendants. Pids are handed out in order, so only those
 * allocated after the leader are looked at (one /proc read each, usually a handful); a full scan when
 * the machine forked a lot meanwhile.
 */
export function leftoversOf(leader: number, marked: MarkQuery): number[] {
  const last = lastPid();
  const max = readPidMax();
  if (last === null || max === 0) return serviceProcesses(leader, marked);
  const count = last >= leader ? last - leader : last + max - leader;
  if (count > RANGE_LIMIT) return serviceProcesses(leader, marked);
  const found: number[] = [];
  for (let i = 1, pid = leader + 1; i <= count; i++, pid++) {
    if (pid >= max) pid = 1;
    const p = readProc(pid);
    if (!p || p.zombie || pid === process.pid) continue;
    if (p.session === leader || p.pgrp === leader || (p.start >= marked.since && readMark(pid) === marked.mark)) found.push(pid);
  }
  return found;
}

/**
 * Whether a process exists and is not a zombie. A zombie whose other threads are still exiting counts
 * as alive: until the last thread is gone its files (a listening socket) may still be open.
 */
export function isAlive(pid: number): boolean {
  const info = readProc(pid);
  if (info) return !info.zombie || threadsExiting(pid);
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Whether a process has threads besides its main one (listed in /proc/PID/task). */
function threadsExiting(pid: number): boolean {
  try {
    return readdirSync(`/proc/${pid}/task`).length > 1;
  } catch {
    return false;
  }
}

