// The one control interface every front end talks to: a snapshot, then the stream of events, and the
// commands. The engine implements it in-process; the control socket's client implements it over the socket.
import type { EngineEvent, MessageEvent } from './events.js';
import type { ServiceState } from './states.js';

/** A service's hot reload: `on`, `off` (switched off), `paused` (it kept retriggering itself). */
export type WatchState = 'on' | 'off' | 'paused';

/** What a front end may show of one service: everything it needs, so none reaches into the engine. */
export interface ServiceView {
  readonly name: string;
  /** `process` or `container`. */
  readonly kind: 'process' | 'container';
  readonly state: ServiceState;
  /** Whether it counts as ready (SPEC §3): healthy; running with no health check; completed for a one-shot. */
  readonly ready: boolean;
  /** Why it is where it is (exit code, failed dependency, stopped by the user), or null. */
  readonly reason: string | null;
  /** The latest health-check failure while it is not healthy, or null. */
  readonly probeReason: string | null;
  /** The kind of its health check (`http`, `tcp`, `exec`, `log`), or null when it has none. */
  readonly healthcheck: 'http' | 'tcp' | 'exec' | 'log' | null;
  readonly pid: number | null;
  readonly container: string | null;
  /** Its own port (`port:`), or null. */
  readonly port: number | null;
  /** `http://127.0.0.1:PORT` for a service with a port, or null. */
  readonly url: string | null;
  /** Restarts after crashes since it was last started or restarted by a command. */
  readonly restarts: number;
  /** True when a user command stopped it: not restarted, not a failure. */
  readonly userStopped: boolean;
  /** When the current run started (ms since the epoch), or null; uptime is now minus this. */
  readonly startedAt: number | null;
  /** When it first became ready in this run (ms since the epoch), or null. */
  readonly readyAt: number | null;
  /** Its last lines (at most 20), oldest first. */
  readonly recent: readonly string[];
  /** Its hot reload, or null when it has no `watch` (or msdev watches nothing). */
  readonly watch: WatchState | null;
}

/** What a service's processes use, sampled when asked (the TUI asks every 2 s). */
export interface ServiceUsage {
  readonly name: string;
  /** Share of one core since the previous sample of the same run (100 = one core busy); null on the first sample. */
  readonly cpuPercent: number | null;
  /** Resident memory of its whole process tree (bytes), or null when it is not running. */
  readonly memoryBytes: number | null;
}

/** The state of every service at one moment, always the first event a subscriber receives. */
export interface SnapshotEvent {
  readonly type: 'snapshot';
  readonly ts: number;
  /** Every service, in config order. */
  readonly services: readonly ServiceView[];
  /** msdev's own latest messages (at most 50), oldest first: what a late subscriber would have missed. */
  readonly messages: readonly MessageEvent[];
  /** Whether watching is on; null when no service watches. */
  readonly watching: boolean | null;
}

/** What a subscriber of a stack receives: a snapshot first, then every engine event. */
export type StackEvent = SnapshotEvent | EngineEvent;

/** A subscriber of a stack. */
export type StackListener = (event: StackEvent) => void;

/** The outcome of waiting for readiness. */
export type ReadyOutcome =
  | { readonly ready: true; readonly ms: number }
  | { readonly ready: false; readonly failed: readonly string[] };

/** Options of a restart. */
export interface RestartOptions {
  /** Once it is ready again, restart what depends on it (transitively), in dependency order. */
  readonly dependents?: boolean;
  /** Why (`watch: app.js (+3 more)`): the reason of its state changes until it runs again. */
  readonly reason?: string;
}

/** Why a command could not be carried out (unknown service, it failed to get ready, msdev is shutting down). */
export class CommandError extends Error {
  override readonly name = 'CommandError';
}

/**
 * A running stack as front ends see it. Commands on one service settle when it is ready again (start,
 * restart) or stopped (stop), and reject with a CommandError saying why otherwise.
 */
export interface StackControl {
  /** Calls `listener` with a snapshot, then with every event; returns the unsubscribe function. */
  subscribe(listener: StackListener): () => void;
  /** Every service as it is now, in config order. */
  snapshot(): Promise<readonly ServiceView[]>;
  /** CPU and memory of every service's process tree now, in config order (sample at most every 2 s). */
  usage(): Promise<readonly ServiceUsage[]>;
  /** Starts the named services (none: all active) with what they depend on. */
  up(services?: readonly string[]): void;
  /** Resolves when every service asked for (and not stopped by the user) is ready, or as soon as one fails. */
  whenReady(): Promise<ReadyOutcome>;
  /** Starts one service (and its stopped or failed dependencies); settles once it is ready. */
  start(service: string): Promise<void>;
  /** Stops one service; its dependents keep running. Settles once nothing of it is left. */
  stop(service: string): Promise<void>;
  /** Stops then starts one service, its back-off reset; settles once it is ready again. */
  restart(service: string, options?: RestartOptions): Promise<void>;
  /** Stops every service (dependents first), then starts them all in dependency order; settles once all are ready. */
  restartAll(): Promise<void>;
  /** Turns hot reload on or off for every service (on also lifts the pause of a service that kept retriggering itself). */
  setWatching(on: boolean): void;
  /** Stops everything in reverse dependency order. */
  shutdown(): Promise<void>;
}
