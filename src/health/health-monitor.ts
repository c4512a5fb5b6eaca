// Runs one service's health check over time and reports when it turns healthy or unhealthy.
import type { HealthcheckSpec } from '../config/model.js';
import type { Clock, TimerHandle } from '../core/clock.js';
import { applyProbeResult, initialHealthState } from './health-policy.js';
import type { HealthChange, HealthState, HealthStatus } from './health-policy.js';
import { MATCH_BUDGET_MS, createLogMatcher, type LogMatcher } from './log-matcher.js';
import { createProbe } from './probe.js';
import type { BoundProbe, ProbeFn, ProbeResult } from './probe.js';
import { describeError } from './probe-guard.js';

/** Receives each change of health; reason is set for `unhealthy` (and null for `healthy`). */
export type HealthChangeListener = (change: HealthChange, reason: string | null) => void;

/** What a HealthMonitor needs besides the spec. */
export interface HealthMonitorContext {
  /** Working directory for exec probes. */
  cwd: string;
  /** Full environment for exec probes. */
  env: NodeJS.ProcessEnv;
  /** Every wait (interval, start period) goes through it. */
  clock: Clock;
  onChange: HealthChangeListener;
  /** Told whenever the latest failure reason changes (null: the last probe passed), from the first probe on. */
  onReason?: (reason: string | null) => void;
  /** Replaces the probe built from the spec (tests; anything custom). */
  probe?: BoundProbe;
  /** Runs exec probes elsewhere (inside a container); passed on to createProbe. */
  execRunner?: ProbeFn;
}

/**
 * Probes one service: the first probe at start(), then one every intervalMs after the previous
 * one finished (never two at once). `log` checks are fed lines instead and only turn healthy.
 * Single use: start once, stop once; nothing is reported after stop().
 */
export class HealthMonitor {
  private readonly probe: BoundProbe | null;
  private pattern: LogMatcher | null = null;
  private state: HealthState = initialHealthState;
  private reason: string | null = null;
  private startedAt: number | null = null;
  private stopped = false;
  private timer: TimerHandle | null = null;
  private inFlight: AbortController | null = null;

  constructor(
    private readonly spec: HealthcheckSpec,
    private readonly ctx: HealthMonitorContext,
  ) {
    if (spec.kind === 'log') {
      this.probe = null;
      try {
        this.pattern = createLogMatcher(spec.target);
        this.reason = `no log line matched /${spec.target}/ yet`;
      } catch (err) {
        this.reason = `invalid log pattern /${spec.target}/: ${describeError(err)}`;
      }
    } else {
      this.probe =
        ctx.probe ??
        createProbe(spec, { cwd: ctx.cwd, env: ctx.env, execRunner: ctx.execRunner });
    }
  }

  /** Begins checking: probes at once (interval checks) or starts the start-period clock. */
  start(): void {
    if (this.startedAt !== null || this.stopped) return;
    this.startedAt = this.ctx.clock.now();
    if (this.probe) void this.tick(this.probe);
  }

  /** Stops checking: cancels the next probe, aborts the running one; no onChange after this. */
  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.timer?.cancel();
    this.timer = null;
    this.inFlight?.abort();
    this.inFlight = null;
  }

  /** Whether feedLines would look at lines now: a `log` check that has not matched yet. */
  wantsLines(): boolean {
    return this.pattern !== null && !this.stopped && this.state.status !== 'healthy';
  }

  /** Feeds output lines to a `log` check: the first matching line makes the service healthy. */
  feedLines(lines: readonly string[]): void {
    if (!this.pattern || this.stopped || this.state.status === 'healthy') return;
    const result = this.pattern.test(lines);
    if (result === 'match') {
      this.state = { everHealthy: true, consecutiveFailures: 0, status: 'healthy', lastCountedMs: null };
      this.setReason(null);
      this.ctx.onChange('healthy', null);
    } else if (result === 'too-slow') {
      // A pattern that can take this long on a line would freeze msdev: it is not run again.
      this.pattern = null;
      this.setReason(`the log pattern /${this.spec.target}/ took over ${MATCH_BUDGET_MS} ms on the output, so msdev stopped checking it; simplify it (no nested or overlapping repetitions)`);
    }
  }

  /** The latest failure reason (null once a probe succeeds); explains a service that is not ready. */
  lastReason(): string | null {
    return this.reason;
  }

  /** Keeps the latest failure reason and says when it changed. */
  private setReason(reason: string | null): void {
    if (reason === this.reason) return;
    this.reason = reason;
    this.ctx.onReason?.(reason);
  }

  /** What the checks say now. */
  status(): HealthStatus {
    return this.state.status;
  }

  /** Runs one probe, folds in its result, then schedules the next one. */
  private async tick(probe: BoundProbe): Promise<void> {
    if (this.stopped || this.startedAt === null) return;
    this.timer = null;
    const controller = new AbortController();
    this.inFlight = controller;
    const probeStartedAt = this.ctx.clock.now();
    let result: ProbeResult;
    try {
      result = await probe(controller.signal);
    } catch (err) {
      result = { ok: false, reason: describeError(err) };
    }
    if (this.stopped || controller.signal.aborted) return;
    this.inFlight = null;

    const applied = applyProbeResult(this.state, result.ok, probeStartedAt - this.startedAt, {
      retries: this.spec.retries,
      startPeriodMs: this.spec.startPeriodMs,
      intervalMs: this.spec.intervalMs,
    });
    this.state = applied.state;
    this.setReason(result.ok ? null : result.reason);
    // Until the first success it probes every start_interval, so a service that binds in 60 ms is not held back a whole interval.
    const nextMs = this.state.everHealthy ? this.spec.intervalMs : this.spec.startIntervalMs;
    this.timer = this.ctx.clock.setTimeout(() => void this.tick(probe), nextMs);

    if (applied.change === 'healthy') {
      this.ctx.onChange('healthy', null);
    } else if (applied.change === 'unhealthy') {
      const n = applied.state.consecutiveFailures;
      this.ctx.onChange('unhealthy', `health check failed ${n} time${n === 1 ? '' : 's'}: ${this.reason ?? 'unknown'}`);
    }
  }
}
