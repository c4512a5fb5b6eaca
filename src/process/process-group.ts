// The one place msdev starts and ends children (services, exec probes, `msdev run`'s CMD). A ProcessTable
// spawns each in its own session with a fresh mark (MSDEV_RUN), keeps it until nothing of it is left,
// kills them all if msdev exits first, and kills them all on dispose(). A ProcessGroup is one such child
// with everything it starts: found by its session and group, its mark and, while they are open, its
// output pipes; signalled together; terminated (signal, then SIGKILL after a timeout); swept until none is left.
import { spawn, type ChildProcess, type ChildProcessByStdio } from 'node:child_process';
import type { Readable } from 'node:stream';
import { outputLinks, PipeWatch } from './pipe-holders.js';
import { selfIdentity, startTime } from './process-identity.js';
import { MARK_VAR, newMark } from './process-mark.js';
import { treeUsage, type TreeUsage } from './process-usage.js';
import { leftoversOf, serviceProcesses, type MarkQuery, type PipeQuery } from './process-tree.js';

/** A child with stdin ignored and stdout and stderr piped to msdev. */
export type PipedChild = ChildProcessByStdio<null, Readable, Readable>;

/** What spawning needs besides the command. */
export interface GroupSpawnOptions {
  readonly cwd?: string;
  /** Its whole environment (the mark is added). */
  readonly env: NodeJS.ProcessEnv;
  /** The service whose processes carry the mark (none for a probe or a command). */
  readonly service?: string;
  /**
   * A short-lived command (an exec probe): its leftovers are looked for among the pids allocated after it
   * (a handful of /proc reads), and holders of its output pipes are not looked for.
   */
  readonly shortLived?: boolean;
}

/** The groups one owner (a process runtime, the exec probes, `msdev run`) started and that are not gone yet. */
export class ProcessTable {
  private readonly live = new Set<ProcessGroup>();
  private readonly pipes = new PipeWatch();
  private hooked = false;
  private disposed = false;
  /** The last-resort kill: msdev exits, whatever state its own bookkeeping is in. */
  private readonly onExit = (): void => {
    for (const group of this.live) group.kill();
  };

