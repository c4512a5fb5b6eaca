// One supervisor per service: starts it through its runtime, watches its health, decides restarts.
import type { ServiceSpec } from '../config/model.js';
import { HealthMonitor } from '../health/health-monitor.js';
import type { LineBatch } from '../core/line-batch.js';
import { RingBuffer } from '../core/ring-buffer.js';
import { StartError, type Handle, type Runtime } from '../runtimes/runtime.js';
import type { Clock, TimerHandle } from '../core/clock.js';
import type { LogStream } from '../core/events.js';
import { isReady } from './conditions.js';
import { decideExit } from './restart-policy.js';
import { next, type Transition } from './state-machine.js';
import type { ServiceState } from '../core/states.js';

/** How many recent lines each service keeps for failure reports. */
export const RECENT_LINES = 20;

/** What a supervisor tells the engine. */
export interface SupervisorHooks {
  /** The service changed state. */
  onState(sup: Supervisor, prev: ServiceState, reason: string | null, exitCode: number | null): void;
  /** The service printed lines. */
  onLines(sup: Supervisor, stream: LogStream, batch: LineBatch): void;
}

/** Everything a supervisor needs from outside. */
export interface SupervisorDeps {
  readonly runtime: Runtime;
  readonly clock: Clock;
  readonly baseEnv: NodeJS.ProcessEnv;
  readonly hooks: SupervisorHooks;
}

/** A point-in-time view of one service. */
export interface ServiceSnapshot {
  readonly name: string;
  readonly state: ServiceState;
  readonly reason: string | null;
  readonly pid: number | null;
  readonly container: string | null;
  readonly restarts: number;
  /** When the current run started (ms since epoch), or null. */
  readonly startedAt: number | null;
  /** When it first became ready in this run (ms since epoch), or null. */
  readonly readyAt: number | null;
}

/** Runs one service through its lifecycle. */
export class Supervisor {
  state: ServiceState = 'stopped';
  reason: string | null = null;
  restarts = 0;
  startedAt: number | null = null;
  readyAt: number | null = null;
  readonly recent = new RingBuffer<string>(RECENT_LINES);
  private handle: Handle | null = null;
  private monitor: HealthMonitor | null = null;
  private restartTimer: TimerHandle | null = null;
  /** Bumped on every launch and stop, so callbacks of an older run are ignored. */
  private generation = 0;
  private stopping: Promise<void> | null = null;
  /** Resolves a stop that was asked for while the runtime was still starting the service. */
  private afterStartStop: (() => void) | null = null;

  constructor(readonly spec: ServiceSpec, private readonly deps: SupervisorDeps) {}

  /** The name of the service. */
  get name(): string {
    return this.spec.name;
  }

  /** The current view of the service. */
  snapshot(): ServiceSnapshot {
    return {
      name: this.name,
      state: this.state,
      reason: this.reason,
      pid: this.handle?.pid ?? null,
      container: this.handle?.container ?? null,
      restarts: this.restarts,
      startedAt: this.startedAt,
      readyAt: this.readyAt,
    };
  }

  /** The latest health check failure while the service is not healthy, or null. */
  probeReason(): string | null {
    return this.monitor?.lastReason() ?? null;
  }

  /** Asked to run: waits on its dependencies (pending). */
  request(): void {
    this.restarts = 0;
    this.stopping = null;
    this.move('request', null);
  }

  /** Marks it failed because a dependency can no longer meet its condition. */
  failDependency(reason: string): void {
    this.move('dependency-failed', reason);
  }

  /** Starts it now (its dependencies are met, or its back-off elapsed). */
  launch(): void {
    if (!this.move('launch', null)) return;
    const generation = ++this.generation;
    const startedAt = this.deps.clock.now();
    this.startedAt = startedAt;
    this.deps.runtime
      .start(this.spec, {
        baseEnv: this.deps.baseEnv,
        onLines: (stream, batch) => {
          this.recent.pushAll(batch.last(RECENT_LINES));
          if (this.monitor?.wantsLines()) this.monitor.feedLines(batch.lines);
          this.deps.hooks.onLines(this, stream, batch);
        },
      })
      .then(
        (handle) => this.started(generation, handle, startedAt),
        (err: unknown) => {
          if (this.afterStartStop) return this.finishStartStop(null);
          if (generation !== this.generation) return;
          const reason = err instanceof StartError ? err.message : `could not start: ${String(err)}`;
          this.move('start-error', reason);
        },
      );
  }

