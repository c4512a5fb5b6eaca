// The engine: runs the services of a project in dependency order, emits events, takes commands.
import type { ProjectConfig, ServiceSpec } from '../config/model.js';
import type { LineBatch } from '../output/line-batch.js';
import type { Runtime } from '../runtimes/runtime.js';
import { systemClock, type Clock } from './clock.js';
import { conditionStatus, isReady } from './conditions.js';
import { dependencyClosure, dependentsOf, type DependencyMap } from './graph.js';
import type { EngineEvent, EventListener, LogStream } from './events.js';
import { TERMINAL_STATES, type ServiceState } from './states.js';
import { Supervisor, type ServiceSnapshot } from './supervisor.js';

/** What the engine is built from. */
export interface EngineOptions {
  /** Picks the runtime for a service (process or container). */
  readonly runtimeFor: (spec: ServiceSpec) => Runtime;
  readonly clock?: Clock;
  /** The environment every service starts from (msdev's own, by default). */
  readonly baseEnv?: NodeJS.ProcessEnv;
}

/** The outcome of waiting for readiness. */
export type ReadyOutcome =
  | { readonly ready: true; readonly ms: number }
  | { readonly ready: false; readonly failed: readonly string[] };

/** Runs a project's services; every front end subscribes to its events and sends it commands. */
export class Engine {
  private readonly supervisors = new Map<string, Supervisor>();
  private readonly listeners = new Set<EventListener>();
  /** Each service's dependencies, for start closure and stop order. */
  private readonly deps: DependencyMap;
  private readonly clock: Clock;
  /** The services the user asked for (with their dependencies), which readiness and settling look at. */
  private wanted = new Set<string>();
  private startedAt = 0;
  private readyEmitted = false;
  private shuttingDown = false;
  private settled = false;
  private evaluateQueued = false;
  private readyWaiters: ((outcome: ReadyOutcome) => void)[] = [];

  constructor(readonly config: ProjectConfig, options: EngineOptions) {
    this.clock = options.clock ?? systemClock;
    const baseEnv = options.baseEnv ?? process.env;
    const hooks = {
      onState: (sup: Supervisor, prev: ServiceState, reason: string | null, exitCode: number | null) =>
        this.onState(sup, prev, reason, exitCode),
      onLines: (sup: Supervisor, stream: LogStream, batch: LineBatch) =>
        this.emit({
          type: 'log',
          ts: this.clock.now(),
          service: sup.name,
          stream,
          text: batch.text,
          bytes: batch.bytes,
          get lines() {
            return batch.lines;
          },
        }),
    };
    for (const name of config.active) {
      const spec = config.services[name];
      if (!spec) continue;
      this.supervisors.set(name, new Supervisor(spec, { runtime: options.runtimeFor(spec), clock: this.clock, baseEnv, hooks }));
    }
    this.deps = Object.fromEntries([...this.supervisors].map(([name, sup]) => [name, sup.spec.dependsOn]));
  }

  /** Adds a listener; it first receives nothing old: call snapshot() under the same tick for the current state. */
  subscribe(listener: EventListener): { snapshot: ServiceSnapshot[]; unsubscribe: () => void } {
    this.listeners.add(listener);
    return { snapshot: this.snapshot(), unsubscribe: () => this.listeners.delete(listener) };
  }

  /** The current state of every service, in config order. */
  snapshot(): ServiceSnapshot[] {
    return [...this.supervisors.values()].map((s) => s.snapshot());
  }

  /** The supervisor of a service, for reports (recent lines). */
  service(name: string): Supervisor | undefined {
    return this.supervisors.get(name);
  }

  /** Starts the named services (none named: all active) and what they depend on. */
  start(names: readonly string[] = []): void {
    this.shuttingDown = false;
    this.settled = false;
    this.readyEmitted = false;
    this.startedAt = this.clock.now();
    const wanted = dependencyClosure(names.length > 0 ? names : [...this.supervisors.keys()], this.deps).filter((n) => this.supervisors.has(n));
    for (const name of wanted) this.wanted.add(name);
    for (const name of wanted) this.supervisors.get(name)?.request();
    this.evaluate();
  }

