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

/** The CPU time and resident memory of these processes, summed; a process that is gone counts nothing. */
export function treeUsage(pids: readonly number[]): TreeUsage {
  let ticks = 0;
  let rssKiB = 0;
  for (const pid of pids) {
    try {
      // Fields after the command: state is [0], utime [11], stime [12] (fields 14 and 15 of stat(5)).
      const fields = statFields(readFileSync(`/proc/${pid}/stat`, 'latin1'));
      ticks += Number(fields[11]) + Number(fields[12]);
      const status = readFileSync(`/proc/${pid}/status`, 'latin1');
      const rss = /^VmRSS:\s+(\d+) kB/m.exec(status);
      if (rss) rssKiB += Number(rss[1]);
    } catch {
      // gone meanwhile
    }
  }
  return { cpuMs: (ticks * 1000) / TICKS_PER_SECOND, rssBytes: rssKiB * 1024 };
}
