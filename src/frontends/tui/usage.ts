// CPU% and memory of each service's whole process tree, read from /proc (Linux) every few seconds.
import { readFileSync } from 'node:fs';

/** What one sample says of one service: CPU in percent of one core since the last sample, resident memory in bytes. */
export interface Usage {
  readonly cpu: number | null;
  readonly rss: number;
}

/** Clock ticks a second (USER_HZ: 100 on every Linux msdev runs on). */
const TICKS_PER_SECOND = 100;
/** Bytes in a page (4 KiB on x86-64 and the usual arm64 kernels). */
const PAGE_BYTES = 4096;

/** CPU ticks (user + system) and resident pages from the text of /proc/PID/stat, or null when it is not one. */
export function parseStat(text: string): { readonly ticks: number; readonly rssPages: number } | null {
  // The command name (field 2) may hold spaces and parentheses: the fields after its last `)` are fixed.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  const rss = Number(fields[21]);
  if (!Number.isFinite(utime) || !Number.isFinite(stime) || !Number.isFinite(rss)) return null;
  return { ticks: utime + stime, rssPages: rss };
}

/** Memory as short text: `812K`, `45M`, `1.2G`. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)}K`;
  if (bytes < 1024 * 1024 * 1024) return `${Math.round(bytes / (1024 * 1024))}M`;
  return `${(bytes / (1024 * 1024 * 1024)).toFixed(1)}G`;
}

/** Samples the process trees of services; CPU% is the ticks used between two samples over the time between them. */
export class UsageSampler {
  private readonly last = new Map<string, { ticks: number; at: number; pids: string }>();

  /** @param treeOf the pids of the process tree of a service started as this pid */
  constructor(
    private readonly treeOf: (pid: number) => readonly number[],
    private readonly read: (pid: number) => string | null = readStat,
  ) {}

  /** One sample of each service with a pid, at time `now` (ms). */
  sample(services: readonly { readonly name: string; readonly pid: number | null }[], now: number): Map<string, Usage> {
    const out = new Map<string, Usage>();
    for (const { name, pid } of services) {
      if (pid === null) {
        this.last.delete(name);
        continue;
      }
      let ticks = 0;
      let rss = 0;
      const pids = this.treeOf(pid);
      for (const p of pids) {
        const text = this.read(p);
        const stat = text === null ? null : parseStat(text);
        if (stat === null) continue;
        ticks += stat.ticks;
        rss += stat.rssPages * PAGE_BYTES;
      }
      // CPU% only between two samples of the same processes (a process that exits takes its ticks along).
      const key = [...pids].sort((a, b) => a - b).join(',');
      const prev = this.last.get(name);
      const cpu = prev !== undefined && prev.pids === key && now > prev.at ? Math.max(0, ((ticks - prev.ticks) / TICKS_PER_SECOND / ((now - prev.at) / 1000)) * 100) : null;
      this.last.set(name, { ticks, at: now, pids: key });
      out.set(name, { cpu, rss });
    }
    return out;
  }
}

/** The text of /proc/PID/stat, or null when the process is gone (or this is not Linux). */
function readStat(pid: number): string | null {
  try {
    return readFileSync(`/proc/${pid}/stat`, 'latin1');
  } catch {
    return null;
  }
}
