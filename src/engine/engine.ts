// The engine: runs the services of a project in dependency order, emits events, takes commands.
import type { ProjectConfig, ServiceSpec } from '../config/model.js';
import type { LineBatch } from '../core/line-batch.js';
import type { Runtime } from '../runtimes/runtime.js';
import { systemClock, type Clock } from '../core/clock.js';
import { conditionStatus, isReady } from './conditions.js';
import { dependencyClosure, topoLayers, type DependencyMap } from '../core/graph.js';
import type { ReadyOutcome } from '../core/control.js';
import type { EngineEvent, EventListener, LogStream } from '../core/events.js';
import { TERMINAL_STATES, type ServiceState } from '../core/states.js';
import { Supervisor, type ServiceSnapshot } from './supervisor.js';

/** What the engine is built from. */
export interface EngineOptions {
  /** Picks the runtime for a service (process or container). */
  readonly runtimeFor: (spec: ServiceSpec) => Runtime;
  readonly clock?: Clock;
  /** The environment every service starts from (msdev's own, by default). */
  readonly baseEnv?: NodeJS.ProcessEnv;
}


/** Runs a project's services; every front end subscribes to its events and sends it commands. */
export class Engine {
  private readonly supervisors = new Map<string, Supervisor>();
  private readonly listeners = new Set<EventListener>();
  /** Each service's dependencies, for start closure and stop order. */
  private readonly deps: DependencyMap;
  /** Each service's direct dependents (config order), the reverse of deps, built once. */
  private readonly dependents = new Map<string, Supervisor[]>();
  /** Each service's place in the config, so that launches keep the config order. */
  private readonly order = new Map<Supervisor, number>();
  private readonly clock: Clock;
  /** The services the user asked for (with their dependencies), which readiness and settling look at. */
  private wanted = new Set<string>();
  /**
   * What readiness and settling need, kept up to date on every state change so that each check costs
   * O(1) instead of a walk over every service (1,000 services starting one per turn made that quadratic):
   * the wanted services not ready, those failed or stopped, and those not ended.
   */
  private readonly notReady = new Set<string>();
  private readonly down = new Set<string>();
  private readonly unended = new Set<string>();
  /** Pending services whose dependencies changed state since the last evaluation (or that were just requested). */
  private readonly dirty = new Set<Supervisor>();
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
    for (const sup of this.supervisors.values()) {
      this.order.set(sup, this.order.size);
      for (const dep of Object.keys(sup.spec.dependsOn)) {
        if (dep === sup.name || !this.supervisors.has(dep)) continue;
        let list = this.dependents.get(dep);
        if (!list) this.dependents.set(dep, (list = []));
        list.push(sup);
      }
    }
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
    for (const name of wanted) {
      const sup = this.supervisors.get(name);
      if (sup) this.classify(sup);
    }
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
    // Nothing waiting may start while the others stop.
    for (const sup of this.supervisors.values()) if (sup.state === 'pending' || sup.state === 'crashed') void sup.stop();
    // Each service stops once its dependents have stopped; built without recursion (a chain may be thousands long).
    const stops = new Map<Supervisor, Promise<void>>();
    // Reverse start order: every service comes after all its dependents.
    const order = topoLayers([...this.supervisors.keys()], this.deps).reverse().flat();
    for (const sup of order.map((n) => this.supervisors.get(n)!)) {
      const after = (this.dependents.get(sup.name) ?? []).flatMap((d) => stops.get(d) ?? []);
      stops.set(sup, Promise.all(after).then(() => sup.stop()));
    }
    await Promise.all(stops.values());
  }

  /** SIGKILL to every process of every service, synchronously (second Ctrl-C, msdev exiting). */
  kill(): void {
    this.shuttingDown = true;
    for (const sup of this.supervisors.values()) sup.kill();
  }


  /** Files a service under what readiness and settling count, and marks what may now launch. */
  private classify(sup: Supervisor): void {
    if (sup.state === 'pending') this.dirty.add(sup);
    for (const dependent of this.dependents.get(sup.name) ?? []) if (dependent.state === 'pending') this.dirty.add(dependent);
    const name = sup.name;
    if (!this.wanted.has(name)) return;
    toggle(this.notReady, name, !isReady(sup.state, sup.spec.healthcheck !== undefined, sup.spec.oneShot));
    toggle(this.down, name, sup.state === 'failed' || sup.state === 'stopped');
    toggle(this.unended, name, !TERMINAL_STATES.has(sup.state));
  }

  private onState(sup: Supervisor, prev: ServiceState, reason: string | null, exitCode: number | null): void {
    this.classify(sup);
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

  /**
   * Launches pending services whose dependencies are met, fails those that can never be, checks ready
   * and settled. Only the services marked by classify() are looked at, in config order.
   */
  private evaluate(): void {
    if (!this.shuttingDown && this.dirty.size > 0) {
      const batch = [...this.dirty];
      this.dirty.clear();
      if (batch.length > 1) batch.sort((a, b) => (this.order.get(a) ?? 0) - (this.order.get(b) ?? 0));
      for (const sup of batch) {
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
    if (this.wanted.size === 0) return null;
    if (this.down.size > 0) return { ready: false, failed: [...this.wanted].filter((n) => this.down.has(n)) };
    if (this.notReady.size === 0) return { ready: true, ms: this.clock.now() - this.startedAt };
    return null;
  }

  private checkReady(): void {
    const mayEmit = !this.readyEmitted && this.wanted.size > 0 && this.notReady.size === 0;
    if (!mayEmit && this.readyWaiters.length === 0) return;
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
    if (this.settled || this.shuttingDown || this.wanted.size === 0 || this.unended.size > 0) return;
    this.settled = true;
    const code = [...this.wanted].some((n) => this.supervisors.get(n)?.state === 'failed') ? 1 : 0;
    this.emit({ type: 'settled', ts: this.clock.now(), code });
  }

  private emit(event: EngineEvent): void {
    for (const listener of this.listeners) listener(event);
  }
}

/** Adds `item` to `set` when `on`, removes it otherwise. */
function toggle<T>(set: Set<T>, item: T, on: boolean): void {
  if (on) set.add(item);
  else set.delete(item);
}
