// A runtime with no processes: tests start, print, exit and fail services by hand.
import type { ServiceSpec } from '../../src/config/model.js';
import type { LogStream } from '../../src/core/events.js';
import { LineBatch } from '../../src/core/line-batch.js';
import { StartError, type Exit, type Handle, type Runtime, type StartOptions, type TreeUsage } from '../../src/runtimes/runtime.js';

/** A started fake service that a test drives. */
export class FakeHandle implements Handle {
  readonly container = null;
  readonly exited: Promise<Exit>;
  stopSignals: NodeJS.Signals[] = [];
  killed = false;
  /** What usage() reports: set by a test. */
  used: TreeUsage = { cpuMs: 0, rssBytes: 0 };
  private resolveExit!: (exit: Exit) => void;
  private done = false;

  constructor(readonly pid: number, readonly spec: ServiceSpec, private readonly options: StartOptions) {
    this.exited = new Promise((resolve) => (this.resolveExit = resolve));
  }

  /** Makes the service print lines. */
  print(lines: string[], stream: LogStream = 'stdout'): void {
    this.options.onLines(stream, LineBatch.of(lines));
  }

  /** Makes the service exit. */
  exit(code: number | null, signal: NodeJS.Signals | null = null): void {
    if (this.done) return;
    this.done = true;
    this.resolveExit({ code, signal });
  }

  /** Records the signal and exits as if it obeyed it. */
  stop(signal: NodeJS.Signals): Promise<Exit> {
    this.stopSignals.push(signal);
    this.exit(null, signal);
    return this.exited;
  }

  /** What the test set as its usage. */
  usage(): TreeUsage {
    return this.used;
  }

  /** Records the kill and exits. */
  kill(): void {
    this.killed = true;
    this.exit(null, 'SIGKILL');
  }
}

/** Starts FakeHandles and remembers every start, in order. */
export class FakeRuntime implements Runtime {
  readonly starts: FakeHandle[] = [];
  /** Services whose next start fails with this reason. */
  readonly failNext = new Map<string, string>();
  /** Services whose starts stay in progress until release() (the runtime still spawning them). */
  readonly hold = new Set<string>();
  private readonly held = new Map<string, (() => void)[]>();
  private nextPid = 1000;

  /** Lets the held starts of a service finish. */
  release(name: string): void {
    const list = this.held.get(name) ?? [];
    this.held.delete(name);
    for (const go of list) go();
  }

  /** Starts a fake (or fails it when failNext says so). */
  async start(spec: ServiceSpec, options: StartOptions): Promise<Handle> {
    if (this.hold.has(spec.name)) {
      await new Promise<void>((resolve) => {
        const list = this.held.get(spec.name) ?? [];
        list.push(resolve);
        this.held.set(spec.name, list);
      });
    }
    const reason = this.failNext.get(spec.name);
    if (reason) {
      this.failNext.delete(spec.name);
      throw new StartError(reason);
    }
    const handle = new FakeHandle(this.nextPid++, spec, options);
    this.starts.push(handle);
    return handle;
  }

  /** The latest handle of a service. */
  last(name: string): FakeHandle {
    const h = [...this.starts].reverse().find((s) => s.spec.name === name);
    if (!h) throw new Error(`${name} was never started`);
    return h;
  }

  /** How many times a service was started. */
  count(name: string): number {
    return this.starts.filter((s) => s.spec.name === name).length;
  }
}
