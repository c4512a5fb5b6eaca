// The hot reload of every service that has `watch`: one ServiceWatch each, created and closed as the
// config changes, switched on and off together (the TUI's `w`), each paused on its own by its loop guard.
import { isAbsolute, relative, sep } from 'node:path';
import type { ServiceSpec, WatchSpec } from '../config/model.js';
import type { Clock } from '../core/clock.js';
import type { WatchState } from '../core/control.js';
import type { MessageEvent } from '../core/events.js';
import type { ServiceWatch, WatchServiceFn, WatchTrigger } from '../watch/service-watch.js';

/** How the engine watches files (injected: the CLI loads chokidar only when a service watches; tests use a fake). */
export interface WatchOptions {
  /** Watching on at the start (false under `--no-watch`: the switch can still turn it on). */
  readonly enabled: boolean;
  /** Poll instead of native events (MSDEV_WATCH_POLL=1). */
  readonly poll: boolean;
  readonly watchService: WatchServiceFn | ((o: Parameters<WatchServiceFn>[0]) => Promise<ServiceWatch>);
  /** Reads `.msdevignore` in the config's folder (null when there is none); throws an Error naming the file when it cannot. */
  readonly readIgnore: (root: string) => Promise<string | null>;
}

/** What the hub tells the engine. */
export interface WatchHubHooks {
  readonly onTrigger: (service: string, trigger: WatchTrigger, spec: WatchSpec) => void;
  /** Whether a change at `at` looks like the service's own doing (soon after it started): only those can pause its watch. */
  readonly ownChange: (service: string, at: number) => boolean;
  readonly onNote: (level: MessageEvent['level'], text: string) => void;
  /** Something a view shows changed (on/off, a pause). */
  readonly onChange: () => void;
}

interface Entry {
  /** The settings it was made from, to tell whether a reload changed them. */
  readonly key: string;
  watch: ServiceWatch | null;
  closed: boolean;
  /** Resolves once it watches (its first scan done) or failed to. */
  readonly ready: Promise<void>;
}

/** Every service's watch, kept in step with the config. */
export class WatchHub {
  private readonly entries = new Map<string, Entry>();
  private on: boolean;
  /** The latest sync's opening of watches (after `.msdevignore` is read). */
  private opening: Promise<void> = Promise.resolve();
  private closed = false;

  constructor(
    private readonly options: WatchOptions,
    private readonly root: string,
    private readonly clock: Clock,
    private readonly hooks: WatchHubHooks,
  ) {
    this.on = options.enabled;
  }

  /** Whether watching is on. */
  get enabled(): boolean {
    return this.on;
  }

  /** Whether any service watches. */
  get any(): boolean {
    return this.entries.size > 0;
  }

  /** A service's watch as views show it: null when it has none. */
  stateOf(name: string): WatchState | null {
    const entry = this.entries.get(name);
    if (!entry) return null;
    if (!this.on) return 'off';
    return entry.watch?.paused ? 'paused' : 'on';
  }

  /** The services whose watch is paused by its loop guard. */
  paused(): string[] {
    return [...this.entries].filter(([, e]) => e.watch?.paused === true).map(([name]) => name);
  }

  /** Resolves once every watch asked for so far watches (or failed to). */
  async ready(): Promise<void> {
    await this.opening;
    await Promise.all([...this.entries.values()].map((e) => e.ready));
  }

  /**
   * Watches what these services ask for: new watches for new or changed settings, closed ones for the rest.
   * The config's own files are left to its reload (which restarts only what an edit changed): a service
   * that watches the project folder is not restarted by an edit of services.yaml or an env file.
   */
  sync(specs: readonly ServiceSpec[], configFiles: readonly string[] = []): void {
    const own = configFiles.map((f) => relative(this.root, f)).filter((r) => r !== '' && !r.startsWith('..') && !isAbsolute(r));
    const withOwn = (w: WatchSpec): WatchSpec => (own.length === 0 ? w : { ...w, ignore: [...w.ignore, ...own.map((r) => `/${r.split(sep).join('/')}`)] });
    const wanted = new Map(specs.filter((s) => s.watch !== undefined).map((s) => [s.name, withOwn(s.watch!)]));
    for (const [name, entry] of this.entries) {
      const spec = wanted.get(name);
      if (spec && JSON.stringify(spec) === entry.key) continue;
      this.entries.delete(name);
      void this.closeEntry(entry);
    }
    if (wanted.size === 0) return;
    const before = this.opening;
    this.opening = (async () => {
      await before;
      const ignore = await this.readIgnore();
      const opened: string[] = [];
      for (const [name, spec] of wanted) {
        if (this.entries.has(name) || this.closed) continue;
        this.open(name, spec, ignore);
        opened.push(name);
      }
      if (opened.length === 0) return;
      await Promise.all(opened.map((n) => this.entries.get(n)?.ready ?? Promise.resolve()));
      const watching = opened.filter((n) => this.entries.get(n)?.watch);
      if (watching.length > 0) this.hooks.onNote('info', `watching for changes: ${watching.join(', ')}${this.on ? '' : ' (off: w in the TUI turns it on)'}`);
      // Views opened before (the TUI, with no watch yet) learn that watching is there.
      this.hooks.onChange();
    })();
  }

  /** Turns watching on or off for every service; on lifts every pause. */
  setEnabled(on: boolean): void {
    this.on = on;
    for (const entry of this.entries.values()) entry.watch?.setEnabled(on);
    this.hooks.onChange();
  }

  /** Stops every watch. */
  async close(): Promise<void> {
    this.closed = true;
    await this.opening;
    const entries = [...this.entries.values()];
    this.entries.clear();
    await Promise.all(entries.map((e) => this.closeEntry(e)));
  }

  private async readIgnore(): Promise<string | null> {
    try {
      return await this.options.readIgnore(this.root);
    } catch (err) {
      this.hooks.onNote('warn', `${err instanceof Error ? err.message : String(err)}; watching without it`);
      return null;
    }
  }

  private open(name: string, spec: WatchSpec, msdevignore: string | null): void {
    let done: () => void = () => undefined;
    const entry: Entry = { key: JSON.stringify(spec), watch: null, closed: false, ready: new Promise<void>((resolve) => (done = resolve)) };
    this.entries.set(name, entry);
    this.options
      .watchService({
        service: name,
        spec,
        root: this.root,
        msdevignore,
        clock: this.clock,
        poll: this.options.poll,
        onTrigger: (trigger) => this.hooks.onTrigger(name, trigger, spec),
        onPause: (message) => {
          this.hooks.onNote('warn', message);
          this.hooks.onChange();
        },
        onError: (message) => this.hooks.onNote('warn', `watch: ${message}`),
        ownChange: (at) => this.hooks.ownChange(name, at),
      })
      .then(
        async (watch) => {
          if (entry.closed) return void (await watch.close());
          entry.watch = watch;
          if (!this.on) watch.setEnabled(false);
          await watch.ready;
        },
        (err: unknown) => {
          if (this.entries.get(name) === entry) this.entries.delete(name);
          this.hooks.onNote('error', `${name}: cannot watch its files: ${err instanceof Error ? err.message : String(err)}`);
          this.hooks.onChange();
        },
      )
      .finally(done);
  }

  private async closeEntry(entry: Entry): Promise<void> {
    entry.closed = true;
    await entry.watch?.close();
  }
}
