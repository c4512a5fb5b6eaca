// Runs a process service in its own session, so that it and everything it starts can be stopped together:
// its session and group, what carries its mark (MSDEV_RUN), and what holds its output pipes (a daemon that
// cleared its environment), with their descendants.
import { statSync } from 'node:fs';
import type { ProcessServiceSpec, ServiceSpec } from '../config/model.js';
import type { LogStream } from '../core/events.js';
import { ProcessTable, type PipedChild, type ProcessGroup } from '../process/process-group.js';
import type { TreeUsage } from '../process/process-usage.js';
import { LineSplitter } from './line-splitter.js';
import { StartError, type Exit, type Handle, type Runtime, type StartOptions } from './runtime.js';

/**
 * Once everything of a service is gone, how long its output pipes may stay open (something that escaped
 * every search may still hold them: it closed them and reopened others, or got them passed over a socket);
 * then they are closed and what was read is delivered.
 */
const PIPE_GRACE_MS = 200;

/** Starts local processes: `sh -c` for a string command, argv for a list. */
export class ProcessRuntime implements Runtime {
  /** Every service this runtime started that is not gone yet with everything it started. */
  private readonly table = new ProcessTable();
  /** The turn of the latest spawn: spawns are let through one per event-loop turn. */
  private spawnQueue: Promise<void> = Promise.resolve();

  /** Starts the service; rejects with StartError when it is no process service, its cwd is missing or its program cannot be run. */
  async start(spec: ServiceSpec, options: StartOptions): Promise<Handle> {
    if (spec.kind !== 'process') throw new StartError(`${spec.name} is a ${spec.kind} service, not a process`);
    // spawn() blocks while it forks: one per turn of the event loop, so that output and probes of
    // the services already started keep flowing while fifty more are being started.
    await this.nextSpawnTurn();
    checkCwd(spec.cwd);
    const [file, args] = argv(spec);
    let group: ProcessGroup<PipedChild>;
    try {
      group = this.table.spawn(file, args, { cwd: spec.cwd, env: { ...options.baseEnv, ...spec.env }, service: spec.name });
    } catch (err) {
      throw new StartError(`could not start ${file}: ${err instanceof Error ? err.message : String(err)}`);
    }
    await new Promise<void>((resolve, reject) => {
      group.child.once('spawn', resolve);
      group.child.once('error', (err: NodeJS.ErrnoException) => reject(new StartError(describeSpawnError(err, file))));
    });
    return new ProcessHandle(group, options);
  }

  /** SIGKILLs every service still running (with everything it started) and removes the exit hook. */
  dispose(): void {
    this.table.dispose();
  }

  /** Resolves when it is this caller's turn to spawn: callers are let through one per event-loop turn. */
  private nextSpawnTurn(): Promise<void> {
    const turn = this.spawnQueue.then(() => new Promise<void>((resolve) => setImmediate(resolve)));
    this.spawnQueue = turn;
    return turn;
  }
}

/** The program and its arguments: `/bin/sh -c` for a string, the list itself for argv. */
function argv(spec: ProcessServiceSpec): [string, readonly string[]] {
  return typeof spec.command === 'string' ? ['/bin/sh', ['-c', spec.command]] : [spec.command[0] ?? '', spec.command.slice(1)];
}

/** Throws a StartError naming the folder when the working directory is missing or not a folder. */
function checkCwd(cwd: string): void {
  let isDir = false;
  try {
    isDir = statSync(cwd).isDirectory();
  } catch {
    throw new StartError(`working directory ${cwd} does not exist; fix "cwd" or create the folder`);
  }
  if (!isDir) throw new StartError(`working directory ${cwd} is not a folder; fix "cwd"`);
}

/** Turns a spawn error into a sentence for the user. */
function describeSpawnError(err: NodeJS.ErrnoException, file: string): string {
  if (err.code === 'ENOENT') return `command not found: ${file}`;
  if (err.code === 'EACCES') return `permission denied: ${file} is not executable`;
  return `could not start ${file}: ${err.message}`;
}

/** A running process service. */
class ProcessHandle implements Handle {
  readonly pid: number;
  readonly container = null;
  readonly exited: Promise<Exit>;
  private exit: Exit | null = null;

  constructor(private readonly group: ProcessGroup<PipedChild>, options: StartOptions) {
    const child = group.child;
    this.pid = child.pid ?? -1;
    const ends: (() => void)[] = [];
    // Once every holder closed both pipes (end of file on each), no process's fds need reading any more.
    let open = 2;
    const closed = (): void => {
      if (--open === 0) group.pipesClosed();
    };
    const pipe = (stream: LogStream, readable: NodeJS.ReadableStream): Promise<void> => {
      const splitter = new LineSplitter((batch) => options.onLines(stream, batch));
      readable.on('data', (chunk: Buffer) => splitter.push(chunk));
      return new Promise((resolve) => {
        let ended = false;
        const done = (): void => {
          if (ended) return;
          ended = true;
          splitter.end();
          resolve();
        };
        ends.push(done);
        readable.once('end', closed);
        readable.once('end', done);
        readable.once('error', done);
      });
    };
    const drained = Promise.all([pipe('stdout', child.stdout), pipe('stderr', child.stderr)]);
    // While msdev's own output is behind, its pipes are not read: the service blocks on its writes.
    const flow = options.flow;
    const unwatch = flow?.watch((flowing) => {
      for (const readable of [child.stdout, child.stderr]) {
        if (flowing) readable.resume();
        else readable.pause();
      }
    });
    if (flow && !flow.flowing) {
      child.stdout.pause();
      child.stderr.pause();
    }
    const exited = new Promise<Exit>((resolve) => {
      child.once('exit', (code, signal) => resolve({ code, signal }));
    });
    this.exited = exited.then(async (exit) => {
      this.exit = exit;
      // What it left goes too (as when a container's PID 1 exits); while stopping, it first gets until
      // the stop deadline to obey the stop signal.
      await group.settle();
      // Its pipes close with the last holder; one that escaped every search must not hold the exit up. The
      // grace counts only while output flows: what a paused pipe still holds is read once msdev's output catches up.
      // (The grace is cancelled when the pipes close first: a pending timer would keep msdev alive 200 ms at exit.)
      const grace = new AbortController();
      await Promise.race([drained, flow ? flow.flowFor(PIPE_GRACE_MS, grace.signal) : delay(PIPE_GRACE_MS, grace.signal)]);
      grace.abort();
      unwatch?.();
      child.stdout.destroy();
      child.stderr.destroy();
      for (const end of ends) end();
      return exit;
    });
  }

  /** Signal to the group, the session, every marked process and every holder of its pipes, SIGKILL after timeoutMs; resolves when nothing of it is left. */
  stop(signal: NodeJS.Signals, timeoutMs: number): Promise<Exit> {
    if (this.exit === null) void this.group.terminate(signal, timeoutMs);
    return this.exited;
  }

  /** SIGKILL to everything of the service, synchronously. */
  kill(): void {
    this.group.kill();
  }

  /** CPU time and memory of the service's whole process tree. */
  usage(): TreeUsage {
    return this.group.usage();
  }
}

/** Resolves after ms unless `signal` aborts first (then it never resolves, and leaves no timer). */
function delay(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => clearTimeout(timer), { once: true });
  });
}
