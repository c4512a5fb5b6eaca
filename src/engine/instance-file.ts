// `.msdev/state.json`: the running instance, so that a later msdev can clean up after one that was killed.
import { closeSync, ftruncateSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { isAlive, serviceProcesses, signalAll } from '../runtimes/process-tree.js';

/** What state.json holds (SPEC §5). */
export interface InstanceRecord {
  readonly pid: number;
  readonly services: Readonly<Record<string, { readonly pid: number | null; readonly pgid: number | null; readonly container: string | null }>>;
}

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
 * half done sees invalid JSON and treats the file as absent.
 */
export class InstanceFile {
  private fd: number | null;

  constructor(private readonly projectDir: string) {
    mkdirSync(msdevDir(projectDir), { recursive: true });
    this.fd = openSync(instancePath(projectDir), 'w', 0o600);
  }

  /** Replaces the record. */
  write(record: InstanceRecord): void {
    if (this.fd === null) return;
    const data = Buffer.from(JSON.stringify(record, null, 2));
    writeSync(this.fd, data, 0, data.length, 0);
    ftruncateSync(this.fd, data.length);
  }

  /** Closes and removes state.json (a clean stop). */
  remove(): void {
    if (this.fd === null) return;
    closeSync(this.fd);
    this.fd = null;
    removeInstance(this.projectDir);
  }
}

/** Removes state.json. */
export function removeInstance(projectDir: string): void {
  rmSync(instancePath(projectDir), { force: true });
}

/** Whether another msdev runs this project now: its pid, or null. */
export function liveInstance(projectDir: string): number | null {
  const record = readInstance(projectDir);
  if (!record || record.pid === process.pid) return null;
  return isAlive(record.pid) ? record.pid : null;
}

/**
 * Kills what an msdev that died left behind (every process of each recorded service's session) and
 * removes its state.json; returns the names of the services that still had processes.
 */
export function reapDeadInstance(projectDir: string): string[] {
  const record = readInstance(projectDir);
  if (!record || record.pid === process.pid || isAlive(record.pid)) return [];
  const reaped: string[] = [];
  for (const [name, svc] of Object.entries(record.services)) {
    if (!svc.pgid) continue;
    const left = serviceProcesses(svc.pgid);
    if (left.length === 0) continue;
    signalAll(svc.pgid, left, 'SIGKILL');
    reaped.push(name);
  }
  removeInstance(projectDir);
  return reaped;
}
