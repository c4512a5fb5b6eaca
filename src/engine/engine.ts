// The engine: runs the services of a project in dependency order, emits events, takes commands.
import { basename } from 'node:path';
import { didYouMean } from '../config/did-you-mean.js';
import type { ProjectConfig, ServiceSpec, WatchSpec } from '../config/model.js';
import { systemClock, type Clock } from '../core/clock.js';
import { CommandError, type ReadyOutcome, type RestartOptions, type ServiceUsage, type ServiceView, type SnapshotEvent, type StackControl, type StackListener } from '../core/control.js';
import type { EngineEvent, LogStream, MessageEvent } from '../core/events.js';
import { RingBuffer } from '../core/ring-buffer.js';
import { dependencyClosure, dependentsClosure, topoLayers } from '../core/graph.js';
import type { LineBatch } from '../core/line-batch.js';
import { OutputFlow } from '../core/output-flow.js';
import type { ServiceState } from '../core/states.js';
import type { Runtime } from '../runtimes/runtime.js';
import { runWatchAction } from './watch-actions.js';
import { launchDecision } from './conditions.js';
import { ReadinessTracker } from './readiness-tracker.js';
import { RestartCoalescer, type RestartJob } from './restart-coalescer.js';
import { ServiceWaiters } from './service-waiters.js';
import { stopInReverseOrder } from './stop-order.js';
import { reshapeSupervisors, stopForReload } from './reload-steps.js';
import { ServiceGraph } from './service-graph.js';
import { Supervisor, type StopCause, type SupervisorDeps } from './supervisor.js';
import { UsageSampler } from './usage-sampler.js';
import { WatchHub, type WatchOptions } from './watch-hub.js';
import type { WatchTrigger } from '../watch/service-watch.js';
import { diffConfigs, type ConfigDiff } from './config-diff.js';

/** A file change this soon after a service started counts as its own doing (toward pausing its watch). */
const OWN_CHANGE_MS = 3000;

/** How many of msdev's own messages a snapshot carries. */
const RECENT_MESSAGES = 50;

/** What the engine is built from. */
export interface EngineOptions {
  /** Picks the runtime for a service (process or container). */
  readonly runtimeFor: (spec: ServiceSpec) => Runtime;
  readonly clock?: Clock;
  /** The environment every service starts from (msdev's own, by default). */
  readonly baseEnv?: NodeJS.ProcessEnv;
  /** Hot reload of services with `watch`; none when absent. */
  readonly watch?: WatchOptions;
}

/** Runs a project's services; every front end subscribes to its events and sends it commands. */
export class Engine implements StackControl {
  private readonly supervisors = new Map<string, Supervisor>();
  private readonly listeners = new Set<StackListener>();
  /** Dependencies, dependents and config order; rebuilt when the config changes. */
  private readonly graph = new ServiceGraph();
  /** What a supervisor is built from (a reload adds services). */
  private readonly supervisorDeps: Omit<SupervisorDeps, 'runtime'>;
  private readonly runtimeFor: (spec: ServiceSpec) => Runtime;
  /** The run asked for every service (`up` with no names): services a reload adds are started too. */
  private upAll = false;
  /** The reload being applied: the next one waits for it. */
  private reloading: Promise<unknown> = Promise.resolve();
  /** Hot reload of the services with `watch`, or null when the engine watches nothing. */
  private readonly watches: WatchHub | null;
  private readonly clock: Clock;
  /** Whether service output is read; paused by front ends whose output is behind (backpressure). */
  private readonly flow = new OutputFlow();
  /** Every runtime the services use, released by dispose(). */
  private readonly runtimes = new Set<Runtime>();
  private readonly readiness = new ReadinessTracker();
  private readonly waiters = new ServiceWaiters();
  /** Pending services whose dependencies changed state since the last evaluation (or that were just requested). */
  private readonly dirty = new Set<Supervisor>();
  private readonly restarts = new RestartCoalescer();
  /** msdev's own latest messages, for the snapshot of a late subscriber. */
  private readonly messages = new RingBuffer<MessageEvent>(RECENT_MESSAGES);
  private restartAllJob: Promise<void> | null = null;
  private readonly usageSampler = new UsageSampler();
  private startedAt = 0;
  private readyEmitted = false;
  private shuttingDown = false;
  /** True while restartAll stops everything: nothing pending may launch meanwhile. */
  private pausing = false;
  private settled = false;
  private evaluateQueued = false;
  private readyWaiters: ((outcome: ReadyOutcome) => void)[] = [];

