// The one interface every way of running a service (local process, container, fake) implements.
import type { ServiceSpec } from '../config/model.js';
import type { LogStream } from '../core/events.js';
import type { LineBatch } from '../core/line-batch.js';
import type { OutputFlow } from '../core/output-flow.js';
import type { TreeUsage } from '../process/process-usage.js';

/** CPU time and resident memory of a service's processes. */
export type { TreeUsage };

/** How a started service ended. */
export interface Exit {
  /** Exit code, or null when killed by a signal. */
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

/** Receives complete lines, in order, batched. */
export type LinesSink = (stream: LogStream, batch: LineBatch) => void;

/** A running service. */
export interface Handle {
  /** The process id (process group leader) of a process service. */
  readonly pid: number | null;
  /** The container id of a container service. */
  readonly container: string | null;
  /** Resolves once, when the service's main process or container has exited. Never rejects. */
  readonly exited: Promise<Exit>;
  /**
   * Stops the service: signal to the whole process group (and every process of its session),
   * SIGKILL after timeoutMs. Resolves when nothing of it is left.
   */
  stop(signal: NodeJS.Signals, timeoutMs: number): Promise<Exit>;
  /** Sends SIGKILL to everything of the service at once, synchronously where possible. */
  kill(): void;
  /** CPU time and resident memory of everything of the service now, when the runtime can tell (null: not known yet). */
  usage?(): TreeUsage | null;
  /** Runs a health-check command where the service runs (inside its container); absent: msdev runs it on the host. */
  exec?(command: string, options: { readonly timeoutMs: number; readonly signal?: AbortSignal }): Promise<CheckResult>;
  /** Copies changed files to where the service runs (into its container: watch action sync); resolves with what it did. */
  sync?(changes: readonly SyncChange[]): Promise<string>;
  /** Its next stop keeps what it runs in (the container, with the files synced into it) for the next start (sync+restart). */
  keepForRestart?(): void;
  /** A TCP check of it counts only a connection held open this long (a proxy in front of it accepts before anything listens); absent: a connect counts. */
  readonly tcpHoldMs?: number;
  /** The health check the service's image brings (a Dockerfile HEALTHCHECK), used when the service sets none; null or absent: none. */
  readonly builtinCheck?: BuiltinCheck | null;
}

/** A changed file to sync: its path, the watched path it is under (it lands at the same place relative to the target), gone or not. */
export interface SyncChange {
  readonly path: string;
  readonly root: string;
  readonly deleted: boolean;
}

/** The outcome of one health check: ok, or why not (the shape of a probe's result). */
export type CheckResult = { ok: true } | { ok: false; reason: string };

/** A health check the runtime runs itself (the engine runs an image's HEALTHCHECK): look() tells its latest verdict. */
export interface BuiltinCheck {
  /** What it runs, for messages (`CMD-SHELL curl -f http://localhost/`). */
  readonly describe: string;
  /** How often to look. */
  readonly intervalMs: number;
  /** The latest verdict: ok once healthy; otherwise why not (its last output, or that it is still starting). */
  look(signal?: AbortSignal): Promise<CheckResult>;
}

/** Thrown by Runtime.start when the service cannot be started at all (bad cwd, no such command). */
export class StartError extends Error {
  override readonly name = 'StartError';
}

/** Options for starting a service. */
export interface StartOptions {
  /** Where its output lines go. */
  readonly onLines: LinesSink;
  /** The base environment (msdev's own); the spec's env is laid on top. */
  readonly baseEnv: NodeJS.ProcessEnv;
  /** While paused, the service's output is not read (it blocks on its writes); none: always read. */
  readonly flow?: OutputFlow;
}

/** Starts services of one kind. */
export interface Runtime {
  /** Starts the service; rejects with StartError when it cannot be started. */
  start(spec: ServiceSpec, options: StartOptions): Promise<Handle>;
  /** After every service of it stopped at the end of a run: removes what it made for the run (a container runtime's project network). */
  close?(): Promise<void>;
  /** Kills whatever it started that is still running and lets go of process-wide hooks; it starts nothing after. */
  dispose?(): void;
}
