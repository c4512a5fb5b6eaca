// Finds the processes that hold a service's output pipes: what a service started keeps them open even when
// it cleared its environment (no mark) and left the session (`setsid -f env -i daemon`).
//
// Node gives a child's stdout/stderr as one end of a socketpair (on Linux; a pipe elsewhere) and keeps the
// other end: the two ends have different inodes, so msdev's own fd does not name the child's end. The
// child's end is read from /proc/CHILD/fd/1 and /fd/2 right after spawn (spawn returns once the child has
// exec'd, before it ran any code of its own); every process holding that end shows the same
// `socket:[INODE]` (or `pipe:[INODE]`) link in /proc/PID/fd, whichever fd number it sits at, until it exits.
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

/** The pipe and socket links of each process looked at during this turn of the event loop. */
const held = new Map<number, ReadonlySet<string>>();
let clearing = false;

/** The pipes and sockets a process of msdev's user holds (empty for another user's process or a gone one). */
function channelsOf(pid: number): ReadonlySet<string> {
  let links = held.get(pid);
  if (links !== undefined) return links;
  const found = new Set<string>();
  links = found;
  try {
    if (statSync(`/proc/${pid}`).uid === uid) {
      for (const fd of readdirSync(`/proc/${pid}/fd`)) {
        try {
          const link = readlinkSync(`/proc/${pid}/fd/${fd}`);
          if (isChannel(link)) found.add(link);
        } catch {
          // closed meanwhile
        }
      }
    }
  } catch {
    // gone, or its fds are not readable
  }
  held.set(pid, links);
  if (!clearing) {
    // Every service stopping in this turn shares one read per process.
    clearing = true;
    setImmediate(() => {
      held.clear();
      clearing = false;
    });
  }
  return links;
}

/** Whether a process of msdev's user holds one of `links` (read at most once per process per event-loop turn). */
export function holdsAny(pid: number, links: ReadonlySet<string>): boolean {
  const mine = channelsOf(pid);
  for (const link of links) if (mine.has(link)) return true;
  return false;
}
