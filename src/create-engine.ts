// Builds the engine as `msdev up` uses it: local processes, and containers refused with a reason until their runtime exists.
import type { ProjectConfig, ServiceSpec } from './config/model.js';
import { systemClock, type Clock } from './core/clock.js';
import { Engine } from './engine/engine.js';
import { UnavailableContainerRuntime } from './runtimes/container-runtime.js';
import { ProcessRuntime } from './runtimes/process-runtime.js';

/** Options of createEngine. */
export interface CreateEngineOptions {
  readonly clock?: Clock;
  /** The environment every service starts from (default: this process's). */
  readonly baseEnv?: NodeJS.ProcessEnv;
}

/** An engine for a loaded config that runs process services locally, as `msdev up` does. */
export function createEngine(config: ProjectConfig, options: CreateEngineOptions = {}): Engine {
  const processes = new ProcessRuntime();
  const containers = new UnavailableContainerRuntime();
  return new Engine(config, {
    runtimeFor: (spec: ServiceSpec) => (spec.kind === 'process' ? processes : containers),
    clock: options.clock ?? systemClock,
    baseEnv: options.baseEnv ?? process.env,
  });
}
