// Runs a process service in its own session, so that it and everything it starts can be stopped together:
// its session and group, what carries its mark (MSDEV_RUN), and what holds its output pipes (a daemon that
// cleared its environment), with their descendants.
import type { ChildProcess } from 'node:child_process';
import { statSync } from 'node:fs';
import type { ServiceSpec } from '../config/model.js';
import type { LogStream } from '../core/events.js';
import { LineSplitter } from './line-splitter.js';
import { outputLinks, unwatchLinks, watchLinks } from '../process/pipe-holders.js';
import { forgetAtExit, killAtExit, spawnMarked } from '../process/marked-spawn.js';
import { serviceProcesses, signalAll, type MarkQuery } from '../process/process-tree.js';
import { StartError, type Exit, type Handle, type Runtime, type StartOptions } from './runtime.js';

/** How often leftovers of a stopped service are looked for until they are gone … */
const SWEEP_MS = 25;
/** … and for how long at most (a process in uninterruptible sleep may outlive SIGKILL for a while). */
const SWEEP_LIMIT_MS = 10_000;
/**
 * Once everything of a service is gone, how long its output pipes may stay open (something that escaped
 * every search may still hold them: it closed them and reopened others, or got them passed over a socket);
 * then they are closed and what was read is delivered.
 */
const PIPE_GRACE_MS = 200;

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
    const { child, marked: query } = spawnMarked(file, args, { cwd: spec.cwd, env: { ...options.baseEnv, ...spec.env }, service: spec.name });
    // Read at once, before the child runs code of its own: its ends of the output pipes keep their inodes
    // for every process that holds them, even after msdev closed its own ends (the pipe grace).
    const pipes = child.pid !== undefined ? outputLinks(child.pid) : null;
    if (pipes) watchLinks(pipes);
    const marked: Tracked = { ...query, pipes, links: pipes };
    const pid = child.pid;
    if (pid !== undefined) killAtExit(pid, () => signalAll(pid, serviceProcesses(pid, marked), 'SIGKILL'));
    await new Promise<void>((resolve, reject) => {
      child.once('spawn', resolve);
      child.once('error', (err: NodeJS.ErrnoException) => reject(new StartError(describeSpawnError(err, file))));
    });
    return new ProcessHandle(child, options, marked);
  }
}

/** What identifies a service's processes; `pipes` becomes null once both pipes reported end of file. */
interface Tracked extends MarkQuery {
  pipes: ReadonlySet<string> | null;
  /** The links of its output pipes as read at spawn, watched until it is gone with everything it started. */
  readonly links: ReadonlySet<string> | null;
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
  /** When a stop must have ended gracefully (ms since the epoch); null while not stopping. */
  private stopDeadline: number | null = null;

  constructor(private readonly child: ChildProcess, options: StartOptions, private readonly marked: Tracked) {
    this.pid = child.pid ?? -1;
    const ends: (() => void)[] = [];
    // Once every holder closed both pipes (end of file on each), no process's fds need reading any more.
    let open = (child.stdout ? 1 : 0) + (child.stderr ? 1 : 0);
    const closed = (): void => {
      if (--open === 0) marked.pipes = null;
    };
    const pipe = (stream: LogStream, readable: NodeJS.ReadableStream | null): Promise<void> => {
      if (!readable) return Promise.resolve();
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
    const exited = new Promise<Exit>((resolve) => {
      child.once('exit', (code, signal) => resolve({ code, signal }));
    });
    this.exited = exited.then(async (exit) => {
      this.exit = exit;
      // While stopping, what it left gets until the stop deadline to obey the stop signal.
      if (this.stopDeadline !== null) await this.waitGone(this.stopDeadline);
      // The main process is gone: whatever it left behind goes too (as when a container's PID 1 exits).
      await this.sweep('SIGKILL');
      // Its pipes close with the last holder; one that escaped every search must not hold the exit up.
      // (The grace timer is cleared when the pipes close first: a pending timer would keep msdev alive 200 ms at exit.)
      let grace: NodeJS.Timeout | undefined;
      await Promise.race([drained, new Promise<void>((resolve) => (grace = setTimeout(resolve, PIPE_GRACE_MS)))]);
      clearTimeout(grace);
      child.stdout?.destroy();
      child.stderr?.destroy();
      for (const end of ends) end();
      return exit;
    });
  }

  /** Signal to the group, the session, every marked process and every holder of its pipes, SIGKILL after timeoutMs; resolves when nothing of it is left. */
  stop(signal: NodeJS.Signals, timeoutMs: number): Promise<Exit> {
    if (!this.stopping) {
      this.stopping = (async () => {
        if (this.exit === null) {
          this.stopDeadline = Date.now() + timeoutMs;
          signalAll(this.pid, this.processes(), signal);
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
    signalAll(this.pid, this.processes(), 'SIGKILL');
  }

  /** Every live process of the service (what holds its pipes is looked for only while they are open). */
  private processes(): number[] {
    return serviceProcesses(this.pid, this.marked);
  }

  /** Waits until nothing of the service is left, or until `deadline`. */
  private async waitGone(deadline: number): Promise<void> {
    while (Date.now() < deadline && this.processes().length > 0) await delay(SWEEP_MS);
  }

  /** Sends `signal` to leftovers until none is alive. */
  private async sweep(signal: NodeJS.Signals): Promise<void> {
    for (let waited = 0; waited < SWEEP_LIMIT_MS; waited += SWEEP_MS) {
      const left = this.processes();
      if (left.length === 0) {
        forgetAtExit(this.pid);
        if (this.marked.links) unwatchLinks(this.marked.links);
        return;
      }
      signalAll(this.pid, left, signal);
      await delay(SWEEP_MS);
    }
  }
}

/** Resolves after ms. */
function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
