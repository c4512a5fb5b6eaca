// Finds the processes that hold a service's output pipes: what a service started keeps them open even when
// it cleared its environment (no mark) and left the session (`setsid -f env -i daemon`).
//
// Node gives a child's stdout/stderr as one end of a socketpair (on Linux; a pipe elsewhere) and keeps the
// other end: the two ends have different inodes, so msdev's own fd does not name the child's end. The
// child's end is read from /proc/CHILD/fd/1 and /fd/2 right after spawn (spawn returns as soon as the child
// has exec'd: it has had no time to move its fds); every process holding that end shows the same
// `socket:[INODE]` (or `pipe:[INODE]`) link in /proc/PID/fd, whichever fd number it sits at, until it exits.
// Those links stay valid after msdev closed its own ends.
import { readdirSync, readlinkSync, statSync } from 'node:fs';

const uid = typeof process.getuid === 'function' ? process.getuid() : -1;

/** Whether a /proc/PID/fd link names a pipe or a socket. */
function isChannel(link: string): boolean {
  return link.startsWith('pipe:[') || link.startsWith('socket:[');
}

/**
 * The links (`socket:[INODE]` / `pipe:[INODE]`) of a just-spawned child's stdout and stderr; null when
 * they cannot be read (no /proc, the child is already gone, or its fds are no pipe).
 */
export function outputLinks(pid: number): ReadonlySet<string> | null {
  const links = new Set<string>();
  for (const fd of [1, 2]) {
    try {
      const link = readlinkSync(`/proc/${pid}/fd/${fd}`);
      if (isChannel(link)) links.add(link);
    } catch {
      // gone, or not ours
    }
  }
  return links.size > 0 ? links : null;
}

/** What a process (known by pid and start time) was seen to hold of the watched links. */
interface Seen {
  readonly start: number;
  readonly held: readonly string[];
}

/** Cleared when it grows large (entries of gone processes pile up). */
const SEEN_LIMIT = 16_384;

/**
 * The output pipes of the services one ProcessTable started, from their spawn until each is gone with
 * everything it started, and who was seen holding them.
 */
export class PipeWatch {
  /** The links being looked for. */
  private readonly watched = new Set<string>();
  /**
   * Each process's fds are read once in its life: a process cannot come to hold a pipe it did not hold
   * when it was read (pipes are inherited at fork, by a new process), and one that held a service's pipe
   * got it from that service, so it stays that service's after it closes it. Pipes spawned later are not
   * in a process that existed before them.
   */
  private readonly seen = new Map<number, Seen>();

  /** Starts looking for holders of these links (a service just spawned). */
  watch(links: Iterable<string>): void {
    for (const link of links) this.watched.add(link);
  }

  /** Stops looking for holders of these links (the service is gone with everything it started). */
  unwatch(links: Iterable<string>): void {
    for (const link of links) this.watched.delete(link);
  }

  /**
   * Whether the process `pid` that started at tick `start` holds one of `links` (which must be watched).
   * Its fds are read the first time it is asked about, never again.
   */
  holdsAny(pid: number, start: number, links: ReadonlySet<string>): boolean {
    return this.heldBy(pid, start).some((link) => links.has(link));
  }

  /** The watched links a process of msdev's user holds, read once per process (none for another user's). */
  private heldBy(pid: number, start: number): readonly string[] {
    const known = this.seen.get(pid);
    if (known !== undefined && known.start === start) return known.held;
    const held: string[] = [];
    try {
      if (statSync(`/proc/${pid}`).uid === uid) {
        for (const fd of readdirSync(`/proc/${pid}/fd`)) {
          try {
            const link = readlinkSync(`/proc/${pid}/fd/${fd}`);
            if (this.watched.has(link)) held.push(link);
          } catch {
            // closed meanwhile
          }
        }
      }
    } catch {
      // gone, or its fds are not readable
    }
    if (this.seen.size >= SEEN_LIMIT) this.seen.clear();
    this.seen.set(pid, { start, held });
    return held;
  }
}
