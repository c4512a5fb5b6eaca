// One service's hot reload: its watch rules, a file watcher, a debouncer turning bursts into single
// triggers, and a loop guard that pauses watching for a service that keeps retriggering itself.
import type { WatchSpec } from '../config/model.js';
import type { Clock } from '../core/clock.js';
import { ChangeDebouncer, type FileChange } from './change-debouncer.js';
import { describeChanges, listChanges } from './change-summary.js';
import { watchFiles } from './file-watcher.js';
import { LoopGuard } from './loop-guard.js';
import { createWatchRules } from './watch-rules.js';

/** One trigger of a service's hot reload: a debounced batch of changes. */
export interface WatchTrigger {
  /** For the state event: `watch: app.js (+3 more)`. */
  readonly reason: string;
  /** For the log line: `app.js, lib/x.js, … (+12 more)`. */
  readonly files: string;
  readonly changes: readonly FileChange[];
}

/** A service's running hot reload. */
export interface ServiceWatch {
  /** Off: changes are dropped. */
  readonly enabled: boolean;
  /** Paused by the loop guard: changes are dropped until setEnabled(true). */
  readonly paused: boolean;
  /** Turns watching on or off; on also lifts a pause and resets the loop guard. */
  setEnabled(on: boolean): void;
  /** Stops watching; no trigger comes after it resolves. */
  close(): Promise<void>;
  /** Resolves once the initial scan is done. */
  readonly ready: Promise<void>;
}

/** Triggers within LOOP_WINDOW_MS beyond which watching is paused. */
const LOOP_LIMIT = 5;
const LOOP_WINDOW_MS = 60_000;

/** What the action does, in the plural, for the pause message. */
const ACTION_WORDS: Readonly<Record<WatchSpec['action'], string>> = {
  restart: 'restarts',
  sync: 'syncs',
  'sync+restart': 'restarts',
  rebuild: 'rebuilds',
};

/**
 * Watches one service's `watch.paths` and calls onTrigger once per debounced batch of changes (while
 * enabled and not paused; changes meanwhile are dropped, not queued). More than 5 triggers within a
 * minute pause it with onPause (once per pause). Watcher errors go to onError. Rejects only when
 * chokidar cannot be loaded.
 */
export async function watchService(o: {
  readonly service: string;
  readonly spec: WatchSpec;
  /** The config file's folder: `.msdevignore` and the ignore globs are relative to it; names are shown relative to it. */
  readonly root: string;
  /** The text of `.msdevignore` (readMsdevignore), or null. */
  readonly msdevignore: string | null;
  readonly clock: Clock;
  /** Poll instead of native events (the caller passes `process.env.MSDEV_WATCH_POLL === '1'`). */
  readonly poll?: boolean;
  readonly onTrigger: (t: WatchTrigger) => void;
  /** Loop detected: the message says so and how to fix it. */
  readonly onPause: (message: string) => void;
  readonly onError: (message: string) => void;
  /**
   * Whether a batch whose first change came at `at` (clock ms) looks like the service's own doing (it came
   * soon after the service started): only those count toward the pause, so a user's own edits never
   * pause watching. Without it every trigger counts.
   */
  readonly ownChange?: (at: number) => boolean;
}): Promise<ServiceWatch> {
  const rules = createWatchRules({ root: o.root, paths: o.spec.paths, ignore: o.spec.ignore, msdevignore: o.msdevignore });
  const guard = new LoopGuard(LOOP_LIMIT, LOOP_WINDOW_MS);
  let enabled = true;
  let paused = false;
  let closed = false;
  /** When the first change of the batch being gathered came, or null when none is being gathered. */
  let batchStart: number | null = null;
  const flush = (changes: readonly FileChange[]): void => {
    const first = batchStart ?? o.clock.now();
    batchStart = null;
    if (!enabled || paused || closed) return;
    const own = o.ownChange?.(first) ?? true;
    if (own && guard.record(o.clock.now())) {
      paused = true;
      const n = LOOP_LIMIT + 1;
      o.onPause(
        `${o.service}: watching paused: ${n} ${ACTION_WORDS[o.spec.action]} within a minute from changes to its own watched files ` +
          `(does it write into them? add them to watch.ignore or .msdevignore); w in the TUI turns it back on`,
      );
      return;
    }
    o.onTrigger({ reason: `watch: ${describeChanges(changes, o.root)}`, files: listChanges(changes, o.root), changes });
  };
  const debouncer = new ChangeDebouncer(o.clock, o.spec.debounceMs, flush);
  const watcher = await watchFiles(
    rules,
    (change) => {
      if (!enabled || paused || closed) return;
      batchStart ??= o.clock.now();
      debouncer.add(change);
    },
    { poll: o.poll === true, onError: (message) => o.onError(`${o.service}: ${message}`) },
  );
  return {
    get enabled() {
      return enabled;
    },
    get paused() {
      return paused;
    },
    setEnabled(on: boolean): void {
      enabled = on;
      if (on) {
        paused = false;
        guard.reset();
      } else {
        debouncer.clear();
        batchStart = null;
      }
    },
    async close(): Promise<void> {
      closed = true;
      debouncer.dispose();
      await watcher.close();
    },
    ready: watcher.ready,
  };
}

/** The type of watchService, so the engine can take a fake one in its tests. */
export type WatchServiceFn = typeof watchService;
