// A running container service: its output lines, its exit, stopping it with its signal, its usage and checks.
import type Docker from 'dockerode';
import type { ContainerServiceSpec } from '../../config/model.js';
import type { LogStream } from '../../core/events.js';
import { LineSplitter } from '../line-splitter.js';
import type { BuiltinCheck, CheckResult, Exit, Handle, StartOptions, SyncChange } from '../runtime.js';
import { syncIntoContainer } from './container-sync.js';
import type { TreeUsage } from '../../process/process-usage.js';
import { execInContainer } from './container-exec.js';
import { StatsFollower } from './container-stats.js';
import { FrameDemuxer } from './frame-demuxer.js';

/** After the container exits, how long its attach stream may take to deliver the last output. */
const DRAIN_GRACE_MS = 500;

/** What a handle is made of: the started container, its attach stream and the wait for its exit (both opened before the start). */
export interface ContainerParts {
  readonly container: Docker.Container;
  readonly id: string;
  readonly spec: ContainerServiceSpec;
  /** Its working folder (the image's WORKDIR, else /): where synced files go. */
  readonly workdir: string;
  readonly attach: NodeJS.ReadableStream;
  /** Resolves with the exit code once the container stops (the engine's wait). */
  readonly waited: Promise<number | null>;
  readonly builtinCheck: BuiltinCheck | null;
  /** Called once the container has stopped and is removed, or kept (`keep: true`, or for a sync+restart: keptForRestart). */
  readonly onGone: (keptForRestart: boolean) => void;
}

/** A container service started by the Docker runtime. */
export class ContainerHandle implements Handle {
  readonly pid = null;
  readonly container: string;
  readonly exited: Promise<Exit>;
  readonly builtinCheck: BuiltinCheck | null;
  /** Docker's proxy accepts on a published port before anything listens in the container, then closes at once. */
  readonly tcpHoldMs = 150;
  private ended = false;
  private killed = false;
  /** Set by keepForRestart(): the stop keeps the container for the runtime to start again. */
  private keepForNextStart = false;
  private readonly stats: StatsFollower;

  constructor(private readonly parts: ContainerParts, options: StartOptions) {
    this.container = parts.id;
    this.builtinCheck = parts.builtinCheck;
    this.stats = new StatsFollower(parts.container);
    const splitters: Record<LogStream, LineSplitter> = {
      stdout: new LineSplitter((batch) => options.onLines('stdout', batch)),
      stderr: new LineSplitter((batch) => options.onLines('stderr', batch)),
    };
    const demuxer = new FrameDemuxer((stream, chunk) => splitters[stream].push(chunk));
    const attach = parts.attach;
    attach.on('data', (chunk: Buffer) => demuxer.push(chunk));
    const drained = new Promise<void>((resolve) => {
      attach.once('end', resolve);
      attach.once('close', resolve);
      attach.once('error', () => resolve());
    });
    // While msdev's own output is behind, the attach stream is not read: the engine buffers, then the container blocks.
    const flow = options.flow;
    const unwatch = flow?.watch((flowing) => (flowing ? attach.resume() : attach.pause()));
    if (flow && !flow.flowing) attach.pause();
    this.exited = parts.waited.then(async (code) => {
      this.ended = true;
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([drained, new Promise<void>((resolve) => (timer = setTimeout(resolve, DRAIN_GRACE_MS)))]);
      clearTimeout(timer);
      unwatch?.();
      (attach as { destroy?: () => void }).destroy?.();
      splitters.stdout.end();
      splitters.stderr.end();
      this.stats.close();
      const keptForRestart = this.keepForNextStart && !this.killed;
      if (!keptForRestart) await this.removeContainer();
      parts.onGone(keptForRestart);
      return { code, signal: null };
    });
  }

  /** The stop signal to the container's init (which passes it on), SIGKILL after timeoutMs; resolves once the container is gone. */
  stop(signal: NodeJS.Signals, timeoutMs: number): Promise<Exit> {
    if (!this.ended) {
      const { container } = this.parts;
      container.kill({ signal }).catch(() => {});
      const timer = setTimeout(() => {
        if (!this.ended) container.kill({ signal: 'SIGKILL' }).catch(() => {});
      }, timeoutMs);
      void this.exited.finally(() => clearTimeout(timer));
    }
    return this.exited;
  }

  /** SIGKILL and removal in one request to the engine (it cannot be synchronous: the request is sent at once). */
  kill(): void {
    if (this.killed) return;
    this.killed = true;
    this.parts.container.remove({ force: true, v: true }).catch(() => {});
  }

  /** CPU time and memory from the engine's stats (null until the first sample, a second after the first ask). */
  usage(): TreeUsage | null {
    return this.ended ? null : this.stats.latest();
  }

  /** Runs the check command inside the container. */
  exec(command: string, options: { readonly timeoutMs: number; readonly signal?: AbortSignal }): Promise<CheckResult> {
    return execInContainer(this.parts.container, command, options.timeoutMs, options.signal);
  }

  /** Copies changed files into the container (watch action sync), under its working folder; says what it did. */
  sync(changes: readonly SyncChange[]): Promise<string> {
    return syncIntoContainer(this.parts.container, this.parts.workdir, changes);
  }

  /** Its next stop keeps the container, files synced into it included, and the next start runs it again (sync+restart). */
  keepForRestart(): void {
    this.keepForNextStart = true;
  }

  /** Removes the stopped container (its anonymous volumes too), unless the service keeps it. */
  private async removeContainer(): Promise<void> {
    if (this.parts.spec.keep && !this.killed) return;
    this.killed = true;
    await this.parts.container.remove({ force: true, v: true }).catch(() => {});
  }
}
