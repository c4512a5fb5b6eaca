// While `up` runs, services.yaml and the env files it reads are watched: a valid edit is applied to the
// running stack (only what changed restarts), an invalid one is said with its position and changes nothing.
import { ConfigError } from '../config/errors.js';
import type { ProjectConfig } from '../config/model.js';
import type { ServicePorts } from '../config/assign-ports.js';
import { systemClock } from '../core/clock.js';
import type { MessageEvent } from '../core/events.js';
import type { Engine } from '../engine/engine.js';
import type { ConfigDiff } from '../engine/config-diff.js';
import type { FileSetWatcher } from '../watch/file-set-watcher.js';

/** How long the config's files must stay unchanged before they are read again (an editor saves in steps). */
const CONFIG_DEBOUNCE_MS = 200;

/** What the reloader needs. */
export interface ConfigReloadOptions {
  readonly engine: Engine;
  /** Loads the config again as the run first did, keeping these ports for `auto` and ephemeral entries. */
  readonly load: (keepPorts: Readonly<Record<string, ServicePorts>>) => Promise<ProjectConfig>;
  readonly say: (level: MessageEvent['level'], text: string) => void;
  /** Poll instead of native events (MSDEV_WATCH_POLL=1). */
  readonly poll: boolean;
}

/** A running watch of the config's files. */
export interface ConfigReloader {
  close(): Promise<void>;
}

/** The ports each service has now, to keep across a reload. */
function portsOf(config: ProjectConfig): Record<string, ServicePorts> {
  const out: Record<string, ServicePorts> = {};
  for (const [name, spec] of Object.entries(config.services)) out[name] = spec.port === undefined ? { ports: spec.ports } : { port: spec.port, ports: spec.ports };
  return out;
}

/** One line saying what a reload did. */
export function describeDiff(file: string, diff: ConfigDiff): string {
  const parts: string[] = [];
  if (diff.changed.length > 0) parts.push(`restarting ${diff.changed.map((c) => `${c.name} (${c.keys.join(', ')})`).join(', ')}`);
  if (diff.added.length > 0) parts.push(`adding ${diff.added.join(', ')}`);
  if (diff.removed.length > 0) parts.push(`stopping ${diff.removed.join(', ')} (removed)`);
  return `${file} changed: ${parts.length > 0 ? parts.join('; ') : 'nothing to apply'}`;
}

/** Starts watching the config file and its env files (with Node's fs.watch: chokidar is not loaded for it). */
export async function watchConfig(o: ConfigReloadOptions): Promise<ConfigReloader> {
  const [{ watchFileSet }, { ChangeDebouncer }] = await Promise.all([import('../watch/file-set-watcher.js'), import('../watch/change-debouncer.js')]);
  const shown = (config: ProjectConfig): string => config.file.slice(config.dir.length + 1);
  let watcher: FileSetWatcher | null = null;
  let watchedFiles = '';
  let closed = false;
  let running: Promise<void> | null = null;
  let again = false;

  const reload = async (): Promise<void> => {
    const current = o.engine.config;
    let next: ProjectConfig;
    try {
      next = await o.load(portsOf(current));
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err;
      o.say('error', `${err.message}\n${shown(current)} has errors: the stack keeps running on the config it had; fix them and save again`);
      return;
    }
    if (closed) return;
    const diff = await o.engine.applyConfig(next);
    o.say('info', describeDiff(shown(next), diff));
    rewatch(next);
  };

  const onFlush = (): void => {
    if (closed) return;
    if (running) {
      again = true;
      return;
    }
    running = (async () => {
      do {
        again = false;
        try {
          await reload();
        } catch (err) {
          o.say('error', `could not apply the edited config: ${err instanceof Error ? err.message : String(err)}`);
        }
      } while (again && !closed);
    })().finally(() => (running = null));
  };
  const debouncer = new ChangeDebouncer(systemClock, CONFIG_DEBOUNCE_MS, onFlush);

  /** Watches the files this config is read from (again, when its env files changed). */
  const rewatch = (config: ProjectConfig): void => {
    const files = [config.file, ...config.envFiles];
    const key = JSON.stringify(files);
    if (key === watchedFiles || closed) return;
    watchedFiles = key;
    watcher?.close();
    watcher = watchFileSet(files, (change) => debouncer.add(change), { poll: o.poll, onError: (message) => o.say('warn', `watching ${shown(config)}: ${message}`) });
  };

  rewatch(o.engine.config);
  return {
    async close() {
      closed = true;
      debouncer.dispose();
      watcher?.close();
      await running;
    },
  };
}