  /**
   * Spawns file with args in a new session, stdout and stderr piped, carrying a fresh MSDEV_RUN mark;
   * unless shortLived, processes that hold its output pipes belong to it until both pipes are closed.
   */
  spawn(file: string, args: readonly string[], options: GroupSpawnOptions): ProcessGroup<PipedChild> {
    const mark = this.mark(options);
    const child = spawn(file, args, { cwd: options.cwd, env: { ...options.env, [MARK_VAR]: mark }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    // Read at once, before the child runs code of its own: its ends of the output pipes keep their inodes
    // for every process that holds them, even after msdev closed its own ends.
    const links = !options.shortLived && child.pid !== undefined ? outputLinks(child.pid) : null;
    return this.track(child, mark, options, links ? { links, watch: this.pipes } : null);
  }

  /** Spawns file with args in a new session on msdev's own stdio (the terminal), carrying a fresh MSDEV_RUN mark. */
  spawnInTerminal(file: string, args: readonly string[], options: GroupSpawnOptions): ProcessGroup {
    const mark = this.mark(options);
    const child = spawn(file, args, { cwd: options.cwd, env: { ...options.env, [MARK_VAR]: mark }, stdio: 'inherit', detached: true });
    return this.track(child, mark, options, null);
  }

  /** How many groups are not gone yet. */
  get size(): number {
    return this.live.size;
  }

  /** SIGKILLs every group that is not gone yet and removes the exit hook; the table spawns nothing after. */
  dispose(): void {
    this.disposed = true;
    for (const group of this.live) group.kill();
    this.live.clear();
    this.unhook();
  }

  /** A fresh mark; throws once disposed. */
  private mark(options: GroupSpawnOptions): string {
    if (this.disposed) throw new Error('cannot start a process: its process table is disposed');
    return newMark(options.service);
  }

  /** Wraps the child in a group and keeps it (with the exit hook) until nothing of it is left. */
  private track<C extends ChildProcess>(child: C, mark: string, options: GroupSpawnOptions, pipes: PipeQuery | null): ProcessGroup<C> {
    // What it starts is younger than it: older processes are never searched for its mark.
    const since = (child.pid !== undefined ? startTime(child.pid) : null) ?? selfIdentity().start;
    if (pipes) this.pipes.watch(pipes.links);
    const group: ProcessGroup<C> = new ProcessGroup(child, {
      marked: { mark, since },
      pipes,
      shortLived: options.shortLived ?? false,
      release: () => {
        if (pipes) this.pipes.unwatch(pipes.links);
        this.live.delete(group);
        if (this.live.size === 0) this.unhook();
      },
    });
    if (group.pid !== null) {
      this.live.add(group);
      if (!this.hooked) {
        this.hooked = true;
        process.on('exit', this.onExit);
      }
    }
    return group;
  }

  /** Removes the exit hook. */
  private unhook(): void {
    if (!this.hooked) return;
    this.hooked = false;
    process.off('exit', this.onExit);
  }
}

/** usage() looks for the group's processes afresh every this many calls (every 10 s when sampled every 2 s). */
const USAGE_RESCAN = 5;

/** How often leftovers are looked for until they are gone … */
const SWEEP_MS = 25;
/** … and how long after a scan that found none a second scan confirms it (an exec's moment without a mark is far shorter). */
const CONFIRM_MS = 10;
/** … and for how long at most (a process in uninterruptible sleep may outlive SIGKILL for a while). */
const SWEEP_LIMIT_MS = 10_000;

/** What a ProcessGroup is made of; built by ProcessTable.spawn. */
export interface GroupParts {
  /** Its mark and since when processes can carry it. */
  readonly marked: Omit<MarkQuery, 'pipes'>;
  /** Its output pipes, looked for in other processes until pipesClosed(); null: never looked for. */
  readonly pipes: PipeQuery | null;
  /** Find leftovers among the pids allocated after it only (cheap after a short-lived command). */
  readonly shortLived: boolean;
  /** Called once nothing of it is left (the table forgets it). */
  readonly release: () => void;
}

/** A child in its own session and everything it started. */
export class ProcessGroup<C extends ChildProcess = ChildProcess> {
  /** The leader's pid (the session and group id); null when the spawn failed. */
  readonly pid: number | null;
  /** Resolves when the leader has exited (at once when it never started). Never rejects. */
  readonly exited: Promise<void>;
  private pipes: PipeQuery | null;
  /** When a terminate must have ended gracefully (ms since the epoch); null while not terminating. */
  private deadline: number | null = null;
  private killTimer: NodeJS.Timeout | undefined;
  private settling: Promise<void> | null = null;
  private leaderExited = false;
  /** The processes usage() read last, and how often it was called. */
  private usagePids: number[] | null = null;
  private usageCalls = 0;
  private gone = false;

  constructor(
    /** The leader, as node:child_process gave it. */
    readonly child: C,
    private readonly parts: GroupParts,
  ) {
    this.pid = child.pid ?? null;
    this.pipes = parts.pipes;
    this.exited =
      this.pid === null
        ? Promise.resolve()
        : new Promise((resolve) =>
            child.once('exit', () => {
              this.leaderExited = true;
              resolve();
            }),
          );
  }

  /** Every live process of the group: session, group, marked processes, pipe holders while the pipes are open, their descendants. */
  processes(): number[] {
    if (this.pid === null) return [];
    const query: MarkQuery = { ...this.parts.marked, pipes: this.pipes };
    return this.parts.shortLived ? leftoversOf(this.pid, query) : serviceProcesses(this.pid, query);
  }

  /**
   * The CPU time and resident memory of every live process of the group, summed. Finding the processes
   * scans all of /proc: that is done every USAGE_RESCAN-th call; in between the processes found last are read.
   */
  usage(): TreeUsage {
    if (this.usagePids === null || ++this.usageCalls % USAGE_RESCAN === 0) this.usagePids = this.processes();
    return treeUsage(this.usagePids);
  }

  /** Sends `signal` to every process of the group, synchronously; never throws. */
  signal(signal: NodeJS.Signals): void {
    if (this.pid !== null) signalAll(this.pid, this.processes(), signal);
  }

  /** SIGKILL to every process of the group, synchronously. */
  kill(): void {
    this.signal('SIGKILL');
  }

  /** Both output pipes reported end of file: nothing holds them, no process's fds need reading any more. */
  pipesClosed(): void {
    this.pipes = null;
  }

  /**
   * Sends `signal` to the whole group, SIGKILL after `timeoutMs` to what is left; resolves when nothing
   * of it is left (see settle). Once the leader exited it only waits for the final sweep.
   */
  terminate(signal: NodeJS.Signals, timeoutMs: number): Promise<void> {
    if (this.deadline === null && !this.leaderExited && this.pid !== null) {
      this.deadline = Date.now() + timeoutMs;
      this.signal(signal);
      this.killTimer = setTimeout(() => {
        if (!this.gone) this.kill();
      }, timeoutMs).unref();
    }
    return this.settle();
  }

  /**
   * Resolves when nothing of the group is left: after the leader exited, what it left gets until a
   * terminate's deadline to obey its signal, then the final sweep SIGKILLs leftovers until none is alive
   * (as when a container's PID 1 exits), and the table forgets the group. Gives up sweeping after 10 s
   * (the exit-time kill still covers it then).
   */
  settle(): Promise<void> {
    this.settling ??= this.exited.then(async () => {
      if (this.deadline !== null) await this.waitGone(this.deadline);
      await this.sweep();
    });
    return this.settling;
  }

  /** Waits until nothing of the group is left, or until `deadline`. */
  private async waitGone(deadline: number): Promise<void> {
    while (Date.now() < deadline && this.processes().length > 0) await delay(SWEEP_MS);
  }

  /**
   * SIGKILLs leftovers until none is alive, then releases the group. "None" must be seen by two scans
   * CONFIRM_MS apart: a process in the middle of an exec shows an empty environment (no mark) for a moment.
   */
  private async sweep(): Promise<void> {
    let seenEmpty = false;
    for (let waited = 0; waited < SWEEP_LIMIT_MS; waited += SWEEP_MS) {
      const left = this.processes();
      if (left.length === 0 && !seenEmpty) {
        seenEmpty = true;
        await delay(CONFIRM_MS);
        continue;
      }
      seenEmpty = false;
      if (left.length === 0) {
        this.gone = true;
        clearTimeout(this.killTimer);
        this.parts.release();
        return;
      }
      signalAll(this.pid, left, 'SIGKILL');
      await delay(SWEEP_MS);
    }
  }
}

/** Sends `signal` to the process group `leader` leads (when given) and to each pid; never throws. */
export function signalAll(leader: number | null, pids: readonly number[], signal: NodeJS.Signals): void {
  if (leader !== null && leader > 1) {
    try {
      process.kill(-leader, signal);
    } catch {
      // the group may be gone already
    }
  }
  for (const pid of pids) {
    try {
      process.kill(pid, signal);
    } catch {
      // gone
    }
  }
}

/** Resolves after ms (kept referenced: msdev waits for a sweep it started). */
function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
