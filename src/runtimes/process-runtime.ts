// Runs a process service in its own session, so that it and everything it starts can be stopped together.
import { spawn, type ChildProcess } from 'node:child_process';
import { statSync } from 'node:fs';
import type { ServiceSpec } from '../config/model.js';
import type { LogStream } from '../engine/events.js';
import { LineSplitter } from '../output/line-splitter.js';
import { serviceProcesses, signalAll } from './process-tree.js';
import { StartError, type Exit, type Handle, type Runtime, type StartOptions } from './runtime.js';

/** How often leftovers of a stopped service are looked for until they are gone … */
const SWEEP_MS = 25;
/** … and for how long at most (a process in uninterruptible sleep may outlive SIGKILL for a while). */
const SWEEP_LIMIT_MS = 10_000;

/** Starts local processes: `sh -c` for a string command, argv for a list. */
export class ProcessRuntime implements Runtime {
  /** Starts the service; rejects with StartError when its cwd is missing or its program cannot be run. */
  async start(spec: ServiceSpec, options: StartOptions): Promise<Handle> {
    if (!spec.command) throw new StartError('no command to run');
    // spawn() blocks while it forks: one per turn of the event loop, so that output and probes of
    // the services already started keep flowing while fifty more are being started.
    await nextSpawnTurn();
    checkCwd(spec.cwd);
    const [file, args] =
      typeof spec.command === 'string' ? ['/bin/sh', ['-c', spec.command]] : [spec.command[0] ?? '', spec.command.slice(1)];
    const child = spawn(file, args, {
      cwd: spec.cwd,
      env: { ...options.baseEnv, ...spec.env },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    if (child.pid !== undefined) track(child.pid);
    await new Promise<void>((resolve, reject) => {
      child.once('spawn', resolve);
      child.once('error', (err: NodeJS.ErrnoException) => reject(new StartError(describeSpawnError(err, file))));
    });
    return new ProcessHandle(child, options);
  }
}

/** Session leaders started and not yet known to be gone with everything they started. */
const live = new Set<number>();
let hooked = false;

/**
 * Remembers a started service; the first one installs a last-resort 'exit' hook that SIGKILLs every
 * service still alive, whatever state msdev's own bookkeeping is in when it exits.
 */
function track(pid: number): void {
  if (!hooked) {
    hooked = true;
    process.on('exit', () => {
      for (const leader of live) signalAll(leader, serviceProcesses(leader), 'SIGKILL');
    });
  }
  live.add(pid);
}

let spawnQueue: Promise<void> = Promise.resolve();

/** Resolves when it is this caller's turn to spawn: callers are let through one per event-loop turn. */
function nextSpawnTurn(): Promise<void> {
  const turn = spawnQueue.then(() => new Promise<void>((resolve) => setImmediate(resolve)));
  spawnQueue = turn;
  return turn;
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
  private stopping: Promise<Exit> | null = null;

  constructor(private readonly child: ChildProcess, options: StartOptions) {
    this.pid = child.pid ?? -1;
    const pipe = (stream: LogStream, readable: NodeJS.ReadableStream | null): Promise<void> => {
      if (!readable) return Promise.resolve();
      const splitter = new LineSplitter((batch) => options.onLines(stream, batch));
      readable.on('data', (chunk: Buffer) => splitter.push(chunk));
      return new Promise((resolve) => {
        const done = (): void => {
          splitter.end();
          resolve();
        };
        readable.once('end', done);
        readable.once('error', done);
      });
    };
    const drained = Promise.all([pipe('stdout', child.stdout), pipe('stderr', child.stderr)]);
    const exited = new Promise<Exit>((resolve) => {
      child.once('exit', (code, signal) => resolve({ code, signal }));
    });
    this.exited = exited.then(async (exit) => {
      this.exit = exit;
      // The main process is gone: whatever it left behind goes too, so its pipes close.
      await this.sweep('SIGKILL');
      await drained;
      return exit;
    });
  }

  /** Signal to the group and session, SIGKILL after timeoutMs; resolves when nothing of it is left. */
  stop(signal: NodeJS.Signals, timeoutMs: number): Promise<Exit> {
    if (!this.stopping) {
      this.stopping = (async () => {
        if (this.exit === null) {
          signalAll(this.pid, serviceProcesses(this.pid), signal);
          const timer = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), timeoutMs).unref());
          if ((await Promise.race([this.exited, timer])) === 'timeout') this.kill();
        }
        return this.exited;
      })();
    }
    return this.stopping;
  }

  /** SIGKILL to everything of the service, synchronously. */
  kill(): void {
    signalAll(this.pid, serviceProcesses(this.pid), 'SIGKILL');
  }

  /** Sends `signal` to leftovers until none is alive. */
  private async sweep(signal: NodeJS.Signals): Promise<void> {
    for (let waited = 0; waited < SWEEP_LIMIT_MS; waited += SWEEP_MS) {
      const left = serviceProcesses(this.pid);
      if (left.length === 0) {
        live.delete(this.pid);
        return;
      }
      signalAll(this.pid, left, signal);
      await new Promise((resolve) => setTimeout(resolve, SWEEP_MS));
    }
  }
}
