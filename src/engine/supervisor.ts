// One supervisor per service: starts it through its runtime, watches its health, decides restarts.
import type { ServiceSpec } from '../config/model.js';
import { SERVICE_HOST, servicePort } from '../config/registry.js';
import type { Clock, TimerHandle } from '../core/clock.js';
import type { ServiceView, WatchState } from '../core/control.js';
import type { LogStream } from '../core/events.js';
import type { LineBatch } from '../core/line-batch.js';
import type { OutputFlow } from '../core/output-flow.js';
import { RingBuffer } from '../core/ring-buffer.js';
import type { ServiceState } from '../core/states.js';
import { HealthMonitor } from '../health/health-monitor.js';
import { StartError, type Handle, type Runtime, type SyncChange, type TreeUsage } from '../runtimes/runtime.js';
import { isReady } from './conditions.js';
import { healthFor } from './service-health.js';
import { decideExit } from './restart-policy.js';
import { next, type Transition } from './state-machine.js';

/** How many recent lines each service keeps for failure reports and late front ends. */
export const RECENT_LINES = 20;

/** Why a service is being stopped: a user command, msdev shutting down, or a restart (it starts again). */
export type StopCause = 'user' | 'shutdown' | 'restart';

/** What a supervisor tells the engine. */
export interface SupervisorHooks {
  /** The service changed state. */
  onState(sup: Supervisor, prev: ServiceState, reason: string | null, exitCode: number | null): void;
  /** The service printed lines. */
  onLines(sup: Supervisor, stream: LogStream, batch: LineBatch): void;
  /** Its latest health-check failure changed (null: the last probe passed). */
  onHealth(sup: Supervisor, reason: string | null): void;
}

/** Everything a supervisor needs from outside. */
export interface SupervisorDeps {
  readonly runtime: Runtime;
  readonly clock: Clock;
  readonly baseEnv: NodeJS.ProcessEnv;
  readonly hooks: SupervisorHooks;
  /** Paused while the front ends' output is behind: the runtime stops reading the service's output. */
  readonly flow: OutputFlow;
}

/** The reason shown for a stop, by cause. */
const STOP_REASONS: Readonly<Record<StopCause, string | null>> = { user: 'stopped by the user', shutdown: null, restart: 'restarting' };

/** Runs one service through its lifecycle; every change goes through the pure state machine. */
export class Supervisor {
  state: ServiceState = 'stopped';
  reason: string | null = null;
  restarts = 0;
  startedAt: number | null = null;
  readyAt: number | null = null;
  /** Why the current (or last) stop was asked for; null while it runs or waits to. */
  stopCause: StopCause | null = null;
  readonly recent = new RingBuffer<string>(RECENT_LINES);
  private handle: Handle | null = null;
  private monitor: HealthMonitor | null = null;
  private restartTimer: TimerHandle | null = null;
  /** Bumped on every launch and stop, so callbacks of an older run are ignored. */
  private generation = 0;
  private stopping: Promise<void> | null = null;
  /** Resolves a stop that was asked for while the runtime was still starting the service. */
  private afterStartStop: (() => void) | null = null;
  /** A kill came while the runtime was still starting it: the new handle is killed, not stopped. */
  private killWhenStarted = false;

  /** Whether the current (or last) run has a health check: the spec's, or its image's; null before the first run. */
  private checked: boolean | null = null;
  /** The kind of that check as front ends show it (null for the pass-at-once check of a container with no port). */
  private checkKind: ServiceView['healthcheck'] = null;

  /** Why the current stop was asked for, when the asker said (a file change, a config change); shown until it runs again. */
  private stopReason: string | null = null;

  constructor(
    private current: ServiceSpec,
    private readonly deps: SupervisorDeps,
  ) {}

  /** Its settings. */
  get spec(): ServiceSpec {
    return this.current;
  }

  /** Takes new settings (a reload); they apply from its next start. */
  replaceSpec(spec: ServiceSpec): void {
    this.current = spec;
  }

