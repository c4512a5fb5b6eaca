// Proving that a pid still names the process msdev saw: its start time since boot and the boot id.
import { readFileSync } from 'node:fs';

/** A process as recorded: pid, start time (clock ticks after boot, /proc/PID/stat field 22) and boot id. */
export interface ProcessIdentity {
  readonly pid: number;
  readonly start: number;
  readonly boot: string;
}

let boot: string | undefined;

/** The id of the running boot (/proc/sys/kernel/random/boot_id); '' where there is none. */
export function bootId(): string {
  if (boot === undefined) {
    try {
      boot = readFileSync('/proc/sys/kernel/random/boot_id', 'latin1').trim();
    } catch {
      boot = '';
    }
  }
  return boot;
}

/** Parses the fields after the command name of a /proc/PID/stat line (field 3 is index 0). */
export function statFields(stat: string): string[] {
  // The command name is in parentheses and may hold spaces and parentheses: split after the last ')'.
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
}

/** When a live process started (clock ticks after boot); null when it is gone, a zombie, or there is no /proc. */
export function startTime(pid: number): number | null {
  if (!Number.isInteger(pid) || pid <= 0) return null;
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
  } catch {
    return null;
  }
  const fields = statFields(stat);
  if (fields[0] === 'Z' || fields[0] === 'X') return null;
  const start = Number(fields[19]);
  return Number.isFinite(start) ? start : null;
}

/** The identity of a live process, or null when it is gone (or there is no /proc to prove it). */
export function identify(pid: number): ProcessIdentity | null {
  const start = startTime(pid);
  return start === null ? null : { pid, start, boot: bootId() };
}

let self: ProcessIdentity | undefined;

/** This msdev's own identity (read once: it never changes). */
export function selfIdentity(): ProcessIdentity {
  self ??= identify(process.pid) ?? { pid: process.pid, start: 0, boot: bootId() };
  return self;
}

/**
 * Whether `recorded` still names a live process: the same pid, started at the same tick of the same
 * boot. A record without a start time proves nothing and never matches.
 */
export function isSameProcess(recorded: { readonly pid: unknown; readonly start?: unknown; readonly boot?: unknown }): boolean {
  const { pid, start, boot: recordedBoot } = recorded;
  if (typeof pid !== 'number' || typeof start !== 'number') return false;
  if (typeof recordedBoot === 'string' && recordedBoot !== bootId()) return false;
  return startTime(pid) === start;
}
