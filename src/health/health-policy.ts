// Pure threshold logic of health checks: start period, consecutive failures, recovery.

/** What the checks say about a service so far. */
export type HealthStatus = 'unknown' | 'healthy' | 'unhealthy';

/** A change of health worth reporting. */
export type HealthChange = 'healthy' | 'unhealthy';

/** The running tally of one service's checks. */
export interface HealthState {
  /** A probe has succeeded at least once (that ends the start period for good). */
  readonly everHealthy: boolean;
  /** Failures in a row that counted (those inside the start period don't). */
  readonly consecutiveFailures: number;
  readonly status: HealthStatus;
  /** When the last failure that counted happened (ms since start), or null. */
  readonly lastCountedMs: number | null;
}

/** The thresholds applyProbeResult needs. */
export interface HealthThresholds {
  /** Consecutive counted failures that make a service unhealthy (below 1 counts as 1). */
  readonly retries: number;
  /** Failures this soon after start don't count, until the first success. */
  readonly startPeriodMs: number;
  /**
   * The probe interval. Before the first success probes run faster (start_interval), but failures
   * count at most once per interval, so a slow start is declared unhealthy no sooner than at the interval.
   */
  readonly intervalMs: number;
}

/** The state before any probe has run. */
export const initialHealthState: HealthState = Object.freeze({
  everHealthy: false,
  consecutiveFailures: 0,
  status: 'unknown',
  lastCountedMs: null,
});

/**
 * Folds one probe result into the state. A success makes the service healthy and resets the
 * failure count. A failure inside the start period, before any success, is ignored; otherwise it
 * counts, and `retries` in a row make the service unhealthy. `change` is set only when the
 * status actually changes to healthy or unhealthy.
 */
export function applyProbeResult(
  state: HealthState,
  ok: boolean,
  elapsedSinceStartMs: number,
  spec: HealthThresholds,
): { state: HealthState; change: HealthChange | null } {
  if (ok) {
    const next: HealthState = { everHealthy: true, consecutiveFailures: 0, status: 'healthy', lastCountedMs: null };
    return { state: next, change: state.status === 'healthy' ? null : 'healthy' };
  }
  if (!state.everHealthy && elapsedSinceStartMs < spec.startPeriodMs) {
    return { state, change: null };
  }
  if (!state.everHealthy && state.lastCountedMs !== null && elapsedSinceStartMs - state.lastCountedMs < spec.intervalMs) {
    return { state, change: null };
  }
  const consecutiveFailures = state.consecutiveFailures + 1;
  const reached = consecutiveFailures >= Math.max(1, spec.retries);
  const status: HealthStatus = reached ? 'unhealthy' : state.status;
  const next: HealthState = { everHealthy: state.everHealthy, consecutiveFailures, status, lastCountedMs: elapsedSinceStartMs };
  return { state: next, change: reached && state.status !== 'unhealthy' ? 'unhealthy' : null };
}
