// Pure decision of what an exit leads to: completed, a restart after a back-off, or failed.
import { formatDuration } from '../config/duration.js';
import type { RestartPolicy } from '../config/model.js';

/** The parts of a service that decide what its exit leads to. */
export interface RestartRules {
  readonly restart: RestartPolicy;
  readonly oneShot: boolean;
  /** 0 = unlimited. */
  readonly maxRestarts: number;
  /** The stack stops when it exits (or fails): such an exit is final, never restarted. */
  readonly stopAllOn?: 'exit' | 'failure';
}

/** What to do after an exit. */
export type ExitDecision =
  | { readonly action: 'complete'; readonly reason: string }
  | { readonly action: 'restart'; readonly delayMs: number; readonly attempt: number; readonly reason: string }
  | { readonly action: 'fail'; readonly reason: string };

/** Back-off starts here and doubles each restart … */
export const BACKOFF_BASE_MS = 1_000;
/** … up to this cap. */
export const BACKOFF_CAP_MS = 30_000;
/** A service that stayed up this long has its restart count reset. */
export const BACKOFF_RESET_AFTER_MS = 30_000;

/** Exponential back-off: 1s, 2s, 4s … capped at 30s; `attempt` is the restart about to happen (1-based). */
export function backoffDelay(attempt: number): number {
  return Math.min(BACKOFF_BASE_MS * 2 ** Math.max(0, attempt - 1), BACKOFF_CAP_MS);
}

/** A human description of an exit: `exit code 1`, `killed by SIGKILL`, `command not found (exit code 127)`. */
export function describeExit(code: number | null, signal: string | null): string {
  if (code === null) return `killed by ${signal ?? 'a signal'}`;
  if (code === 127) return 'command not found (exit code 127)';
  if (code === 126) return 'command not executable (exit code 126)';
  return `exit code ${code}`;
}

/**
 * Decides what an exit leads to. `restarts` is how many restarts happened in a row before this exit;
 * `upMs` how long this run lasted (a run of 30s or more resets the count).
 */
export function decideExit(
  rules: RestartRules,
  code: number | null,
  signal: string | null,
  restarts: number,
  upMs: number,
): ExitDecision {
  const what = describeExit(code, signal);
  const ok = code === 0;
  if (rules.oneShot || rules.restart === 'no' || rules.stopAllOn === 'exit' || (rules.stopAllOn === 'failure' && !ok)) {
    return ok ? { action: 'complete', reason: what } : { action: 'fail', reason: what };
  }
  if (ok && rules.restart === 'on-failure') return { action: 'complete', reason: what };
  // Restarting cannot make a missing or non-executable command appear.
  if (code === 127 || code === 126) return { action: 'fail', reason: what };
  const done = upMs >= BACKOFF_RESET_AFTER_MS ? 0 : restarts;
  if (rules.maxRestarts > 0 && done >= rules.maxRestarts) {
    return { action: 'fail', reason: `${what}; gave up after ${done} restart${done === 1 ? '' : 's'} (max_restarts: ${rules.maxRestarts})` };
  }
  const attempt = done + 1;
  const delayMs = backoffDelay(attempt);
  return { action: 'restart', delayMs, attempt, reason: `${what}; restart ${attempt} in ${formatDuration(delayMs)}` };
}

/** Whether an exit that left a service in `state` ends the whole run under its stop_all_on (any end for exit; a failure for failure). */
export function endsStack(stopAllOn: 'exit' | 'failure' | undefined, state: string, exitCode: number): boolean {
  if (stopAllOn === 'exit') return state === 'completed' || state === 'failed';
  return stopAllOn === 'failure' && state === 'failed' && exitCode !== 0;
}