  /** Stops it: cancels a scheduled restart, or stops its processes with its stop signal and timeout. */
  stop(): Promise<void> {
    if (this.stopping) return this.stopping;
    this.restartTimer?.cancel();
    this.restartTimer = null;
    this.stopHealth();
    const handle = this.handle;
    const prev = this.state;
    if (!this.move('stop', null)) return Promise.resolve();
    if (prev === 'starting' && !handle) {
      // The runtime is still starting it: started() sees the stopping state and stops the new handle.
      this.stopping = new Promise((resolve) => (this.afterStartStop = resolve));
      return this.stopping;
    }
    if (!handle) return Promise.resolve();
    this.generation++;
    this.stopping = handle.stop(this.spec.stopSignal, this.spec.stopTimeoutMs).then((exit) => {
      this.handle = null;
      this.move('stopped', null, exit.code);
    });
    return this.stopping;
  }

  /** SIGKILL to everything of it, at once (second Ctrl-C, msdev exiting). */
  kill(): void {
    this.restartTimer?.cancel();
    this.stopHealth();
    this.handle?.kill();
  }

  /** Ends a stop that was asked for while the runtime was still starting the service. */
  private finishStartStop(exitCode: number | null): void {
    const done = this.afterStartStop;
    this.afterStartStop = null;
    this.handle = null;
    this.move('stopped', null, exitCode);
    done?.();
  }

  /** The runtime started it. */
  private started(generation: number, handle: Handle, startedAt: number): void {
    if (this.afterStartStop) {
      this.handle = handle;
      void handle.stop(this.spec.stopSignal, this.spec.stopTimeoutMs).then((exit) => this.finishStartStop(exit.code));
      return;
    }
    if (generation !== this.generation) {
      handle.kill();
      return;
    }
    this.handle = handle;
    this.move('spawned', null);
    this.startHealth(generation);
    void handle.exited.then((exit) => {
      if (generation !== this.generation) return;
      this.generation++;
      this.stopHealth();
      this.handle = null;
      const decision = decideExit(this.spec, exit.code, exit.signal, this.restarts, this.deps.clock.now() - startedAt);
      if (decision.action === 'complete') this.move('exit-completed', decision.reason, exit.code);
      else if (decision.action === 'fail') this.move('exit-failed', decision.reason, exit.code);
      else {
        this.restarts = decision.attempt;
        this.move('exit-restart', decision.reason, exit.code);
        this.restartTimer = this.deps.clock.setTimeout(() => {
          this.restartTimer = null;
          this.launch();
        }, decision.delayMs);
      }
    });
  }

  /** Starts probing, when the service has a health check. */
  private startHealth(generation: number): void {
    const check = this.spec.healthcheck;
    if (!check) return;
    this.monitor = new HealthMonitor(check, {
      cwd: this.spec.cwd,
      env: { ...this.deps.baseEnv, ...this.spec.env },
      clock: this.deps.clock,
      onChange: (change, reason) => {
        if (generation !== this.generation) return;
        if (change === 'healthy') this.move('probe-ok', null);
        else this.move('probe-failed', reason);
      },
    });
    this.monitor.start();
  }

  private stopHealth(): void {
    this.monitor?.stop();
    this.monitor = null;
  }

  /** Applies a transition; returns false (and changes nothing) when it does not apply. */
  private move(transition: Transition, reason: string | null, exitCode: number | null = null): boolean {
    const to = next(this.state, transition);
    if (to === null) return false;
    const prev = this.state;
    this.state = to;
    this.reason = reason;
    if (to === 'pending') this.readyAt = null;
    else if (this.readyAt === null && isReady(to, this.spec.healthcheck !== undefined, this.spec.oneShot)) {
      this.readyAt = this.deps.clock.now();
    }
    this.deps.hooks.onState(this, prev, reason, exitCode);
    return true;
  }
}
