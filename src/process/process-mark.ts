// The mark msdev puts in the environment of every process it starts (services and exec probes), so that
// what they leave behind is found even when it left their session and was reparented (a daemon).
import { readFileSync, statSync } from 'node:fs';
import { selfIdentity } from './process-identity.js';

/** The environment variable that carries the mark; children inherit it. */
export const MARK_VAR = 'MSDEV_RUN';

let counter = 0;

/**
 * A mark no other launch shares: `<msdev pid>.<msdev start time>.<n>`, then `.<service>` for a service.
 * Everything one msdev starts shares the prefix `<pid>.<start>.`.
 */
export function newMark(service?: string): string {
  const self = selfIdentity();
  const mark = `${self.pid}.${self.start}.${++counter}`;
  return service === undefined ? mark : `${mark}.${service}`;
}

const key = Buffer.from(`${MARK_VAR}=`);
const uid = typeof process.getuid === 'function' ? process.getuid() : -1;

/**
 * The mark in a process's environment (as it was when the process last exec'd), or null when it has
 * none, is gone, or belongs to another user (their environment is none of msdev's business).
 */
export function readMark(pid: number): string | null {
  let env: Buffer;
  try {
    if (statSync(`/proc/${pid}`).uid !== uid) return null;
    env = readFileSync(`/proc/${pid}/environ`);
  } catch {
    return null;
  }
  let at = 0;
  while (at < env.length) {
    const end = env.indexOf(0, at);
    const stop = end === -1 ? env.length : end;
    if (stop - at > key.length && env.compare(key, 0, key.length, at, at + key.length) === 0) {
      return env.toString('latin1', at + key.length, stop);
    }
    at = stop + 1;
  }
  return null;
}