  constructor(
    /** The config the stack runs now (replaced by applyConfig). */
    public config: ProjectConfig,
    options: EngineOptions,
  ) {
    this.clock = options.clock ?? systemClock;
    const baseEnv = options.baseEnv ?? process.env;
    const hooks = {
      onState: (sup: Supervisor, prev: ServiceState, reason: string | null, exitCode: number | null) => this.onState(sup, prev, reason, exitCode),
      onHealth: (sup: Supervisor, reason: string | null) => this.emit({ type: 'health', ts: this.clock.now(), service: sup.name, reason }),
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
    this.runtimeFor = options.runtimeFor;
    this.supervisorDeps = { clock: this.clock, baseEnv, hooks, flow: this.flow };
    for (const name of config.active) {
      const spec = config.services[name];
      if (spec) this.supervisors.set(name, this.newSupervisor(spec));
    }
    this.graph.rebuild(this.supervisors);
    this.watches = options.watch
      ? new WatchHub(options.watch, config.dir, this.clock, {
          onTrigger: (name, trigger, spec) => this.onWatchTrigger(name, trigger, spec),
          // A service that writes into its own watched files does so as it starts: a change that soon after its start is its own.
          ownChange: (name, at) => {
            const startedAt = this.supervisors.get(name)?.startedAt ?? null;
            return startedAt !== null && at >= startedAt && at - startedAt <= OWN_CHANGE_MS;
          },
          onNote: (level, text) => this.announce(level, text),
          onChange: () => this.emit({ type: 'watch', ts: this.clock.now(), enabled: this.watches!.enabled, paused: this.watches!.paused() }),
        })
      : null;
  }

  /** A supervisor for a service, on the runtime its kind needs. */
  private newSupervisor(spec: ServiceSpec): Supervisor {
    const runtime = this.runtimeFor(spec);
    this.runtimes.add(runtime);
    return new Supervisor(spec, { ...this.supervisorDeps, runtime });
  }

  /** Calls `listener` with a snapshot at once, then with every event; returns the unsubscribe function. */
  subscribe(listener: StackListener): () => void {
    listener(this.snapshotEvent());
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Every service as it is now, in config order. */
  snapshot(): Promise<readonly ServiceView[]> {
    return Promise.resolve(this.snapshotNow());
  }

  /** CPU and memory of every service's process tree now; CPU is the share of one core since the previous call. */
  usage(): Promise<readonly ServiceUsage[]> {
    return Promise.resolve(this.usageSampler.sample(this.supervisors.values(), this.clock.now()));
  }

  /** Every service and msdev's latest messages now: what a subscriber starts with. */
  private snapshotEvent(): SnapshotEvent {
    return { type: 'snapshot', ts: this.clock.now(), services: this.snapshotNow(), messages: this.messages.last(), watching: this.watches?.any ? this.watches.enabled : null };
  }

  /** Every service as it is now, in config order, synchronously (in-process callers). */
  snapshotNow(): ServiceView[] {
    return [...this.supervisors.values()].map((s) => s.view(this.watches?.stateOf(s.name) ?? null));
  }

  /** Starts the named services (none named: all active) and what they depend on. */
  up(names: readonly string[] = []): void {
    this.shuttingDown = false;
    this.readyEmitted = false;
    this.startedAt = this.clock.now();
    if (names.length === 0) this.upAll = true;
    this.request(names.length > 0 ? names : [...this.supervisors.keys()], 'all');
    this.watches?.sync(this.watchedSpecs(), [this.config.file, ...this.config.envFiles]);
  }

  /** Turns hot reload on or off for every service; on also lifts pauses. */
  setWatching(on: boolean): void {
    if (!this.watches?.any) return;
    this.watches.setEnabled(on);
    this.announce('info', on ? 'watching on' : 'watching off: file changes restart nothing until it is on again');
  }

  /** Resolves once every service's watch is watching (its first scan done). */
  watchReady(): Promise<void> {
    return this.watches?.ready() ?? Promise.resolve();
  }

  /** The specs of the services that may be watched: those asked for. */
  private watchedSpecs(): ServiceSpec[] {
    return [...this.supervisors.values()].filter((s) => this.readiness.wanted.has(s.name)).map((s) => s.spec);
  }

  /** A debounced batch of file changes of a service: restart it (unless the user stopped it or msdev is stopping). */
  private onWatchTrigger(name: string, trigger: WatchTrigger, spec: WatchSpec): void {
    const sup = this.supervisors.get(name);
    if (!sup || this.shuttingDown || sup.userStopped || !this.readiness.wanted.has(name)) return;
    void runWatchAction(sup, trigger, spec, {
      announce: (level, text) => this.announce(level, text),
      restart: (options) => this.restart(name, options).catch(() => undefined),
      stillWanted: () => !this.shuttingDown && !sup.userStopped,
    });
  }

  /** Resolves when every wanted service (not stopped by the user) is ready, or as soon as one of them fails. */
  whenReady(): Promise<ReadyOutcome> {
    const now = this.readyOutcome();
    if (now) return Promise.resolve(now);
    return new Promise((resolve) => this.readyWaiters.push(resolve));
  }

  /** Starts one service, and those of its dependencies that are stopped or failed; settles once it is ready. */
  async start(name: string): Promise<void> {
    const sup = this.command(name);
    this.request([name], 'ended');
    if (!sup.ready) await this.waiters.wait(name);
  }

  /** Stops one service as the user asked: not restarted, not a failure; its dependents keep running. */
  async stop(name: string): Promise<void> {
    const sup = this.command(name);
    await sup.stop('user');
  }

  /** Stops then starts one service (its back-off reset); coalesced while one is in progress. */
  restart(name: string, options: RestartOptions = {}): Promise<void> {
    try {
      this.command(name);
    } catch (err) {
      return Promise.reject(err instanceof Error ? err : new CommandError(String(err)));
    }
    return this.restarts.request(name, options.dependents === true, (job) => this.runRestart(name, job), options.reason ?? null);
  }

  /** Stops every service (dependents first), then starts them all in dependency order; settles once all are ready. */
  restartAll(): Promise<void> {
    if (this.shuttingDown) return Promise.reject(new CommandError('msdev is shutting down'));
    this.restartAllJob ??= (async () => {
      const names = [...this.readiness.wanted];
      this.pausing = true;
      try {
        await this.stopInOrder('restart');
      } finally {
        this.pausing = false;
      }
      if (this.shuttingDown) throw new CommandError('msdev is shutting down');
      this.up(names);
      const outcome = await this.whenReady();
      if (!outcome.ready) throw new CommandError(`not ready: ${outcome.failed.join(', ')} failed`);
    })().finally(() => (this.restartAllJob = null));
    return this.restartAllJob;
  }

  /**
   * Runs the stack on a new config (services.yaml was edited): removed services stop, changed ones
   * restart with their new settings (dependents first down, dependencies first up), added ones start
   * when the run started everything; the others keep running untouched. Resolves once the stops are
   * done and the starts are asked for (not once ready); reloads run one after another.
   */
  applyConfig(next: ProjectConfig): Promise<ConfigDiff> {
    const run = this.reloading.then(() => this.reload(next));
    this.reloading = run.catch(() => undefined);
    return run;
  }

  private async reload(next: ProjectConfig): Promise<ConfigDiff> {
    if (this.shuttingDown) throw new CommandError('msdev is shutting down');
    const diff = diffConfigs(this.config, next);
    const changed = new Set(diff.changed.map((c) => c.name));
    const wasWanted = [...changed].filter((n) => this.readiness.wanted.has(n) && !this.supervisors.get(n)!.userStopped);
    // A removed service no longer counts for readiness or settling (its stop is not a failure).
    for (const name of diff.removed) this.readiness.forget(name);
    // Down first (nothing pending may launch meanwhile), then the new shape, then up again.
    this.pausing = true;
    try {
      await stopForReload(diff, this.supervisors, this.graph, basename(next.file));
    } finally {
      this.pausing = false;
    }
    if (this.shuttingDown) throw new CommandError('msdev is shutting down');
    const rebuilt = reshapeSupervisors(this.supervisors, next, changed, (spec) => this.newSupervisor(spec));
    for (const name of diff.removed) this.usageSampler.forget(name);
    this.supervisors.clear();
    for (const [name, sup] of rebuilt) this.supervisors.set(name, sup);
    this.config = next;
    this.graph.rebuild(this.supervisors);
    // The changed services that were running, and the added ones when the run started everything.
    const starting = [...wasWanted, ...(this.upAll ? diff.added : [])];
    if (starting.length > 0) this.request(starting, 'ended');
    else this.evaluate();
    this.watches?.sync(this.watchedSpecs(), [this.config.file, ...this.config.envFiles]);
    // Views (the TUI, socket clients) take the new shape: services added, removed, reordered.
    const snapshot = this.snapshotEvent();
    for (const listener of this.listeners) listener(snapshot);
    return diff;
  }

  /** Stops everything in reverse dependency order: dependents first, independent services in parallel. */
  async shutdown(): Promise<void> {
    this.shuttingDown = true;
    this.waiters.rejectAll('msdev is shutting down');
    const unwatched = this.watches?.close();
    await this.stopInOrder('shutdown');
    await unwatched;
    for (const r of this.runtimes) if (r.close) await r.close();
  }

  /** SIGKILL to every process of every service, synchronously (second Ctrl-C, msdev exiting); nothing restarts. */
  kill(): void {
    this.shuttingDown = true;
    this.waiters.rejectAll('msdev is shutting down');
    for (const sup of this.supervisors.values()) sup.kill();
  }

  /** Resolves once every service is gone after kill() (a container's removal is a request to its engine: it takes a moment). */
  async whenKilled(): Promise<void> {
    await Promise.all([...this.supervisors.values()].map((s) => s.whenStopped()));
  }

  /** Says one of msdev's own messages to every subscriber (and to those who subscribe later, in their snapshot). */
  announce(level: MessageEvent['level'], text: string): void {
    const event: MessageEvent = { type: 'message', ts: this.clock.now(), level, text };
    this.messages.push(event);
    this.emit(event);
  }

  /** Stops reading the services' output (they block on their writes) until resumeOutput(): a front end's output is behind. */
  pauseOutput(): void {
    this.flow.pause();
  }

  /** Reads the services' output again. */
  resumeOutput(): void {
    this.flow.resume();
  }

  /** Kills whatever is left and releases the runtimes (their exit hooks); nothing can be started after this. */
  dispose(): void {
    void this.watches?.close();
    this.kill();
    for (const runtime of this.runtimes) runtime.dispose?.();
  }

  /** The supervisor of a service a command names; throws a CommandError for an unknown one or during shutdown. */
  private command(name: string): Supervisor {
    const sup = this.supervisors.get(name);
    if (!sup) {
      const spec = this.config.services[name];
      if (spec) throw new CommandError(`service "${name}" is not active (profile ${spec.profiles.join(', ')}); start msdev with --profile ${spec.profiles[0] ?? ''}`);
      throw new CommandError(`no service named "${name}"${didYouMean(name, this.supervisors.keys())}; services: ${[...this.supervisors.keys()].join(', ')}`);
    }
    if (this.shuttingDown) throw new CommandError('msdev is shutting down');
    return sup;
  }

  /** Asks the named services and their dependencies to run: `all` of them, or only those that `ended` (stopped, failed). */
  private request(names: readonly string[], which: 'all' | 'ended'): void {
    this.settled = false;
    const closure = dependencyClosure(names, this.graph.deps).filter((n) => this.supervisors.has(n));
    const wanted = new Set(names);
    for (const name of closure) this.readiness.wanted.add(name);
    for (const name of closure) {
      const sup = this.supervisors.get(name)!;
      // A completed one-shot dependency has met its condition: started again only when named.
      if (which === 'all' || wanted.has(name) || sup.state === 'stopped' || sup.state === 'failed') sup.request();
    }
    for (const name of closure) this.classify(this.supervisors.get(name)!);
    this.evaluate();
  }

  /** One restart: stop (joined by further requests), start, wait until ready, then the dependents if asked. */
  private async runRestart(name: string, job: RestartJob): Promise<void> {
    const sup = this.supervisors.get(name)!;
    const userStoppedBefore = sup.userStopped;
    await sup.stop('restart', job.reason);
    job.phase = 'starting';
    if (this.shuttingDown) throw new CommandError('msdev is shutting down');
    if (!userStoppedBefore && sup.userStopped) throw new CommandError(`${name} was stopped by the user during its restart`);
    this.request([name], 'ended');
    if (!sup.ready) await this.waiters.wait(name);
    if (!job.dependents) return;
    const below = this.transitiveDependents(name);
    for (const layer of topoLayers(below, this.graph.deps)) {
      const because = job.reason === null ? {} : { reason: `${name} restarted (${job.reason})` };
      await Promise.all(layer.filter((d) => !this.supervisors.get(d)!.userStopped).map((d) => this.restart(d, because)));
    }
  }

  /** Every service that depends on `name`, directly or not, among those asked for. */
  private transitiveDependents(name: string): string[] {
    return dependentsClosure(name, (n) => this.graph.dependentsOf(n).map((d) => d.name)).filter((n) => this.readiness.wanted.has(n));
  }

  /** Stops every service once its dependents have stopped. */
  private stopInOrder(cause: StopCause): Promise<void> {
    return stopInReverseOrder(this.supervisors, this.graph.deps, this.graph.dependents, cause);
  }

  /** Files a service under what readiness and settling count, and marks what may now launch. */
  private classify(sup: Supervisor): void {
    if (sup.state === 'pending') this.dirty.add(sup);
    for (const dependent of this.graph.dependentsOf(sup.name)) if (dependent.state === 'pending') this.dirty.add(dependent);
    this.readiness.update(sup);
  }

  private onState(sup: Supervisor, prev: ServiceState, reason: string | null, exitCode: number | null): void {
    this.classify(sup);
    // Only what changed is read: a whole view (recent lines copied, port looked up) per change is work for nobody.
    const container = sup.container;
    this.emit({
      type: 'state',
      ts: this.clock.now(),
      service: sup.name,
      state: sup.state,
      prev,
      reason,
      pid: sup.pid,
      ...(container !== null ? { container } : {}),
      ...(exitCode !== null ? { exitCode } : {}),
      restarts: sup.restarts,
      ready: sup.ready,
      userStopped: sup.userStopped,
      startedAt: sup.startedAt,
    });
    this.waiters.onState(sup);
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
    if (!this.shuttingDown && !this.pausing && this.dirty.size > 0) {
      const batch = [...this.dirty];
      this.dirty.clear();
      if (batch.length > 1) batch.sort((a, b) => this.graph.orderOf(a) - this.graph.orderOf(b));
      for (const sup of batch) {
        if (sup.state !== 'pending') continue;
        const decision = launchDecision(sup.spec.dependsOn, (dep) => this.supervisors.get(dep)?.state);
        if (decision.action === 'fail') sup.failDependency(decision.reason);
        else if (decision.action === 'launch') sup.launch();
      }
    }
    this.checkReady();
    this.checkSettled();
  }

  private readyOutcome(): ReadyOutcome | null {
    if (this.readiness.wanted.size === 0) return null;
    const failed = this.readiness.failed();
    if (failed.length > 0) return { ready: false, failed };
    if (this.readiness.allReady()) return { ready: true, ms: this.clock.now() - this.startedAt };
    return null;
  }

  private checkReady(): void {
    const mayEmit = !this.readyEmitted && this.readiness.allReady();
    if (!mayEmit && this.readyWaiters.length === 0) return;
    const outcome = this.readyOutcome();
    if (!outcome) return;
    if (outcome.ready && !this.readyEmitted) {
      this.readyEmitted = true;
      this.emit({ type: 'ready', ts: this.clock.now(), services: [...this.readiness.wanted], ms: outcome.ms });
    }
    const waiters = this.readyWaiters;
    this.readyWaiters = [];
    for (const w of waiters) w(outcome);
  }

  private checkSettled(): void {
    if (this.settled || this.shuttingDown || this.pausing || this.restarts.size > 0 || !this.readiness.allEnded()) return;
    this.settled = true;
    const wanted = [...this.readiness.wanted].map((n) => this.supervisors.get(n)!);
    const code = wanted.some((s) => s.state === 'failed') ? 1 : 0;
    this.emit({ type: 'settled', ts: this.clock.now(), code, userStopped: wanted.some((s) => s.userStopped) });
  }

  private emit(event: EngineEvent): void {
    for (const listener of this.listeners) listener(event);
  }
}
