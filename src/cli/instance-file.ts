// `.msdev/state.json`: the running instance, so that a later msdev can clean up after one that was killed.
import { closeSync, ftruncateSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { fsReason } from '../core/fs-reason.js';
import { bootId, isSameProcess, selfIdentity, startTime } from '../process/process-identity.js';
import { signalAll } from '../process/process-group.js';
import { isAlive, markedProcesses, serviceProcesses } from '../process/process-tree.js';
import { cannotWrite, InstanceDirError } from './instance-lock.js';

/** One service in state.json: SPEC §5's pid, pgid and container, plus the start time that proves the pid is still it. */
export interface ServiceRecord {
  readonly pid: number | null;
  readonly pgid: number | null;
  readonly container: string | null;
  /** Start time of pid (clock ticks after boot, /proc/PID/stat field 22); null when unknown. */
  readonly start?: number | null;
}

/**
 * What state.json holds: SPEC §5's `{pid, services}`, plus the supervisor's start time and the boot id,
 * which prove that a pid still names the process recorded (pids are reused). The services' processes
 * carry `MSDEV_RUN=<pid>.<start>.<n>.<service>` in their environment.
 */
export interface InstanceRecord {
  readonly pid: number;
  readonly start?: number;
  readonly boot?: string;
  readonly services: Readonly<Record<string, ServiceRecord>>;
}

/** What reaping a dead instance did. */
export interface ReapResult {
  /** The services that still had processes, which were killed. */
  readonly reaped: readonly string[];
  /** Pids state.json names that are other processes now (left alone). */
  readonly stale: readonly number[];
  /** The pid of the msdev state.json names when it still runs (one that took no lock: an older version). */
  readonly live?: number;
}

/** How long reaping waits for what it killed to be gone (a process in uninterruptible sleep may linger). */
const REAP_WAIT_MS = 5_000;
const REAP_POLL_MS = 25;

/** The `.msdev` folder of a project. */
export function msdevDir(projectDir: string): string {
  return join(projectDir, '.msdev');
}

/** Path of state.json. */
export function instancePath(projectDir: string): string {
  return join(msdevDir(projectDir), 'state.json');
}

/** Reads state.json; null when there is none or it is unreadable. */
export function readInstance(projectDir: string): InstanceRecord | null {
  try {
    const data = JSON.parse(readFileSync(instancePath(projectDir), 'utf8')) as InstanceRecord;
    return typeof data.pid === 'number' && data.services && typeof data.services === 'object' ? data : null;
  } catch {
    return null;
  }
}

/**
 * state.json of the running msdev, kept open and rewritten in place (one write and a truncate, no
 * rename), so recording each started service costs microseconds. A reader that catches a write
 * half done sees invalid JSON and treats the file as absent. The `.msdev` folder must exist.
 */
export class InstanceFile {
  private fd: number | null;
  private readonly self = selfIdentity();
  /** Start times of the services' pids, read once per pid. */
  private readonly starts = new Map<number, number | null>();

  private failed = false;

  /** Opens state.json (throws InstanceDirError when it cannot); a later write that fails calls onError once. */
  constructor(
    private readonly projectDir: string,
    private readonly onError: (message: string) => void = () => {},
  ) {
    const path = instancePath(projectDir);
    try {
      this.fd = openSync(path, 'w', 0o600);
    } catch (err) {
      throw new InstanceDirError(cannotWrite(path, err));
    }
  }

  /** Replaces the record with this supervisor and these services (their start times are added). */
  write(services: Readonly<Record<string, { readonly pid: number | null; readonly container: string | null }>>): void {
    if (this.fd === null) return;
    const out: Record<string, ServiceRecord> = {};
    for (const [name, s] of Object.entries(services)) out[name] = { pid: s.pid, pgid: s.pid, container: s.container, start: this.startOf(s.pid) };
    const record: InstanceRecord = { pid: this.self.pid, start: this.self.start, boot: this.self.boot, services: out };
    const data = Buffer.from(JSON.stringify(record));
    try {
      writeSync(this.fd, data, 0, data.length, 0);
      ftruncateSync(this.fd, data.length);
      this.failed = false;
    } catch (err) {
      // A full disk mid-run must not end msdev: say so once, keep running, try again on the next change.
      if (!this.failed) this.onError(`cannot write ${instancePath(this.projectDir)}: ${fsReason(err)}; if msdev is killed now, the next run may not find what it left running`);
      this.failed = true;
    }
  }

  /** Closes and removes state.json (a clean stop). */
  remove(): void {
    if (this.fd === null) return;
    closeSync(this.fd);
    this.fd = null;
    removeInstance(this.projectDir);
  }

  private startOf(pid: number | null): number | null {
    if (pid === null) return null;
    let start = this.starts.get(pid);
    if (start === undefined) {
      start = startTime(pid);
      this.starts.set(pid, start);
    }
    return start;
  }
}

/** Removes state.json. */
export function removeInstance(projectDir: string): void {
  rmSync(instancePath(projectDir), { force: true });
}

/**
 * Kills what an msdev that died left behind and removes its state.json; resolves once what it killed is
 * gone (bounded). Only processes proven to be its own are touched: those carrying its mark, and the
 * sessions of recorded services whose pid still names the same process. A pid that names another
 * process now (reused) is left alone and reported as stale. Does nothing while the recorded msdev lives.
 */
export async function reapDeadInstance(projectDir: string): Promise<ReapResult> {
  const record = readInstance(projectDir);
  if (!record || record.pid === process.pid) return { reaped: [], stale: [] };
  const boot = typeof record.boot === 'string' ? record.boot : undefined;
  if (isSameProcess(record)) return { reaped: [], stale: [], live: record.pid };
  const stale = new Set<number>();
  if (isAlive(record.pid)) stale.add(record.pid);
  const victims = new Map<number, string>();
  const sameBoot = boot === undefined || boot === bootId();
  if (sameBoot && typeof record.start === 'number') {
    for (const [pid, mark] of markedProcesses(`${record.pid}.${record.start}.`, record.start)) victims.set(pid, serviceOfMark(mark));
  }
  const leaders: number[] = [];
  for (const [name, svc] of Object.entries(record.services)) {
    if (typeof svc.pid !== 'number') continue;
    if (sameBoot && isSameProcess({ pid: svc.pid, start: svc.start, boot })) {
      leaders.push(svc.pid);
      for (const pid of serviceProcesses(svc.pid)) victims.set(pid, name);
    } else if (isAlive(svc.pid) && !victims.has(svc.pid)) stale.add(svc.pid);
  }
  victims.delete(process.pid);
  for (const leader of leaders) signalAll(leader, [], 'SIGKILL');
  signalAll(null, [...victims.keys()], 'SIGKILL');
  for (let waited = 0; waited < REAP_WAIT_MS && [...victims.keys()].some(isAlive); waited += REAP_POLL_MS) {
    await new Promise((resolve) => setTimeout(resolve, REAP_POLL_MS));
  }
  removeInstance(projectDir);
  return { reaped: [...new Set(victims.values())].filter((n) => n !== '').sort(), stale: [...stale] };
}

/** The service name at the end of a mark (`<pid>.<start>.<n>.<service>`); '' for a probe's mark. */
function serviceOfMark(mark: string): string {
  const parts = mark.split('.');
  return parts.length > 3 ? parts.slice(3).join('.') : '';
}
