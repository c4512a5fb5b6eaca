// Builds the engine as `msdev up` uses it: local processes, and containers through the Docker engine.
import type { ProjectConfig, ServiceSpec } from './config/model.js';
import { systemClock, type Clock } from './core/clock.js';
import { Engine } from './engine/engine.js';
import { DockerRuntime } from './runtimes/docker/container-runtime.js';
import { ProcessRuntime } from './runtimes/process-runtime.js';

/** Options of createEngine. */
export interface CreateEngineOptions {
  readonly clock?: Clock;
  /** The environment every service starts from (default: this process's). */
  readonly baseEnv?: NodeJS.ProcessEnv;
  /** Hot reload: restart services with `watch` when their files change (default: off; `msdev up` turns it on unless `--no-watch`). */
  readonly watch?: boolean;
}

/** An engine for a loaded config that runs process services locally and container services through Docker, as `msdev up` does. */
export function createEngine(config: ProjectConfig, options: CreateEngineOptions = {}): Engine {
  const processes = new ProcessRuntime();
  // dockerode is loaded on the first container start, never before.
  const containers = new DockerRuntime({ project: config.name, dir: config.dir, env: options.baseEnv ?? process.env });
  return new Engine(config, {
    runtimeFor: (spec: ServiceSpec) => (spec.kind === 'process' ? processes : containers),
    clock: options.clock ?? systemClock,
    baseEnv: options.baseEnv ?? process.env,
    // chokidar and the ignore rules are loaded only when a service watches (and never without `watch: true`).
    ...(options.watch === true
      ? {
          watch: {
            enabled: true,
            poll: process.env.MSDEV_WATCH_POLL === '1',
            watchService: async (o) => (await import('./watch/service-watch.js')).watchService(o),
            readIgnore: async (root) => (await import('./watch/watch-rules.js')).readMsdevignore(root),
          },
        }
      : {}),
  });
}