  /** Resolves when every wanted service is ready, or as soon as one of them fails. */
  whenReady(): Promise<ReadyOutcome> {
    const now = this.readyOutcome();
    if (now) return Promise.resolve(now);
    return new Promise((resolve) => this.readyWaiters.push(resolve));
  }

  /** Stops everything in reverse dependency order: dependents first, independent services in parallel. */
  async shutdown(): Promise<void> {
    this.shuttingDown = true;
    const stops = new Map<string, Promise<void>>();
    const stopOne = (name: string): Promise<void> => {
      let p = stops.get(name);
      if (!p) {
        p = Promise.all(dependentsOf(name, this.deps).map(stopOne)).then(() => this.supervisors.get(name)?.stop());
        stops.set(name, p);
      }
      return p;
    };
    // Nothing waiting may start while the others stop.
    for (const sup of this.supervisors.values()) if (sup.state === 'pending' || sup.state === 'crashed') void sup.stop();
    await Promise.all([...this.supervisors.keys()].map(stopOne));
  }

  /** SIGKILL to every process of every service, synchronously (second Ctrl-C, msdev exiting). */
  kill(): void {
    this.shuttingDown = true;
    for (const sup of this.supervisors.values()) sup.kill();
  }


  private onState(sup: Supervisor, prev: ServiceState, reason: string | null, exitCode: number | null): void {
    const snap = sup.snapshot();
    this.emit({
      type: 'state',
      ts: this.clock.now(),
      service: sup.name,
      state: sup.state,
      prev,
      reason,
      pid: snap.pid,
      ...(snap.container !== null ? { container: snap.container } : {}),
      ...(exitCode !== null ? { exitCode } : {}),
      restarts: sup.restarts,
    });
    if (!this.evaluateQueued) {
      this.evaluateQueued = true;
      queueMicrotask(() => {
        this.evaluateQueued = false;
        this.evaluate();
      });
    }
  }

  /** Launches pending services whose dependencies are met, fails those that can never be, checks ready and settled. */
  private evaluate(): void {
    if (!this.shuttingDown) {
      for (const sup of this.supervisors.values()) {
        if (sup.state !== 'pending') continue;
        let waiting = false;
        let impossible: string | null = null;
        for (const [dep, condition] of Object.entries(sup.spec.dependsOn)) {
          const depSup = this.supervisors.get(dep);
          if (!depSup) continue;
          const status = conditionStatus(dep, condition, depSup.state);
          if (status.met) continue;
          waiting = true;
          if (status.impossible) impossible ??= status.impossible;
        }
        if (impossible) sup.failDependency(impossible);
        else if (!waiting) sup.launch();
      }
    }
    this.checkReady();
    this.checkSettled();
  }

  private readyOutcome(): ReadyOutcome | null {
    const wanted = [...this.wanted].map((n) => this.supervisors.get(n)).filter((s): s is Supervisor => !!s);
    const failed = wanted.filter((s) => s.state === 'failed' || s.state === 'stopped').map((s) => s.name);
    if (failed.length > 0) return { ready: false, failed };
    if (wanted.length > 0 && wanted.every((s) => isReady(s.state, s.spec.healthcheck !== undefined, s.spec.oneShot))) {
      return { ready: true, ms: this.clock.now() - this.startedAt };
    }
    return null;
  }

  private checkReady(): void {
    const outcome = this.readyOutcome();
    if (!outcome) return;
    if (outcome.ready && !this.readyEmitted) {
      this.readyEmitted = true;
      this.emit({ type: 'ready', ts: this.clock.now(), services: [...this.wanted], ms: outcome.ms });
    }
    const waiters = this.readyWaiters;
    this.readyWaiters = [];
    for (const w of waiters) w(outcome);
  }

  private checkSettled(): void {
    if (this.settled || this.shuttingDown || this.wanted.size === 0) return;
    const wanted = [...this.wanted].map((n) => this.supervisors.get(n)).filter((s): s is Supervisor => !!s);
    if (!wanted.every((s) => TERMINAL_STATES.has(s.state))) return;
    this.settled = true;
    const code = wanted.some((s) => s.state === 'failed') ? 1 : 0;
    this.emit({ type: 'settled', ts: this.clock.now(), code });
  }

  private emit(event: EngineEvent): void {
    for (const listener of this.listeners) listener(event);
  }
}