  /** The name of the service. */
  get name(): string {
    return this.spec.name;
  }

  /** True while a user command keeps it stopped (stopping or stopped): not restarted, not a failure. */
  get userStopped(): boolean {
    return this.stopCause === 'user' && (this.state === 'stopping' || this.state === 'stopped');
  }

  /** CPU time and memory of everything of it now, or null when nothing runs (or the runtime cannot tell). */
  usage(): TreeUsage | null {
    return this.handle?.usage?.() ?? null;
  }

  /** Copies changed files to where it runs (watch action sync); null when nothing of it runs that takes files. */
  syncFiles(changes: readonly SyncChange[]): Promise<string> | null {
    return this.handle?.sync?.(changes) ?? null;
  }

  /** Its next stop keeps its container (with the files synced into it) for the start after (sync+restart). */
  keepForRestart(): void {
    this.handle?.keepForRestart?.();
  }

  /** The pid of its process (group leader), or null when nothing runs. */
  get pid(): number | null {
    return this.handle?.pid ?? null;
  }

  /** The id of its container, or null. */
  get container(): string | null {
    return this.handle?.container ?? null;
  }

  /** Whether it counts as ready in its current state (SPEC §3). */
  get ready(): boolean {
    return isReady(this.state, this.checked ?? this.spec.healthcheck !== undefined, this.spec.oneShot);
  }

  /** What front ends see of it now. */
  view(watch: WatchState | null = null): ServiceView {
    const port = servicePort(this.spec) ?? null;
    return {
      name: this.name,
      kind: this.spec.kind,
      state: this.state,
      ready: this.ready,
      reason: this.reason,
      probeReason: this.state === 'healthy' ? null : (this.monitor?.lastReason() ?? null),
      healthcheck: this.checked === null ? (this.spec.healthcheck?.kind ?? null) : this.checkKind,
      pid: this.pid,
      container: this.container,
      port,
      url: port === null ? null : `http://${SERVICE_HOST}:${port}`,
      restarts: this.restarts,
      userStopped: this.userStopped,
      startedAt: this.startedAt,
      readyAt: this.readyAt,
      recent: this.recent.last(),
      watch,
    };
  }

  /**
   * Asked to run (up, start, restart): waits on its dependencies (pending), its back-off count reset.
   * From a back-off wait it leaves at once; false when it is already running or waiting to.
   */
  request(): boolean {
    if (next(this.state, 'request') === null && this.state !== 'crashed') return false;
    this.restartTimer?.cancel();
    this.restartTimer = null;
    this.restarts = 0;
    this.stopping = null;
    // A restart's own reason (`watch: app.js`) stays on its way back up: pending, starting.
    const reason = this.stopCause === 'restart' ? this.stopReason : null;
    this.stopCause = null;
    if (reason === null) this.stopReason = null;
    return this.move(this.state === 'crashed' ? 'retry' : 'request', reason);
  }

  /** Marks it failed because a dependency can no longer meet its condition. */
  failDependency(reason: string): void {
    this.move('dependency-failed', reason);
  }

