// The typed events the engine emits; every front end renders these and nothing else.
import type { ServiceState } from './states.js';

/** Which stream of a service a log line came from; `msdev` marks msdev's own messages. */
export type LogStream = 'stdout' | 'stderr';

/** A batch of complete lines from one stream of one service, in order (batched for throughput). */
export interface LogEvent {
  readonly type: 'log';
  readonly ts: number;
  readonly service: string;
  readonly stream: LogStream;
  /** The lines joined with `\n`, no final newline: front ends that prefix or copy lines use this. */
  readonly text: string;
  /** The lines one by one (split on first use). */
  readonly lines: readonly string[];
  /** The bytes exactly as the service wrote them (text + `\n`), when they are at hand; log files copy these. */
  readonly bytes?: Buffer | null;
}

/** A service changed state. */
export interface StateEvent {
  readonly type: 'state';
  readonly ts: number;
  readonly service: string;
  readonly state: ServiceState;
  readonly prev: ServiceState;
  /** Why, for crashed/failed/unhealthy/stopped and the like; null when there is nothing to say. */
  readonly reason: string | null;
  readonly pid: number | null;
  readonly container?: string | null;
  /** Exit code when the change came from an exit. */
  readonly exitCode?: number | null;
  readonly restarts: number;
  /** Whether it counts as ready in this state (SPEC §3). */
  readonly ready: boolean;
  /** True while a user command keeps it stopped. */
  readonly userStopped: boolean;
  /** When its current run started (ms since the epoch), or null. */
  readonly startedAt: number | null;
}

/** Every started service became ready (SPEC §3 `ready`). */
export interface ReadyEvent {
  readonly type: 'ready';
  readonly ts: number;
  readonly services: readonly string[];
  /** Milliseconds since the engine was told to start. */
  readonly ms: number;
}

/** A message of msdev's own (shown under the name `msdev`). */
export interface MessageEvent {
  readonly type: 'message';
  readonly ts: number;
  readonly level: 'info' | 'warn' | 'error';
  readonly text: string;
}

/** Every service has ended and none will restart: the run is over with this exit code. */
export interface SettledEvent {
  readonly type: 'settled';
  readonly ts: number;
  readonly code: number;
  /** True when some of the services ended because the user stopped them (a front end that stays open ignores this settling). */
  readonly userStopped: boolean;
}

/** The latest health-check failure of a service changed (null: its last probe passed); explains a service that is not ready. */
export interface HealthEvent {
  readonly type: 'health';
  readonly ts: number;
  readonly service: string;
  readonly reason: string | null;
}

/** Watching was switched on or off, or a service's watch was paused (it kept retriggering itself). */
export interface WatchEvent {
  readonly type: 'watch';
  readonly ts: number;
  readonly enabled: boolean;
  /** The services whose watch is paused. */
  readonly paused: readonly string[];
}

/** Anything the engine emits. */
export type EngineEvent = LogEvent | StateEvent | ReadyEvent | MessageEvent | SettledEvent | HealthEvent | WatchEvent;

/** A subscriber of engine events. */
export type EventListener = (event: EngineEvent) => void;
