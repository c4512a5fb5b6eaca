// The human-readable one-liners for engine events, shared by the plain front end and the log files.
import type { ReadyEvent, SettledEvent, StateEvent } from '../core/events.js';

/**
 * A state change as text: `api: running (pid 1234)`, `db: running (container 3f2a9c1b7d0e)`, `worker: crashed (exit code 1); restart 2 in 2s`,
 * `api: failed; dependency db failed`. The reason is the engine's own words, after `; `.
 */
export function describeState(event: StateEvent): string {
  let text = `${event.service}: ${event.state}`;
  const reason = event.reason;
  if (event.exitCode !== undefined && event.exitCode !== null) {
    const code = `exit code ${event.exitCode}`;
    if (reason === null || !reason.includes(code)) text += ` (${code})`;
  } else if (event.state === 'running' && event.pid !== null) {
    text += ` (pid ${event.pid})`;
  } else if (event.state === 'running' && event.container) {
    text += ` (container ${event.container.slice(0, 12)})`;
  }
  if (reason !== null && reason !== '') text += `; ${reason}`;
  return text;
}

/** The ready event as text: `ready in 812 ms: api, db`. */
export function describeReady(event: ReadyEvent): string {
  return `ready in ${Math.round(event.ms)} ms: ${event.services.join(', ')}`;
}

/** The settled event as text: `every service has ended (exit code 1)`. */
export function describeSettled(event: SettledEvent): string {
  return `every service has ended (exit code ${event.code})`;
}