  /** Starts it now (its dependencies are met). */
  launch(): void {
    const reason = this.stopReason;
    this.stopReason = null;
    if (!this.move('launch', reason)) return;
    const generation = ++this.generation;
    const startedAt = this.deps.clock.now();
    this.startedAt = startedAt;
    this.deps.runtime
      .start(this.spec, {
        baseEnv: this.deps.baseEnv,
        flow: this.deps.flow,
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

  /**
   * Stops it: cancels a scheduled restart, or stops its processes with its stop signal and timeout.
   * `reason` replaces the cause's own words in its state changes (`watch: app.js (+3 more)`).
   */
  stop(cause: StopCause, reason: string | null = null): Promise<void> {
    if (this.stopping) {
      // A user stop during a restart's stop keeps it stopped.
      if (cause === 'user') this.stopCause = 'user';
      return this.stopping;
    }
    if (next(this.state, 'stop') === null) return Promise.resolve();
    this.stopReason = reason;
    this.restartTimer?.cancel();
    this.restartTimer = null;
    this.stopHealth();
    const handle = this.handle;
    const prev = this.state;
    this.stopCause = cause;
    this.generation++;
    this.move('stop', this.stopReasonFor(cause));
    if (prev === 'starting' && !handle) {
      // The runtime is still starting it: started() sees afterStartStop and stops the new handle.
      this.stopping = new Promise((resolve) => (this.afterStartStop = resolve));
      return this.stopping;
    }
    if (!handle) return Promise.resolve();
    this.stopping = handle.stop(this.spec.stopSignal, this.spec.stopTimeoutMs).then((exit) => {
      this.handle = null;
      this.move('stopped', this.stopReasonFor(this.stopCause ?? cause), exit.code);
    });
    return this.stopping;
  }

  /** The words of a stop's state changes: the asker's reason, else the cause's own (a user stop always says so). */
  private stopReasonFor(cause: StopCause): string | null {
    if (cause === 'user' || this.stopReason === null) return STOP_REASONS[cause];
    return this.stopReason;
  }

  /** SIGKILL to everything of it, at once (second Ctrl-C, msdev exiting); it ends `stopped`, never restarted. */
  kill(): void {
    const handle = this.handle;
    if (!this.stopping) void this.stop(this.stopCause ?? 'shutdown');
    if (this.afterStartStop) this.killWhenStarted = true;
    handle?.kill();
  }

  /** Resolves once its current stop (or kill) has finished: nothing of it runs. */
  whenStopped(): Promise<void> {
    return this.stopping ?? Promise.resolve();
  }

  /** Ends a stop that was asked for while the runtime was still starting the service. */
  private finishStartStop(exitCode: number | null): void {
    const done = this.afterStartStop;
    this.afterStartStop = null;
    this.killWhenStarted = false;
    this.handle = null;
    this.move('stopped', this.stopReasonFor(this.stopCause ?? 'shutdown'), exitCode);
    done?.();
  }

  /** The runtime started it. */
  private started(generation: number, handle: Handle, startedAt: number): void {
    if (this.afterStartStop) {
      this.handle = handle;
      if (this.killWhenStarted) handle.kill();
      void handle.stop(this.spec.stopSignal, this.spec.stopTimeoutMs).then((exit) => this.finishStartStop(exit.code));
      return;
    }
    if (generation !== this.generation) {
      handle.kill();
      return;
    }
    this.handle = handle;
    this.move('spawned', null);
    this.startHealth(generation, handle);
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
        // The back-off only moves it back to pending: the engine launches it once its dependencies are met.
        this.restartTimer = this.deps.clock.setTimeout(() => {
          this.restartTimer = null;
          this.move('retry', null);
        }, decision.delayMs);
      }
    });
  }

  /** Starts probing, when the service has a health check (its own, else its image's); runs exec checks where the service runs. */
  private startHealth(generation: number, handle: Handle): void {
    const check = healthFor(this.spec, handle);
    this.checked = check !== null;
    this.checkKind = check?.shown ?? null;
    if (!check) return;
    this.monitor = new HealthMonitor(check.spec, {
      cwd: this.spec.cwd,
      env: { ...this.deps.baseEnv, ...this.spec.env },
      clock: this.deps.clock,
      ...(check.probe ? { probe: check.probe } : {}),
      ...(handle.exec ? { execRunner: (target: string, o: { timeoutMs: number; signal?: AbortSignal }) => handle.exec!(target, o) } : {}),
      onReason: (reason) => {
        if (generation === this.generation) this.deps.hooks.onHealth(this, reason);
      },
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
    else if (this.readyAt === null && this.ready) this.readyAt = this.deps.clock.now();
    this.deps.hooks.onState(this, prev, reason, exitCode);
    return true;
  }
}
