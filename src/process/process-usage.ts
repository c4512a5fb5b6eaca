// CPU time and resident memory of a service's processes, read from /proc (for the TUI's list and `ps`).
import { readFileSync } from 'node:fs';
import { statFields } from './process-identity.js';

/** What a set of processes has used: CPU time since each started, and memory resident now. */
export interface TreeUsage {
  /** User plus system CPU time, summed (ms). */
  readonly cpuMs: number;
  /** Resident set size, summed (bytes). */
  readonly rssBytes: number;
}

/** Clock ticks per second of the times in /proc/PID/stat (USER_HZ, 100 on Linux). */
const TICKS_PER_SECOND = 100;

/** The CPU time and resident memory of these processes, summed (one read of /proc/PID/stat each); a process that is gone counts nothing. */
export function treeUsage(pids: readonly number[]): TreeUsage {
  let ticks = 0;
  let pages = 0;
  for (const pid of new Set(pids)) {
    try {
      // Fields after the command: utime [11], stime [12], rss [21] (fields 14, 15 and 24 of stat(5)).
      const fields = statFields(readFileSync(`/proc/${pid}/stat`, 'latin1'));
      ticks += Number(fields[11]) + Number(fields[12]);
      pages += Number(fields[21]);
    } catch {
      // gone meanwhile
    }
  }
  return { cpuMs: (ticks * 1000) / TICKS_PER_SECOND, rssBytes: pages * pageBytes() };
}

let page: number | null = null;

/** The size of a memory page: VmRSS (kB) over the resident pages of msdev itself, read once (4 KiB without /proc). */
function pageBytes(): number {
  if (page !== null) return page;
  page = 4096;
  try {
    const resident = Number(readFileSync('/proc/self/statm', 'latin1').split(' ')[1]);
    const rss = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync('/proc/self/status', 'latin1'));
    if (rss && resident > 0) {
      // The two reads are a moment apart: round to the nearest power of two.
      page = 2 ** Math.round(Math.log2((Number(rss[1]) * 1024) / resident));
    }
  } catch {
    // not Linux: keep 4 KiB
  }
  return page;
}
